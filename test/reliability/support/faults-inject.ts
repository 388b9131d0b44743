/**
 * Fault injection inside the local runtime's function sandboxes (worker threads), for the
 * reliability suite's fault tests. Nothing here is imported by product code: the tests start
 * the runtime with manifests whose entries are the small wrapper modules beside this file
 * (faults-*-entry.ts), which import the real handler and install a fault on the real client it
 * uses (the process-wide singletons of shared/clients/*), so the handler code is unchanged.
 *
 * The test (main thread) and the sandboxes (other threads, up to four per function) share a
 * control directory per function name. A fault is a budget of token files; a sandbox injects a
 * fault only after it removed one token file, which exactly one thread can do, so the number of
 * faults injected is exact whatever the concurrency.
 */
import { existsSync, mkdirSync, readdirSync, readFileSync, rmSync, unlinkSync, writeFileSync } from 'node:fs';
import { Readable } from 'node:stream';
import { join } from 'node:path';
import type { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import type { EventBridgeClient } from '@aws-sdk/client-eventbridge';

/**
 * `.jixiao/test-faults` in the working directory (the repository when tests run; git-ignored). The
 * working directory, not this file's location: the sandboxes run this file bundled, from the local
 * runtime's bundle cache, and the process's working directory is what every thread shares.
 */
export const FAULTS_DIR = join(process.cwd(), '.jixiao', 'test-faults');

const dirOf = (functionName: string) => join(FAULTS_DIR, functionName);
const sanitize = (part: string) => part.replace(/[^A-Za-z0-9.-]/g, '-');

// ---------------------------------------------------------------------------------------------
// Test side

/** The control of one function's faults (by its physical name, e.g. `<prefix>indicators-api`). */
export class FaultControl {
  private counter = 0;
  constructor(readonly functionName: string) {
    mkdirSync(join(dirOf(functionName), 'tokens'), { recursive: true });
  }

  /** Adds `count` tokens of `kind` (e.g. `TransactWriteItems__ThrottlingException`). */
  add(kind: string, count: number): void {
    for (let i = 0; i < count; i++) writeFileSync(join(dirOf(this.functionName), 'tokens', `${kind}__${process.pid}.${++this.counter}`), '');
  }

  /** Tokens of `kind` (prefix) still unused. */
  remaining(kindPrefix = ''): number {
    return tokenFiles(this.functionName).filter((f) => f.startsWith(kindPrefix)).length;
  }

  /** Removes every unused token: no fault is injected any more. */
  clearTokens(): void {
    for (const file of tokenFiles(this.functionName)) rmSync(join(dirOf(this.functionName), 'tokens', file), { force: true });
  }

  /** A JSON plan the sandbox reads on every invocation (consumer modes). */
  setPlan(plan: unknown): void {
    writeFileSync(join(dirOf(this.functionName), 'plan.json'), JSON.stringify(plan));
  }

  /** Counters the sandboxes wrote (one file per event, so concurrent sandboxes never race). */
  marks(name: string): number {
    const dir = join(dirOf(this.functionName), 'marks');
    return existsSync(dir) ? readdirSync(dir).filter((f) => f.startsWith(`${name}__`)).length : 0;
  }

  remove(): void {
    rmSync(dirOf(this.functionName), { recursive: true, force: true });
  }
}

// ---------------------------------------------------------------------------------------------
// Sandbox side

function tokenFiles(functionName: string): string[] {
  const dir = join(dirOf(functionName), 'tokens');
  return existsSync(dir) ? readdirSync(dir) : [];
}

/** Takes one token whose kind starts with `kindPrefix`; returns its kind, or undefined. */
export function takeToken(functionName: string, accept: (kind: string) => boolean): string | undefined {
  for (const file of tokenFiles(functionName)) {
    const kind = file.slice(0, file.lastIndexOf('__'));
    if (!accept(kind)) continue;
    try {
      unlinkSync(join(dirOf(functionName), 'tokens', file));
      return kind;
    } catch {
      // another sandbox took it first
    }
  }
  return undefined;
}

export function readPlan<T>(functionName: string): T | undefined {
  try {
    return JSON.parse(readFileSync(join(dirOf(functionName), 'plan.json'), 'utf8')) as T;
  } catch {
    return undefined;
  }
}

/** Leaves a mark the test counts (`name__unique`). */
export function mark(functionName: string, name: string, unique: string): void {
  const dir = join(dirOf(functionName), 'marks');
  mkdirSync(dir, { recursive: true });
  writeFileSync(join(dir, `${name}__${sanitize(unique)}`), '');
}

function bodyText(body: unknown): string {
  if (typeof body === 'string') return body;
  return body instanceof Uint8Array ? Buffer.from(body.buffer, body.byteOffset, body.byteLength).toString('utf8') : '';
}

/** The error DynamoDB answers with, as the awsJson1_0 wire response the SDK deserializes. */
function dynamoErrorResponse(errorName: string, operation: string, requestBody: string): unknown {
  const body: Record<string, unknown> = { __type: `com.amazonaws.dynamodb.v20120810#${errorName}` };
  if (errorName === 'TransactionCanceledException') {
    // What DynamoDB answers when another transaction holds one of the items.
    const count = (JSON.parse(requestBody || '{}').TransactItems ?? [{}]).length as number;
    body.CancellationReasons = Array.from({ length: count }, (_, i) => (i === 0 ? { Code: 'TransactionConflict', Message: 'Transaction is ongoing for the item' } : { Code: 'None' }));
    body.Message = `Transaction cancelled, please refer cancellation reasons for specific reasons [TransactionConflict${', None'.repeat(count - 1)}]`;
  } else {
    body.message = `injected by the reliability suite (${operation})`;
  }
  const text = JSON.stringify(body);
  return {
    statusCode: 400,
    reason: 'Bad Request',
    headers: { 'content-type': 'application/x-amz-json-1.0', 'x-amzn-requestid': `fault-${Date.now()}`, 'content-length': String(Buffer.byteLength(text)) },
    body: Readable.from([Buffer.from(text)]),
  };
}

/**
 * Installs on the sandbox's real DynamoDB client a middleware below the SDK's retry and
 * deserializer: a request for which a token `<Operation>__<ErrorName>` exists does not reach
 * DynamoDB (so it writes nothing) and gets DynamoDB's error response instead, which the SDK
 * deserializes and retries exactly as it would a real one.
 */
export function installDynamoFaults(client: DynamoDBClient, functionName = process.env.AWS_LAMBDA_FUNCTION_NAME as string): void {
  client.middlewareStack.addRelativeTo(
    ((next: any) => async (args: any) => {
      const target = String(args.request?.headers?.['x-amz-target'] ?? '');
      const operation = target.split('.')[1] ?? '';
      const kind = operation ? takeToken(functionName, (k) => k.startsWith(`${operation}__`)) : undefined;
      if (!kind) return next(args);
      const errorName = kind.split('__')[1] as string;
      // The SDK takes any object with the shape of an HTTP response (HttpResponse.isInstance checks only the shape).
      return { response: dynamoErrorResponse(errorName, operation, bodyText(args.request?.body)) };
    }) as never,
    { relation: 'after', toMiddleware: 'deserializerMiddleware', name: 'reliabilityFaultInjection', override: true },
  );
}

/**
 * A relay whose sandbox dies mid-batch: for an invocation with more records than a token
 * `crash-after-<k>` says, the sandbox terminates (process.exit in a worker ends the thread, as
 * a Lambda sandbox being torn down) right after PutEvents accepted the k-th entry of that
 * invocation. The host reports the invocation failed and the stream poller retries the batch.
 */
export function crashingRelay<E extends { Records: unknown[] }, R>(
  real: (event: E, context: unknown) => Promise<R>,
  eventBridge: EventBridgeClient,
  functionName = process.env.AWS_LAMBDA_FUNCTION_NAME as string,
): (event: E, context: unknown) => Promise<R> {
  let current: { crashAfter: number; published: number } | undefined;
  eventBridge.middlewareStack.add(
    ((next: any) => async (args: any) => {
      const output = await next(args);
      if (current) {
        const entries = (args.input?.Entries ?? []).length as number;
        current.published += entries - (output.output?.FailedEntryCount ?? 0);
        if (current.published >= current.crashAfter) {
          mark(functionName, 'crash', `${Date.now()}-${current.published}`);
          process.exit(1);
        }
      }
      return output;
    }) as never,
    { step: 'initialize', name: 'reliabilityRelayCrash', override: true },
  );
  return async (event, context) => {
    const records = event.Records.length;
    const kind = takeToken(functionName, (k) => k.startsWith('crash-after-') && Number(k.slice('crash-after-'.length)) < records);
    current = kind ? { crashAfter: Number(kind.slice('crash-after-'.length)), published: 0 } : undefined;
    try {
      return await real(event, context);
    } finally {
      current = undefined;
    }
  };
}
