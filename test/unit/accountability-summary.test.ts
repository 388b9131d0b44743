import { beforeEach, describe, expect, it, vi } from 'vitest';
import { examples } from '../../events/examples.ts';
import type { ConsumedEvent } from '../../shared/consumer.ts';
import { foldEvent, type FoldableEvent, type ObjectSummary } from '../../services/accountability/domain/object-summary.ts';

// summaries.ts over an in-memory stand-in of its store, with the same version condition.
const stored = new Map<string, { summary: ObjectSummary; version: number; eventIds: string[] }>();
const racer = { pending: 0 };
vi.mock('../../services/accountability/store/summaries.ts', () => ({
  getStoredSummary: async (id: string) => structuredClone(stored.get(id)),
  putSummary: async (summary: ObjectSummary, eventIds: string[], expected: number) => {
    const current = stored.get(summary.objectId);
    if (racer.pending > 0) {
      // Someone else folds an event in between our read and our write.
      racer.pending -= 1;
      const theirs = foldEvent(current?.summary, ev('MonitoringReminderSent')) as ObjectSummary;
      stored.set(summary.objectId, { summary: theirs, version: (current?.version ?? 0) + 1, eventIds: [...(current?.eventIds ?? []), 'theirs'] });
    }
    const now = stored.get(summary.objectId);
    if ((now?.version ?? 0) !== expected) throw Object.assign(new Error('conditional check failed'), { name: 'ConditionalCheckFailedException' });
    stored.set(summary.objectId, { summary, version: expected + 1, eventIds });
  },
}));
const { foldIntoSummary } = await import('../../services/accountability/jobs/summaries.ts');
const consumed = (e: FoldableEvent): ConsumedEvent => ({ detailType: e.detailType, source: 'jixiao.test', envelopeId: 'x', time: e.meta.occurredAt, meta: e.meta as ConsumedEvent['meta'], data: e.data });

// ---------- fixtures: the catalog examples, with ids and fields changed per test ----------

let n = 0;
function ev(detailType: string, change: (data: any) => void = () => undefined, occurredAt?: string): FoldableEvent {
  const detail = structuredClone(examples[detailType]) as { meta: any; data: any };
  n += 1;
  detail.meta.eventId = `00000000-0000-4000-8000-${String(n).padStart(12, '0')}`;
  if (occurredAt) detail.meta.occurredAt = occurredAt;
  change(detail.data);
  return { detailType, meta: detail.meta, data: detail.data };
}

const foldAll = (events: FoldableEvent[], start?: ObjectSummary) => events.reduce<ObjectSummary | undefined>((s, e) => foldEvent(s, e), start);
const OBJECT_ID = 'obj_0mhx2k9a1b2c3d4e5f6';

describe('foldEvent: declaration events', () => {
  it('DeclarationSubmitted creates the summary with the object facts and counts the submission', () => {
    const s = foldEvent(undefined, ev('DeclarationSubmitted'));
    expect(s).toMatchObject({ objectId: OBJECT_ID, spendingType: 'project', fiscalYear: 2027, region: '360000', department: 'D-AGRI', unit: 'U-AGRI-03', sector: 'agriculture' });
    expect(s?.declaration).toEqual({ submissions: 1, returned: 0, rejected: false, revisions: 0 });
  });

  it('TargetRejected returned counts a return; rejected marks the object rejected; a turned-down revision does neither', () => {
    const s = foldAll([
      ev('TargetRejected', (d) => (d.outcome = 'returned')),
      ev('TargetRejected', (d) => (d.outcome = 'returned')),
      ev('TargetRejected', (d) => {
        d.outcome = 'returned';
        d.revision = 2;
      }),
    ]);
    expect(s?.declaration).toMatchObject({ returned: 2, rejected: false });
    expect(foldAll([ev('TargetRejected', (d) => (d.outcome = 'rejected'))])?.declaration.rejected).toBe(true);
  });

  it('TargetApproved sets approvedAt, amount and target version; TargetRevised counts a revision and moves the version forward', () => {
    const approved = ev('TargetApproved');
    const revised = ev('TargetRevised', (d) => {
      d.snapshot.targetVersion = 2;
      d.snapshot.amounts.annualTotalWan = 650;
    });
    const s = foldAll([approved, revised]);
    expect(s?.declaration).toMatchObject({ approvedAt: (approved.data as any).snapshot.approvedAt, targetVersion: 2, amountWan: 650, revisions: 1 });
  });

  it('an older target version arriving late does not move the amount backwards', () => {
    const approved = ev('TargetApproved');
    const revised = ev('TargetRevised', (d) => {
      d.snapshot.targetVersion = 2;
      d.snapshot.amounts.annualTotalWan = 650;
    });
    const s = foldAll([revised, approved]);
    expect(s?.declaration).toMatchObject({ targetVersion: 2, amountWan: 650, approvedAt: (approved.data as any).snapshot.approvedAt });
  });

  it('ExAnteAssessed records the conclusion', () => {
    expect(foldAll([ev('ExAnteAssessed', (d) => (d.conclusion = 'support_after_adjustment'))])?.declaration.exAnteConclusion).toBe('support_after_adjustment');
  });
});

