/**
 * Applying results (services/evaluation/domain/application.ts): the grade's recommendation, and the
 * cut 财预〔2020〕10号 asks for when rectification orders were not carried out or carried out late.
 */
import { describe, expect, it } from 'vitest';
import { applyGrade, defaultApplicationRules, validateApplicationRules, type ApplicationRules } from '../../services/evaluation/domain/application.ts';
import { defaultEvaluationRules, validateEvaluationRules, withDefaults } from '../../services/evaluation/domain/rules.ts';
import { foldRectification, summarizeRectification, type RectificationEvent, type RectificationSummary } from '../../shared/pure/rectification-status.ts';

const TODAY = '2027-05-01';
const ordered = (orderId: string, deadline = '2027-03-31'): RectificationEvent => ({ detailType: 'RectificationOrdered', data: { orderId, deadline, source: { kind: 'evaluation' } } });
const overdue = (orderId: string): RectificationEvent => ({ detailType: 'RectificationOverdue', data: { orderId } });
const closed = (orderId: string, onTime: boolean): RectificationEvent => ({ detailType: 'RectificationClosed', data: { orderId, onTime } });
const standing = (...events: RectificationEvent[]): RectificationSummary => summarizeRectification(events.reduce(foldRectification, {}), TODAY);

const NONE = standing();
const ONE_OVERDUE = standing(ordered('r1'), overdue('r1'));
const rules = (unrectified: ApplicationRules['unrectified'] = { adjustment: -0.1 }): ApplicationRules => ({ ...defaultApplicationRules(), unrectified });

describe('results application: unrectified orders reach the budget (财预〔2020〕10号)', () => {
  it('a 良 object with one overdue order is recommended a 10 % cut instead of maintain', () => {
    expect(applyGrade('good', 800, undefined, rules(), ONE_OVERDUE)).toEqual({
      recommendation: 'cut',
      proposedAdjustment: -0.1,
      proposedAmountWan: 720,
      reason: 'graded 良: maintain (no change of amount); 1 rectification order not rectified: cut 10 %',
      rectification: { orders: 1, open: 0, overdue: 1, closedOnTime: 0, closedLate: 0 },
    });
  });

  it('the same 良 object without orders is maintained, as before', () => {
    expect(applyGrade('good', 800, undefined, rules(), NONE)).toMatchObject({ recommendation: 'maintain', proposedAdjustment: 0, proposedAmountWan: 800, reason: 'graded 良: maintain (no change of amount)' });
  });

  it('orders open within their deadline or closed on time change nothing', () => {
    const fine = standing(ordered('r1', '2027-06-30'), ordered('r2'), closed('r2', true));
    expect(fine).toEqual({ orders: 2, open: 1, overdue: 0, closedOnTime: 1, closedLate: 0 });
    expect(applyGrade('good', 800, undefined, rules(), fine)).toMatchObject({ recommendation: 'maintain', proposedAdjustment: 0 });
  });

  it('an open order past its deadline counts as not rectified even before its RectificationOverdue', () => {
    expect(applyGrade('excellent', 800, undefined, rules(), standing(ordered('r1', '2027-04-30')))).toMatchObject({ recommendation: 'cut', proposedAdjustment: -0.1 });
  });

  it('the parameter decides the cut: a region setting -0.3 gets -0.3', () => {
    expect(applyGrade('good', 800, undefined, rules({ adjustment: -0.3 }), ONE_OVERDUE)).toMatchObject({
      recommendation: 'cut',
      proposedAdjustment: -0.3,
      proposedAmountWan: 560,
      reason: 'graded 良: maintain (no change of amount); 1 rectification order not rectified: cut 30 %',
    });
  });

  it('null turns the rule off: the grade alone decides, the orders are still reported', () => {
    expect(applyGrade('good', 800, undefined, rules({ adjustment: null }), ONE_OVERDUE)).toMatchObject({ recommendation: 'maintain', proposedAdjustment: 0, rectification: { overdue: 1 } });
  });

  it('差 at -30 % stays -30 %: the larger of the two cuts', () => {
    expect(applyGrade('poor', 800, undefined, rules(), ONE_OVERDUE)).toMatchObject({
      recommendation: 'cut',
      proposedAdjustment: -0.3,
      proposedAmountWan: 560,
      reason: "graded 差: cut (-30 %); 1 rectification order not rectified: cut 10 %, the grade's -30 % stands",
    });
  });

  it('中 (improve, -10 %) becomes a cut at the same -10 %', () => {
    expect(applyGrade('fair', 800, undefined, rules(), ONE_OVERDUE)).toMatchObject({ recommendation: 'cut', proposedAdjustment: -0.1, proposedAmountWan: 720 });
  });

  it('差 twice running is still cancelled; the cancellation stands over the cut', () => {
    expect(applyGrade('poor', 800, 'poor', rules(), ONE_OVERDUE)).toMatchObject({
      recommendation: 'cancel',
      proposedAdjustment: -1,
      proposedAmountWan: 0,
      reason: 'graded 差 two years running: cancel; 1 rectification order not rectified: cut 10 %, the cancellation stands',
    });
  });

  it('names the counts: 2 not rectified, 1 rectified late', () => {
    const s = standing(ordered('a'), overdue('a'), ordered('b'), ordered('c'), closed('c', false), ordered('d'), closed('d', true));
    expect(s).toEqual({ orders: 4, open: 0, overdue: 2, closedOnTime: 1, closedLate: 1 });
    expect(applyGrade('good', 100, undefined, rules(), s).reason).toBe('graded 良: maintain (no change of amount); 2 rectification orders not rectified, 1 rectified late: cut 10 %');
  });

  it('an order rectified late alone also cuts', () => {
    const late = standing(ordered('a'), closed('a', false));
    expect(applyGrade('good', 100, undefined, rules(), late)).toMatchObject({ recommendation: 'cut', proposedAdjustment: -0.1, reason: 'graded 良: maintain (no change of amount); 1 rectification order rectified late: cut 10 %' });
  });
});

describe('results application: the unrectified parameter', () => {
  it('defaults to a 10 % cut and keeps cancelling after 差 twice running', () => {
    expect(defaultApplicationRules()).toMatchObject({ cancelAfterRepeatedPoor: true, unrectified: { adjustment: -0.1 } });
  });

  it('refuses a cut outside -1..0 (an increase, no change, beyond cancelling), naming the field', () => {
    for (const adjustment of [0, 0.1, -1.5, Number.NaN]) {
      expect(validateApplicationRules(rules({ adjustment })).map((v) => v.field)).toEqual(['unrectified.adjustment']);
    }
    expect(validateApplicationRules(rules({ adjustment: -1 }))).toEqual([]);
    expect(validateApplicationRules(rules({ adjustment: null }))).toEqual([]);
  });

  it('a version stored before the parameter existed reads with the default, keeping its own shares', () => {
    const { unrectified: _u, ...olderApplication } = { ...defaultApplicationRules(), cancelAfterRepeatedPoor: false };
    const older = { ...defaultEvaluationRules('360100', 2025), application: olderApplication as ApplicationRules };
    const read = withDefaults(older);
    expect(read.application).toMatchObject({ cancelAfterRepeatedPoor: false, unrectified: { adjustment: -0.1 } });
    expect(validateEvaluationRules(read)).toEqual([]);
    expect(withDefaults({ ...older, application: { ...olderApplication, unrectified: { adjustment: -0.3 } } as ApplicationRules }).application.unrectified).toEqual({ adjustment: -0.3 });
  });
});
