/**
 * Building a maintained view in the background while refreshes go on (shared/views/view-build.ts),
 * and reading a view computed from its sources the way a stored one is read
 * (shared/views/computed-reader.ts), on real DynamoDB Local. The contributions are the evaluation
 * coverage view's (any view's would do): an object without a self-evaluation is on the `missing`
 * list of its department.
 */
import { randomUUID } from 'node:crypto';
import { beforeAll, describe, expect, it } from 'vitest';
import evaluation from '../../services/evaluation/service.ts';
import { coverageContribution } from '../../services/evaluation/domain/coverage-view.ts';
import { computeView, viewDifferences, type Contribution } from '../../shared/pure/view-delta.ts';
import { computedGroupLines, computedLines } from '../../shared/views/computed-reader.ts';
import { readGroupLines, readLines, refreshContribution, storedView, type ViewKey } from '../../shared/views/counted-view.ts';
import { buildDone, buildPending, buildPendingWrite, buildView } from '../../shared/views/view-build.ts';
import { documentClient } from '../../shared/clients/dynamodb.ts';
import { TransactWriteCommand } from '@aws-sdk/lib-dynamodb';
import { localTable } from '../support/aws-env.ts';

let table: string;
const newKey = (): ViewKey => ({ table, view: `build-${randomUUID().slice(0, 8)}`, region: '360000', year: 2027 });

const OBJECTS = [
  { objectId: 'obj_e3', department: 'D-EDU', unit: 'U-2' },
  { objectId: 'obj_a1', department: 'D-AGR', unit: 'U-1' },
  { objectId: 'obj_e1', department: 'D-EDU', unit: 'U-1' },
  { objectId: 'obj_w1', department: 'D-WAT', unit: 'U-1' },
  { objectId: 'obj_e2', department: 'D-EDU', unit: 'U-1' },
  { objectId: 'obj_a2', department: 'D-AGR', unit: 'U-2' },
];
/** Every object without a self-evaluation (all on the missing lists), or with the statuses given. */
const contributions = (statuses: Record<string, 'draft' | 'submitted'> = {}) =>
  new Map<string, Contribution>(OBJECTS.map((o) => [o.objectId, coverageContribution({ ...o, name: o.objectId }, statuses[o.objectId])]));
const ids = (items: { data: Record<string, unknown> }[]) => items.map((l) => l.data.objectId);

beforeAll(async () => {
  table = await localTable('view-build', evaluation.table!);
});

describe('building a view while refreshes go on', () => {
  it('builds every object from the sources, except one a refresh moved after the snapshot: that one stays as the refresh made it', async () => {
    const k = newKey();
    const fresh = coverageContribution({ ...OBJECTS[1]!, name: 'obj_a1' }, 'submitted');
    const result = await buildView(k, async () => {
      // A self-evaluation of obj_a1 is submitted and refreshed while the builder reads its (older) sources.
      await refreshContribution(k, 'obj_a1', fresh);
      return contributions();
    });
    expect(result).toEqual({ written: OBJECTS.length - 1, refreshedMeanwhile: 1 });
    const expected = computeView(contributions({ obj_a1: 'submitted' }).values());
    const stored = await storedView(k, ['missing']);
    expect(viewDifferences(stored, expected)).toEqual([]);
    expect(stored.lists.get('missing')?.map((l) => l.data.objectId)).toEqual(['obj_a2', 'obj_e1', 'obj_e2', 'obj_e3', 'obj_w1']);
    expect(stored.contributions.get('obj_a1')).toEqual(fresh);
  });

  it('moves an object the view already holds by the difference, and removes one the sources no longer have', async () => {
    const k = newKey();
    for (const [id, c] of contributions()) await refreshContribution(k, id, c);
    const next = contributions({ obj_e1: 'submitted', obj_e2: 'submitted' });
    next.delete('obj_w1');
    // Two moved (e1, e2), one removed (w1); the other three already hold what the sources give.
    expect(await buildView(k, async () => next)).toEqual({ written: 3, refreshedMeanwhile: 0 });
    const stored = await storedView(k, ['missing']);
    expect(viewDifferences(stored, computeView(next.values()))).toEqual([]);
    expect([...stored.contributions.keys()].sort()).toEqual([...next.keys()].sort());
  });

  it('is pending from the request until the build that started after it is done; a request during a build keeps it pending', async () => {
    const k = newKey();
    const request = async (at: string) => documentClient().send(new TransactWriteCommand({ TransactItems: [buildPendingWrite(k, at, 'test')] }));
    expect(await buildPending(k)).toBe(false);
    await request('2027-04-01T00:00:00.000Z');
    expect(await buildPending(k)).toBe(true);
    await request('2027-04-01T00:00:05.000Z'); // asked again while a build that started at :03 runs
    await buildDone(k, '2027-04-01T00:00:03.000Z');
    expect(await buildPending(k)).toBe(true);
    await buildDone(k, '2027-04-01T00:00:06.000Z');
    expect(await buildPending(k)).toBe(false);
    await buildDone(k, '2027-04-01T00:00:07.000Z'); // done twice (a redelivery): nothing to remove, no error
  });
});

describe('a view computed from its sources, read as a stored one is', () => {
  let k: ViewKey;
  const sources = contributions({ obj_w1: 'submitted' });
  const computed = computeView(sources.values());
  beforeAll(async () => {
    k = newKey();
    await buildView(k, async () => sources);
  });

  /** Every page of the walk over all groups, each page read by the reader `pick` chooses for it. */
  async function walk(limit: number, pick: (page: number) => 'stored' | 'computed'): Promise<unknown[]> {
    const all: unknown[] = [];
    let cursor: string | undefined;
    for (let page = 0; ; page++) {
      const got = pick(page) === 'stored' ? await readLines(k, 'missing', limit, cursor) : computedLines(k, computed, 'missing', limit, cursor);
      all.push(...ids(got.items));
      cursor = got.nextCursor;
      if (!cursor) return all;
    }
  }

  it('gives the same lines over every group, whichever reader reads each page, for every page size', async () => {
    const whole = await walk(100, () => 'stored');
    expect(whole).toEqual(['obj_a1', 'obj_a2', 'obj_e1', 'obj_e2', 'obj_e3']);
    for (const limit of [1, 2, 3, 4]) {
      expect(await walk(limit, () => 'computed'), `computed, ${limit} a page`).toEqual(whole);
      expect(await walk(limit, (p) => (p === 0 ? 'computed' : 'stored')), `computed then stored, ${limit} a page`).toEqual(whole);
      expect(await walk(limit, (p) => (p === 0 ? 'stored' : 'computed')), `stored then computed, ${limit} a page`).toEqual(whole);
    }
  });

  it("gives the same lines of one group's list, and a cursor of one reader goes on in the other", async () => {
    const first = computedGroupLines(k, computed, 'missing', 'D-EDU', 2);
    expect(ids(first.items)).toEqual(ids((await readGroupLines(k, 'missing', 'D-EDU', 2)).items));
    expect(ids((await readGroupLines(k, 'missing', 'D-EDU', 2, first.nextCursor)).items)).toEqual(['obj_e3']);
    const stored = await readGroupLines(k, 'missing', 'D-EDU', 1);
    expect(ids(computedGroupLines(k, computed, 'missing', 'D-EDU', 5, stored.nextCursor).items)).toEqual(['obj_e2', 'obj_e3']);
  });
});