describe('foldEvent: monitoring events', () => {
  it('MonitoringReported counts reports and keeps the light of the latest window, whatever the arrival order', () => {
    const july = ev('MonitoringReported', (d) => {
      d.window = { ...d.window, id: 'win_july', throughMonth: 7, label: '1~7月' };
      d.light = 'red';
    });
    const sept = ev('MonitoringReported', (d) => {
      d.window = { ...d.window, id: 'win_sept', throughMonth: 9, label: '1~9月' };
      d.light = 'green';
    });
    for (const order of [[july, sept], [sept, july]]) {
      const s = foldAll(order);
      expect(s?.monitoring).toMatchObject({ reports: 2, lastLight: 'green', lastWindowLabel: '1~9月' });
    }
  });

  it('MonitoringDeviation counts windows, not events: a re-raised deviation in the same window is one, red if any was red', () => {
    const s = foldAll([
      ev('MonitoringDeviation', (d) => {
        d.window.id = 'win_a';
        d.light = 'yellow';
      }),
      ev('MonitoringDeviation', (d) => {
        d.window.id = 'win_a';
        d.light = 'red';
      }),
      ev('MonitoringDeviation', (d) => {
        d.window.id = 'win_b';
        d.light = 'yellow';
      }),
    ]);
    expect(s?.monitoring).toMatchObject({ deviations: 2, redDeviations: 1 });
  });

  it('DeviationCorrected counts the windows whose deviation was cleared', () => {
    const s = foldAll([ev('DeviationCorrected', (d) => (d.raisedInWindow = 'win_a')), ev('DeviationCorrected', (d) => (d.raisedInWindow = 'win_a')), ev('DeviationCorrected', (d) => (d.raisedInWindow = 'win_b'))]);
    expect(s?.monitoring.corrected).toBe(2);
  });

  it('FundingPauseRecommended, reminders and escalations are recorded', () => {
    const s = foldAll([ev('FundingPauseRecommended'), ev('MonitoringReminderSent'), ev('MonitoringReminderSent'), ev('MonitoringEscalated')]);
    expect(s?.monitoring).toMatchObject({ fundingPauseRecommended: true, reminders: 2, escalations: 1 });
  });
});

describe('foldEvent: evaluation events', () => {
  const completed = (kind: string, score: number, grade: string, at: string) =>
    ev('EvaluationCompleted', (d) => {
      d.kind = kind;
      d.totalScore = score;
      d.grade = grade;
      d.completedAt = at;
    });

  it('the grade that counts is key over finance review over self', () => {
    const self = completed('self', 91, 'excellent', '2028-03-01T00:00:00.000Z');
    const review = completed('finance_review', 78, 'fair', '2028-04-01T00:00:00.000Z');
    const key = completed('key', 58, 'poor', '2028-05-01T00:00:00.000Z');
    expect(foldAll([self])?.evaluation).toMatchObject({ finalGrade: 'excellent', finalScore: 91 });
    expect(foldAll([self, review])?.evaluation).toMatchObject({ finalGrade: 'fair', finalScore: 78 });
    // Arrival order does not matter: a self-evaluation arriving after the key evaluation does not displace it.
    expect(foldAll([key, review, self])?.evaluation).toMatchObject({ finalGrade: 'poor', finalScore: 58, self: { score: 91 }, financeReview: { score: 78 }, key: { score: 58 } });
  });

  it('a later evaluation of the same kind replaces an earlier one', () => {
    const first = completed('self', 70, 'fair', '2028-03-01T00:00:00.000Z');
    const second = completed('self', 85, 'good', '2028-03-10T00:00:00.000Z');
    expect(foldAll([second, first])?.evaluation.self).toMatchObject({ score: 85, grade: 'good' });
  });

  it('EvaluationCompleted without a sector keeps the sector an earlier declaration event gave', () => {
    const s = foldAll([ev('TargetApproved'), completed('self', 80, 'good', '2028-03-01T00:00:00.000Z')]);
    expect(s?.sector).toBe('agriculture');
    expect(foldAll([completed('self', 80, 'good', '2028-03-01T00:00:00.000Z')])?.spendingType).toBe('project');
  });

  it('BudgetAdjustmentRecommended keeps the recommendation of the evaluation that counts', () => {
    const fromSelf = ev('BudgetAdjustmentRecommended', (d) => {
      d.kind = 'self';
      d.recommendation = 'priority';
      d.proposedAmountWan = 880;
    });
    const fromReview = ev('BudgetAdjustmentRecommended', (d) => {
      d.kind = 'finance_review';
      d.recommendation = 'improve';
      d.proposedAmountWan = 720;
    });
    for (const order of [[fromSelf, fromReview], [fromReview, fromSelf]]) {
      expect(foldAll(order)?.application).toMatchObject({ recommendation: 'improve', proposedAmountWan: 720, kind: 'finance_review' });
    }
  });
});

