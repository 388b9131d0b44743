/**
 * The maintained-view property at size (`npm run test:reliability` only; the small run is in
 * `npm test`, test/integration/views-property.test.ts): more runs, more objects and longer
 * histories, so that rare interleavings of late, repeated and simultaneous refreshes happen.
 */
import { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { beforeAll, describe, it } from 'vitest';
import evaluation from '../../services/evaluation/service.ts';
import { ensureTable } from '../../infra/local/tables.ts';
import { resetDynamoClientsForTesting } from '../../shared/clients/dynamodb.ts';
import { uniquePrefix, useLocalAws } from '../support/aws-env.ts';
import { checkViewProperty } from '../support/view-property.ts';

let table: string;

beforeAll(async () => {
  const endpoint = useLocalAws();
  table = `${uniquePrefix()}views-property-full`;
  const admin = new DynamoDBClient({ endpoint, region: 'cn-northwest-1', credentials: { accessKeyId: 'x', secretAccessKey: 'x' } });
  await ensureTable(admin, table, evaluation.table!);
  admin.destroy();
  resetDynamoClientsForTesting();
});

describe('a maintained view (coverage), at size', () => {
  it('equals the recomputation from its sources over 300 random histories of up to 40 changes to 8 objects', async () => {
    await checkViewProperty(table, { runs: 300, objects: 8, steps: 40 });
  });
});
