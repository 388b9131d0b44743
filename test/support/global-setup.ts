/**
 * The run's DynamoDB Local engines (random ports, in memory), handed out to test files by a broker
 * that replaces an engine as it ages (test/support/engine-broker.ts: DynamoDB Local slows down with
 * use), all stopped at the end even when tests fail; if the runner itself dies, each engine's
 * watchdog stops its Java (see infra/local/dynamodb-local.ts). And the function bundles the local
 * runtime runs, built once.
 */
import type { TestProject } from 'vitest/node';
import { startDynamoDbLocal } from '../../infra/local/dynamodb-local.ts';
import { prepareBundles } from '../../infra/local/functions.ts';
import { startEngineBroker, type EngineBroker } from './engine-broker.ts';

/** How long an engine serves new leases (`JIXIAO_TEST_ENGINE_ROTATE_MS`); see engine-broker.ts for the measurements. */
const ROTATE_AFTER_MS = Number(process.env.JIXIAO_TEST_ENGINE_ROTATE_MS ?? 90_000);

let broker: EngineBroker | undefined;

export async function setup(project: TestProject): Promise<void> {
  // Every function's bundle in the local runtime's cache before any test file starts (a few ms each
  // when cached), while Java starts: no test meets a build, and no two test files build the same bundle.
  // A handler that does not build fails its own tests (at its cold start), not the whole run.
  const bundles = prepareBundles().catch((error: unknown) => console.warn(`Function bundles not prepared: ${(error as Error).message}`));
  broker = await startEngineBroker({ start: () => startDynamoDbLocal({}), rotateAfterMs: ROTATE_AFTER_MS });
  project.provide('engineBroker', broker.url);
  await bundles;
}

export async function teardown(): Promise<void> {
  await broker?.stop();
}

declare module 'vitest' {
  export interface ProvidedContext {
    /** The engine broker's URL; test files reach their engine through `testEndpoint()` (aws-env.ts). */
    engineBroker: string;
  }
}