describe('foldEvent: other events and identity', () => {
  it('an event type the fold does not read leaves the summary unchanged (the same object)', () => {
    const s = foldAll([ev('DeclarationSubmitted')]);
    expect(foldEvent(s, ev('EvaluationSubmitted'))).toBe(s);
    expect(foldEvent(s, ev('IndicatorPublished'))).toBe(s);
    expect(foldEvent(undefined, ev('IndicatorPublished'))).toBeUndefined();
  });

  it('does not mutate the summary it is given', () => {
    const s = foldAll([ev('DeclarationSubmitted')]) as ObjectSummary;
    const copy = structuredClone(s);
    foldEvent(s, ev('DeclarationSubmitted'));
    expect(s).toEqual(copy);
  });

  it('updatedAt is the latest occurredAt folded in, whatever the order', () => {
    const late = ev('DeclarationSubmitted', undefined, '2027-01-05T00:00:00.000Z');
    const early = ev('TargetApproved', undefined, '2026-12-01T00:00:00.000Z');
    expect(foldAll([late, early])?.updatedAt).toBe('2027-01-05T00:00:00.000Z');
  });

  it('every folded type in any order gives the same summary (counters commute)', () => {
    const events = [
      ev('DeclarationSubmitted'),
      ev('TargetRejected', (d) => (d.outcome = 'returned')),
      ev('DeclarationSubmitted', (d) => (d.submission = 2)),
      ev('TargetApproved'),
      ev('MonitoringReported'),
      ev('MonitoringDeviation'),
      ev('DeviationCorrected'),
      ev('MonitoringReminderSent'),
      ev('EvaluationCompleted'),
      ev('BudgetAdjustmentRecommended'),
    ];
    const forward = foldAll(events);
    const backward = foldAll([...events].reverse());
    expect(backward).toEqual(forward);
    expect(forward?.declaration).toMatchObject({ submissions: 2, returned: 1 });
  });
});

describe('foldIntoSummary: redelivery and races', () => {
  beforeEach(() => {
    stored.clear();
    racer.pending = 0;
  });

  it('a redelivered event is folded once', async () => {
    const submitted = consumed(ev('DeclarationSubmitted'));
    await foldIntoSummary(submitted);
    await foldIntoSummary(submitted);
    await foldIntoSummary(structuredClone(submitted));
    expect(stored.get(OBJECT_ID)?.summary.declaration.submissions).toBe(1);
    expect(stored.get(OBJECT_ID)?.version).toBe(1);
  });

  it('a write that loses the race reads again and folds on top of the other write', async () => {
    await foldIntoSummary(consumed(ev('DeclarationSubmitted')));
    racer.pending = 1;
    await foldIntoSummary(consumed(ev('MonitoringEscalated')));
    const s = stored.get(OBJECT_ID);
    expect(s?.summary.monitoring).toMatchObject({ reminders: 1, escalations: 1 });
    expect(s?.summary.declaration.submissions).toBe(1);
    expect(s?.eventIds).toHaveLength(3);
  });

  it('events the fold does not read write nothing', async () => {
    await foldIntoSummary(consumed(ev('IndicatorPublished')));
    await foldIntoSummary(consumed(ev('EvaluationSubmitted')));
    expect(stored.size).toBe(0);
  });
});
