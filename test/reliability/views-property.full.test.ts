/**
 * The maintained-view property at size (`npm run test:reliability` only; the small run is in
 * `npm test`, test/integration/views-property.test.ts): more runs, more objects and longer
 * histories, so that rare interleavings of late, repeated and simultaneous refreshes happen.
 */
import { beforeAll, describe, it } from 'vitest';
import evaluation from '../../services/evaluation/service.ts';
import { localTable } from '../support/aws-env.ts';
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
