/**
 * Maintained views equal their recomputation from the sources, whatever the order and number of
 * their refreshes (test/support/view-property.ts), on real DynamoDB Local: a small run here; the
 * large one is in `npm run test:reliability`.
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
  table = `${uniquePrefix()}views-property`;
  const admin = new DynamoDBClient({ endpoint, region: 'cn-northwest-1', credentials: { accessKeyId: 'x', secretAccessKey: 'x' } });
  await ensureTable(admin, table, evaluation.table!);
  admin.destroy();
  resetDynamoClientsForTesting();
});

describe('a maintained view (coverage)', () => {
  it('equals the recomputation from its sources after refreshes delivered late, out of order, twice and at the same moment', async () => {
    await checkViewProperty(table, { runs: 25, objects: 4, steps: 12 });
  });
});
