/**
 * Runs a service's API handler in this process against the run's DynamoDB Local, with a
 * recorder on the shared DynamoDB client so tests can see every command a request sent
 * (to prove, for instance, that no request path scans a table).
 */
import { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { ensureTable } from '../../infra/local/tables.ts';
import { documentClient, resetDynamoClientsForTesting } from '../../shared/clients/dynamodb.ts';
import type { TableSpec } from '../../shared/manifest.ts';
import { apiEvent, lambdaContext, type ApiCall } from './api-event.ts';
import { uniquePrefix, useLocalAws } from './aws-env.ts';

export interface InProcessApi {
  tableName: string;
  /** Command names sent since the last `clear()`. */
  commands: string[];
  clear(): void;
  call(c: ApiCall): Promise<{ status: number; headers: Record<string, string>; body: any; text: string }>;
}

export async function inProcessApi(options: { service: string; table: TableSpec; handlerModule: string; regionCode?: string; endpoint?: string }): Promise<InProcessApi> {
  const endpoint = options.endpoint ?? useLocalAws();
  if (options.endpoint) {
    useLocalAws();
    process.env.DYNAMODB_ENDPOINT = options.endpoint;
  }
  const tableName = `${uniquePrefix()}${options.service}`;
  const admin = new DynamoDBClient({ endpoint, region: 'cn-northwest-1', credentials: { accessKeyId: 'x', secretAccessKey: 'x' } });
  await ensureTable(admin, tableName, options.table);
  admin.destroy();
  Object.assign(process.env, {
    TABLE_NAME: tableName,
    REGION_CODE: options.regionCode ?? '360000',
    EVENT_SOURCE: `jixiao.${options.service}`,
    EVENT_BUS_NAME: 'unused',
    SERVICE_NAME: options.service,
  });
  resetDynamoClientsForTesting();
  const commands: string[] = [];
  documentClient().middlewareStack.add(
    (next, context) => async (args) => {
      commands.push(context.commandName as string);
      return next(args);
    },
    { step: 'initialize', name: 'testCommandRecorder' },
  );
  const { handler } = (await import(options.handlerModule)) as { handler: (e: unknown, c: unknown) => Promise<{ statusCode: number; headers: Record<string, string>; body?: string }> };
  return {
    tableName,
    commands,
    clear: () => void commands.splice(0),
    call: async (c) => {
      const result = await handler(apiEvent(c), lambdaContext(`${options.service}-api`));
      const text = result.body ?? '';
      let body: unknown = text;
      try {
        body = text ? JSON.parse(text) : undefined;
      } catch {
        /* raw body */
      }
      return { status: result.statusCode, headers: result.headers, body, text };
    },
  };
}
