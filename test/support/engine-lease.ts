/**
 * Runs in every test file (vitest `setupFiles`): takes a lease on a DynamoDB Local engine from the
 * run's broker (test/support/engine-broker.ts) before the file is loaded, and when the file ends
 * drops the tables it created there and returns the lease. Tests reach the engine through
 * `testEndpoint()` (test/support/aws-env.ts).
 *
 * The drop runs after the file's own `afterAll` hooks (vitest runs after-hooks in reverse order of
 * registration), so runtimes are stopped before their tables go. Tables in engines a test started
 * itself are not on this engine: not found, nothing to do.
 */
import { DeleteTableCommand, DynamoDBClient, ResourceNotFoundException } from '@aws-sdk/client-dynamodb';
import { afterAll, inject } from 'vitest';
import { tablesCreatedHere } from '../../infra/local/tables.ts';
import type { Lease } from './engine-broker.ts';
import { ENGINE_ENV } from './aws-env.ts';

const broker = inject('engineBroker');
const answer = await fetch(`${broker}/lease`, { method: 'POST' });
if (!answer.ok) throw new Error(`the engine broker refused a lease: ${answer.status} ${await answer.text()}`);
const lease = (await answer.json()) as Lease;
process.env[ENGINE_ENV] = lease.endpoint;

afterAll(async () => {
  try {
    await dropTables(lease.endpoint, tablesCreatedHere());
  } finally {
    await fetch(`${broker}/release/${lease.id}`, { method: 'POST' });
  }
});

async function dropTables(endpoint: string, names: readonly string[]): Promise<void> {
  if (names.length === 0) return;
  const client = new DynamoDBClient({ endpoint, region: 'cn-northwest-1', credentials: { accessKeyId: 'local', secretAccessKey: 'local' } });
  try {
    for (const name of names) {
      try {
        await client.send(new DeleteTableCommand({ TableName: name }));
      } catch (error) {
        if (!(error instanceof ResourceNotFoundException)) throw error;
      }
    }
  } finally {
    client.destroy();
  }
}
