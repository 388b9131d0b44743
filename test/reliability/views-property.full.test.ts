/**
 * The maintained-view properties at size (`npm run test:reliability` only; the small runs are in
 * `npm test`, test/integration/views-property.test.ts and accountability-summary-view.test.ts):
 * more runs, more objects and longer histories, so that rare interleavings of late, repeated and
 * simultaneous refreshes happen.
 */
import { beforeAll, describe, it } from 'vitest';
import accountability from '../../services/accountability/service.ts';
import evaluation from '../../services/evaluation/service.ts';
import { localTable } from '../support/aws-env.ts';
import { checkSummaryViewProperty } from '../support/summary-view-property.ts';
import { checkViewProperty } from '../support/view-property.ts';

let table: string;

beforeAll(async () => {
  table = await localTable('views-property-full', evaluation.table!);
});

describe('a maintained view (coverage), at size', () => {
  it('equals the recomputation from its sources over 300 random histories of up to 40 changes to 8 objects', async () => {
    await checkViewProperty(table, { runs: 300, objects: 8, steps: 40 });
  });
});

describe("a maintained view (a key window's monitoring dashboard), at size", () => {
  it('equals the recomputation from its sources over 300 random histories of up to 40 changes to 8 objects', async () => {
    await checkViewProperty(table, { runs: 300, objects: 8, steps: 40, kind: 'dashboard' });
  });
});

describe('the summaries view (accountability), at size', () => {
  // Each run folds up to 72 events (and a third again) through transactions on a DynamoDB Local the
  // other reliability files share: about 1 s a run alone, several under their load.
  it('equals the recomputation from the summaries over 50 random years of up to 12 events for each of 6 objects', { timeout: 900_000 }, async () => {
    process.env.TABLE_NAME = await localTable('summary-view-property-full', accountability.table!);
    await checkSummaryViewProperty({ runs: 50, objects: 6, eventsPerObject: 12 });
  });
});
