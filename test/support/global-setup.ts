/**
 * One DynamoDB Local for the whole test run (random port, in memory), stopped at the end even
 * when tests fail; if the runner itself dies, the engine's watchdog stops Java (see
 * infra/local/dynamodb-local.ts).
 */
import type { TestProject } from 'vitest/node';
import { startDynamoDbLocal, type DynamoDbLocal } from '../../infra/local/dynamodb-local.ts';

let engine: DynamoDbLocal | undefined;

export async function setup(project: TestProject): Promise<void> {
  engine = await startDynamoDbLocal({});
  project.provide('dynamodbEndpoint', engine.endpoint);
}

export async function teardown(): Promise<void> {
  await engine?.stop();
}

declare module 'vitest' {
  export interface ProvidedContext {
    dynamodbEndpoint: string;
  }
}
