/** Environment for talking to DynamoDB Local from a test process. */
import { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { inject } from 'vitest';
import { ensureTable } from '../../infra/local/tables.ts';
import type { TableSpec } from '../../shared/manifest.ts';
import { resetDynamoClientsForTesting } from '../../shared/clients/dynamodb.ts';

export function useLocalAws(): string {
  const endpoint = inject('dynamodbEndpoint');
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
