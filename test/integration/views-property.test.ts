/**
 * Maintained views equal their recomputation from the sources, whatever the order and number of
 * their refreshes (test/support/view-property.ts), on real DynamoDB Local: a small run here; the
 * large one is in `npm run test:reliability`.
 */
import { beforeAll, describe, it } from 'vitest';
import evaluation from '../../services/evaluation/service.ts';
import { localTable } from '../support/aws-env.ts';
import { checkViewProperty } from '../support/view-property.ts';

let table: string;

beforeAll(async () => {
  table = await localTable('views-property', evaluation.table!);
});

describe('a maintained view (coverage)', () => {
  it('equals the recomputation from its sources after refreshes delivered late, out of order, twice and at the same moment', async () => {
    await checkViewProperty(table, { runs: 25, objects: 4, steps: 12 });
  });
});

describe('a maintained view (a key window\'s monitoring dashboard)', () => {
  it('equals the recomputation from its sources after refreshes delivered late, out of order, twice and at the same moment, objects entering and leaving the scope', async () => {
    await checkViewProperty(table, { runs: 25, objects: 4, steps: 12, kind: 'dashboard' });
  });
});
