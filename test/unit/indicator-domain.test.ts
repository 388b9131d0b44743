import { describe, expect, it } from 'vitest';
import { checkContent, newIndicator, publish, TransitionError, type IndicatorDraftInput } from '../../services/indicators/domain/indicator.ts';

const draft: IndicatorDraftInput = {
  name: '培训人次',
  level1: 'output',
  level2: 'quantity',
  operator: 'gte',
  unit: '人次',
  scope: 'common',
  spendingTypes: ['project'],
};
const actor = { sub: 'f1', role: 'finance' as const, region: '360000' };
const now = new Date('2026-11-28T08:00:00Z');

describe('indicator rules', () => {
  it('accepts a complete quantitative draft', () => {
    expect(checkContent(draft)).toEqual([]);
  });

  it('refuses a level-2 category that belongs to another level-1 category', () => {
    expect(checkContent({ ...draft, level2: 'social_benefit' })).toEqual([expect.objectContaining({ field: 'level2' })]);
  });

  it('requires a unit on a quantitative indicator', () => {
    expect(checkContent({ ...draft, unit: ' ' })).toEqual([expect.objectContaining({ field: 'unit' })]);
  });

  it('lets a qualitative indicator go without a unit', () => {
    expect(checkContent({ ...draft, operator: 'qualitative', unit: undefined })).toEqual([]);
  });

  it('starts a new indicator as a version-1 draft in the actor region', () => {
    const indicator = newIndicator(draft, 'ind_x', actor, now);
    expect(indicator).toMatchObject({ status: 'draft', version: 1, region: '360000', createdBy: 'f1' });
  });

  it('publishes a draft and bumps its version', () => {
    const published = publish(newIndicator(draft, 'ind_x', actor, now), actor, now);
    expect(published).toMatchObject({ status: 'published', version: 2, publishedBy: 'f1' });
  });

  it('refuses to publish twice', () => {
    const published = publish(newIndicator(draft, 'ind_x', actor, now), actor, now);
    expect(() => publish(published, actor, now)).toThrow(TransitionError);
  });
});
