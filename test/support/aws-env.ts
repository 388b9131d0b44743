/** Environment for talking to DynamoDB Local from a test process. */
import { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { ensureTable } from '../../infra/local/tables.ts';
import type { TableSpec } from '../../shared/manifest.ts';
import { resetDynamoClientsForTesting } from '../../shared/clients/dynamodb.ts';

/** Where test/support/engine-lease.ts puts the endpoint of the engine this test file leased. */
export const ENGINE_ENV = 'JIXIAO_TEST_DYNAMODB_ENDPOINT';

/** The DynamoDB Local engine of this test file (leased from the run's engine broker for the file's whole run). */
export function testEndpoint(): string {
  const endpoint = process.env[ENGINE_ENV];
  if (!endpoint) throw new Error(`${ENGINE_ENV} is not set: test/support/engine-lease.ts runs in every test file (vitest setupFiles)`);
  return endpoint;
}

export function useLocalAws(): string {
  const endpoint = testEndpoint();
  process.env.AWS_REGION = 'cn-northwest-1';
  process.env.AWS_ACCESS_KEY_ID = 'local';
  process.env.AWS_SECRET_ACCESS_KEY = 'local';
  process.env.DYNAMODB_ENDPOINT = endpoint;
  return endpoint;
}

/** A unique prefix so concurrent test files never share tables. */
export function uniquePrefix(): string {
  return `t${Date.now().toString(36)}${Math.random().toString(36).slice(2, 6)}-`;
}

/**
 * Points this process at DynamoDB Local and creates a table of its own from a service's table
 * spec (`<unique prefix><name>`); returns its name. The shared document client is reset so that
 * it picks up the endpoint.
 */
export async function localTable(name: string, spec: TableSpec): Promise<string> {
  const endpoint = useLocalAws();
  const table = `${uniquePrefix()}${name}`;
  const admin = new DynamoDBClient({ endpoint, region: 'cn-northwest-1', credentials: { accessKeyId: 'x', secretAccessKey: 'x' } });
  try {
    await ensureTable(admin, table, spec);
  } finally {
    admin.destroy();
  }
  resetDynamoClientsForTesting();
  return table;
}
