/**
 * One DynamoDB Local for the whole test run (random port, in memory), stopped at the end even
 * when tests fail; if the runner itself dies, the engine's watchdog stops Java (see
 * infra/local/dynamodb-local.ts). And the function bundles the local runtime runs, built once.
 */
import type { TestProject } from 'vitest/node';
import { startDynamoDbLocal, type DynamoDbLocal } from '../../infra/local/dynamodb-local.ts';
import { prepareBundles } from '../../infra/local/functions.ts';

let engine: DynamoDbLocal | undefined;

export async function setup(project: TestProject): Promise<void> {
  // Every function's bundle in the local runtime's cache before any test file starts (a few ms each
  // when cached), while Java starts: no test meets a build, and no two test files build the same bundle.
  // A handler that does not build fails its own tests (at its cold start), not the whole run.
  const bundles = prepareBundles().catch((error: unknown) => console.warn(`Function bundles not prepared: ${(error as Error).message}`));
  engine = await startDynamoDbLocal({});
  project.provide('dynamodbEndpoint', engine.endpoint);
  await bundles;
}

export async function teardown(): Promise<void> {
  await engine?.stop();
}

declare module 'vitest' {
  export interface ProvidedContext {
    dynamodbEndpoint: string;
  }
}
