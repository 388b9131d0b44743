/** The pure rules of maintained views (shared/pure/view-delta.ts) and coverage's contribution. */
import { describe, expect, it } from 'vitest';
import { computeView, sameContribution, viewDelta, viewDifferences, type Contribution } from '../../shared/pure/view-delta.ts';
import { coverageContribution } from '../../services/evaluation/domain/coverage-view.ts';

const object = { objectId: 'obj_1', name: '高中助学金项目', department: 'D-EDU', unit: 'U-EDU-01' };

describe('coverage contribution', () => {
  it('counts an object without a self-evaluation as approved and lists it as missing under its department, unit and id', () => {
    expect(coverageContribution(object, undefined)).toEqual({
      group: 'D-EDU',
      counts: { approved: 1, submitted: 0 },
      lines: [{ list: 'missing', sortKey: 'U-EDU-01#obj_1', data: { objectId: 'obj_1', name: '高中助学金项目', unit: 'U-EDU-01' } }],
    });
  });

  it('keeps a draft missing', () => {
    expect(coverageContribution(object, 'draft')).toEqual(coverageContribution(object, undefined));
  });

  it('counts a submitted or reviewed one as submitted, with no missing line', () => {
    for (const status of ['submitted', 'reviewed'] as const) expect(coverageContribution(object, status)).toEqual({ group: 'D-EDU', counts: { approved: 1, submitted: 1 }, lines: [] });
  });
});

describe('view delta', () => {
  const missing = coverageContribution(object, undefined);
  const submitted = coverageContribution(object, 'submitted');

  it('adds a new object’s counts and lines', () => {
    const d = viewDelta(undefined, missing);
    expect([...d.groups]).toEqual([['D-EDU', { approved: 1 }]]);
    expect(d.putLines).toEqual(missing.lines.map((l) => ({ ...l, group: 'D-EDU' })));
    expect(d.removeLines).toEqual([]);
  });

  it('moves a submission: +1 submitted, the missing line removed, approved unchanged (left out)', () => {
    const d = viewDelta(missing, submitted);
    expect([...d.groups]).toEqual([['D-EDU', { submitted: 1 }]]);
    expect(d.removeLines).toEqual([{ group: 'D-EDU', list: 'missing', sortKey: 'U-EDU-01#obj_1' }]);
    expect(d.putLines).toEqual([]);
  });

  it('moves an object to another department: its counts leave one group and reach the other', () => {
    const moved = coverageContribution({ ...object, department: 'D-AGR' }, undefined);
    const d = viewDelta(missing, moved);
    expect(Object.fromEntries(d.groups)).toEqual({ 'D-EDU': { approved: -1 }, 'D-AGR': { approved: 1 } });
    expect(d.removeLines.map((l) => [l.group, l.sortKey])).toEqual([['D-EDU', 'U-EDU-01#obj_1']]);
    expect(d.putLines.map((l) => [l.group, l.sortKey])).toEqual([['D-AGR', 'U-EDU-01#obj_1']]);
  });

  it('rewrites a line whose data changed (a renamed object) without touching the counts', () => {
    const renamed = coverageContribution({ ...object, name: '高中国家助学金项目' }, undefined);
    const d = viewDelta(missing, renamed);
    expect(d.groups.size).toBe(0);
    expect(d.putLines).toEqual(renamed.lines.map((l) => ({ ...l, group: 'D-EDU' })));
    expect(d.removeLines).toEqual([]);
  });

  it('changes nothing between equal contributions', () => {
    const d = viewDelta(missing, structuredClone(missing));
    expect([d.groups.size, d.putLines.length, d.removeLines.length]).toEqual([0, 0, 0]);
    expect(sameContribution(missing, structuredClone(missing))).toBe(true);
    expect(sameContribution(missing, submitted)).toBe(false);
  });
});

describe('view differences', () => {
  const contributions: Contribution[] = [
    coverageContribution(object, undefined),
    coverageContribution({ ...object, objectId: 'obj_2' }, 'submitted'),
    coverageContribution({ ...object, objectId: 'obj_3', department: 'D-AGR' }, undefined),
  ];

  it('sums counts per group and orders each list by sort key', () => {
    const v = computeView(contributions);
    expect(Object.fromEntries(v.groups)).toEqual({ 'D-EDU': { approved: 2, submitted: 1 }, 'D-AGR': { approved: 1, submitted: 0 } });
    expect(v.lists.get('missing')?.map((l) => [l.group, l.sortKey])).toEqual([
      ['D-AGR', 'U-EDU-01#obj_3'],
      ['D-EDU', 'U-EDU-01#obj_1'],
    ]);
  });

  it('names a wrong count and a line too many or missing', () => {
    const right = computeView(contributions);
    const wrong = computeView(contributions.slice(1));
    wrong.groups.set('D-EDU', { approved: 1, submitted: 2 });
    expect(viewDifferences(wrong, right)).toEqual([
      'group D-EDU: approved is 1, the sources give 2',
      'group D-EDU: submitted is 2, the sources give 1',
      'list missing: line D-EDU: U-EDU-01#obj_1 is missing',
    ]);
    expect(viewDifferences(right, wrong)).toContain('list missing: line D-EDU: U-EDU-01#obj_1 is kept, the sources have none');
  });

  it('treats a group whose counts are all zero as no group', () => {
    const empty = computeView([]);
    expect(viewDifferences({ groups: new Map([['D-EDU', { approved: 0, submitted: 0 }]]), lists: new Map() }, empty)).toEqual([]);
  });
});

describe('a line listed under a group of its own', () => {
  const worst = (score: number): Contribution => ({ group: 'D-EDU', counts: { objects: 1 }, lines: [{ group: '~region', list: 'worst', sortKey: `${score}#obj_1`, data: { objectId: 'obj_1' } }] });

  it('is put and removed under the group it names, while its counts stay with the contribution’s group', () => {
    const d = viewDelta(worst(40), worst(55));
    expect([...d.groups]).toEqual([]);
    expect(d.removeLines).toEqual([{ group: '~region', list: 'worst', sortKey: '40#obj_1' }]);
    expect(d.putLines).toEqual([{ group: '~region', list: 'worst', sortKey: '55#obj_1', data: { objectId: 'obj_1' } }]);
  });

  it('is computed under that group', () => {
    const view = computeView([worst(40)]);
    expect([...view.groups.keys()]).toEqual(['D-EDU']);
    expect(view.lists.get('worst')?.map((l) => l.group)).toEqual(['~region']);
  });
});
