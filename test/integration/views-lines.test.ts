/**
 * A maintained view's lists on real DynamoDB Local (shared/views/counted-view.ts): one group's
 * lines page in sort-key order, and the walk over every group pages through all of them, groups
 * in order, with a cursor that refuses to be anything else.
 */
import { randomUUID } from 'node:crypto';
import { beforeAll, describe, expect, it } from 'vitest';
import evaluation from '../../services/evaluation/service.ts';
import { coverageContribution } from '../../services/evaluation/domain/coverage-view.ts';
import { Problem } from '../../shared/errors.ts';
import { readGroupLines, readLines, refreshContribution, type ViewKey } from '../../shared/views/counted-view.ts';
import { localTable } from '../support/aws-env.ts';

let k: ViewKey;
/** Two objects without a self-evaluation in D-AGR, three in D-EDU, none in D-WAT (all submitted there). */
const OBJECTS = [
  { objectId: 'obj_e3', department: 'D-EDU', unit: 'U-2', status: undefined },
  { objectId: 'obj_a1', department: 'D-AGR', unit: 'U-1', status: undefined },
  { objectId: 'obj_e1', department: 'D-EDU', unit: 'U-1', status: undefined },
  { objectId: 'obj_w1', department: 'D-WAT', unit: 'U-1', status: 'submitted' as const },
  { objectId: 'obj_e2', department: 'D-EDU', unit: 'U-1', status: 'draft' as const },
  { objectId: 'obj_a2', department: 'D-AGR', unit: 'U-2', status: undefined },
];

beforeAll(async () => {
  const table = await localTable('views-lines', evaluation.table!);
  k = { table, view: `lines-${randomUUID().slice(0, 8)}`, region: '360000', year: 2027 };
  for (const o of OBJECTS) await refreshContribution(k, o.objectId, coverageContribution({ ...o, name: o.objectId }, o.status));
});

const ids = (items: { data: Record<string, unknown> }[]) => items.map((l) => l.data.objectId);

describe('the lines of a maintained view', () => {
  it("page through one group's list in sort-key order (unit, then object)", async () => {
    const first = await readGroupLines(k, 'missing', 'D-EDU', 2);
    const second = await readGroupLines(k, 'missing', 'D-EDU', 2, first.nextCursor);
    expect([ids(first.items), ids(second.items)]).toEqual([['obj_e1', 'obj_e2'], ['obj_e3']]);
    expect(second.nextCursor).toBeUndefined();
  });

  it('walk every group in order, two lines a page, across group boundaries', async () => {
    const pages: unknown[][] = [];
    let cursor: string | undefined;
    do {
      const page = await readLines(k, 'missing', 2, cursor);
      pages.push(ids(page.items));
      cursor = page.nextCursor;
    } while (cursor);
    expect(pages).toEqual([['obj_a1', 'obj_a2'], ['obj_e1', 'obj_e2'], ['obj_e3']]);
  });

  it('refuse a cursor that is not one of theirs with a 400', async () => {
    await expect(readLines(k, 'missing', 2, 'not-a-cursor')).rejects.toSatisfy((e: unknown) => e instanceof Problem && e.status === 400);
  });
});
