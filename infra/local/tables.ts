/** Creates each service's table in DynamoDB Local from its manifest (the same spec CDK uses). */
import {
  CreateTableCommand,
  DescribeTableCommand,
  ResourceNotFoundException,
  UpdateTimeToLiveCommand,
  type AttributeDefinition,
  type DynamoDBClient,
} from '@aws-sdk/client-dynamodb';
import type { ServiceManifest, TableSpec } from '../../shared/manifest.ts';

export function localTableName(prefix: string, regionCode: string, service: string): string {
  return `${prefix}jixiao-${regionCode}-${service}`;
}

function attributeDefinitions(spec: TableSpec): AttributeDefinition[] {
  const keys = [spec.partitionKey, spec.sortKey, ...spec.indexes.flatMap((i) => [i.partitionKey, i.sortKey])];
  const byName = new Map<string, AttributeDefinition>();
  for (const key of keys) if (key) byName.set(key.name, { AttributeName: key.name, AttributeType: key.type });
  return [...byName.values()];
}

/**
 * The tables this process created, by name. The test run drops a test file's tables when the file
 * ends (test/support/drop-tables.ts): one DynamoDB Local serves the whole run, and an engine that
 * keeps every earlier file's tables and items slows down every file after them.
 */
const createdHere = new Set<string>();
export const tablesCreatedHere = (): readonly string[] => [...createdHere];

/** Returns the stream ARN (undefined when the table has no stream). */
export async function ensureTable(client: DynamoDBClient, tableName: string, spec: TableSpec): Promise<string | undefined> {
  try {
    const existing = await client.send(new DescribeTableCommand({ TableName: tableName }));
    return existing.Table?.LatestStreamArn;
  } catch (error) {
    if (!(error instanceof ResourceNotFoundException)) throw error;
  }
  const created = await client.send(
    new CreateTableCommand({
      TableName: tableName,
      BillingMode: 'PAY_PER_REQUEST',
      AttributeDefinitions: attributeDefinitions(spec),
      KeySchema: [
        { AttributeName: spec.partitionKey.name, KeyType: 'HASH' },
        ...(spec.sortKey ? [{ AttributeName: spec.sortKey.name, KeyType: 'RANGE' as const }] : []),
      ],
      GlobalSecondaryIndexes: spec.indexes.length
        ? spec.indexes.map((index) => ({
            IndexName: index.name,
            KeySchema: [
              { AttributeName: index.partitionKey.name, KeyType: 'HASH' as const },
              ...(index.sortKey ? [{ AttributeName: index.sortKey.name, KeyType: 'RANGE' as const }] : []),
            ],
            Projection: { ProjectionType: 'ALL' as const },
          }))
        : undefined,
      StreamSpecification: spec.stream === 'none' ? undefined : { StreamEnabled: true, StreamViewType: spec.stream },
    }),
  );
  createdHere.add(tableName);
  if (spec.timeToLiveAttribute) {
    await client.send(
      new UpdateTimeToLiveCommand({ TableName: tableName, TimeToLiveSpecification: { Enabled: true, AttributeName: spec.timeToLiveAttribute } }),
    );
  }
  return created.TableDescription?.LatestStreamArn;
}

export interface LocalTable {
  service: string;
  tableName: string;
  streamArn?: string;
}

export async function ensureTables(
  client: DynamoDBClient,
  manifests: readonly ServiceManifest[],
  naming: (service: string) => string,
): Promise<LocalTable[]> {
  const tables: LocalTable[] = [];
  for (const manifest of manifests) {
    if (!manifest.table) continue;
    const tableName = naming(manifest.name);
    const streamArn = await ensureTable(client, tableName, manifest.table);
    tables.push({ service: manifest.name, tableName, ...(streamArn ? { streamArn } : {}) });
  }
  return tables;
}
