/**
 * Service manifests: the one description of a service that both runtimes are built from.
 *
 * `infra/` (CDK) turns a manifest into a table, Lambda functions, HTTP API routes, EventBridge
 * rules, schedules and stream mappings; `infra/local/` turns the same manifest into DynamoDB
 * Local tables, worker-hosted handlers, local routes, local rules and stream pollers.
 * Nothing else is read by either runtime, so a route or subscription that is not here does
 * not exist anywhere.
 */
import type { EventPattern } from './event-pattern.ts';
import type { ServiceName } from '../events/services.ts';

export type { ServiceName };

export type AttributeType = 'S' | 'N';

export interface KeySpec {
  readonly name: string;
  readonly type: AttributeType;
}

export interface IndexSpec {
  readonly name: string;
  readonly partitionKey: KeySpec;
  readonly sortKey?: KeySpec;
}

export interface TableSpec {
  readonly partitionKey: KeySpec;
  readonly sortKey?: KeySpec;
  /** Global secondary indexes, all projecting ALL attributes. */
  readonly indexes: readonly IndexSpec[];
  /** Stream view; outbox relays need NEW_IMAGE. */
  readonly stream: 'NEW_IMAGE' | 'none';
  /** Attribute holding an epoch-seconds expiry (idempotency records, relayed outbox items). */
  readonly timeToLiveAttribute?: string;
}

export type HttpMethod = 'GET' | 'POST' | 'PUT' | 'PATCH' | 'DELETE';

export interface RouteDecl {
  readonly method: HttpMethod;
  /** API Gateway style path with `{param}` segments, e.g. `/v1/indicators/{id}`. */
  readonly path: string;
  /** `jwt`: the JWT authorizer must accept the token first; `none`: public. */
  readonly auth: 'jwt' | 'none';
}

export interface SubscriptionDecl {
  /** Rule name, unique within the service. */
  readonly name: string;
  readonly pattern: EventPattern;
  /** Delivery attempts before the event is parked in the dead-letter store / DLQ. */
  readonly maxAttempts?: number;
  readonly maxEventAgeSeconds?: number;
}

export interface ScheduleDecl {
  readonly name: string;
  /** EventBridge schedule expression: `rate(5 minutes)` or `cron(0 2 * * ? *)`. */
  readonly expression: string;
}

/**
 * A notification topic of the service, fed from the region bus by a rule with `pattern`: in AWS
 * a KMS-encrypted SNS topic (TLS only) behind an EventBridge rule with a dead-letter queue;
 * locally an in-memory recorder that tests read. Outside systems subscribe to the topic.
 */
export interface TopicDecl {
  /** Short name, unique within the service (`alerts`). */
  readonly name: string;
  readonly description: string;
  readonly pattern: EventPattern;
}

export type FunctionKind = 'api' | 'consumer' | 'relay' | 'scheduled';

export interface FunctionDecl {
  /** Short name, unique within the service (`api`, `relay`, `timeline`). */
  readonly name: string;
  readonly kind: FunctionKind;
  /** Module path from the repository root; it exports `handler`. */
  readonly entry: string;
  readonly description: string;
  readonly memoryMb?: number;
  readonly timeoutSeconds?: number;
  readonly routes?: readonly RouteDecl[];
  readonly subscriptions?: readonly SubscriptionDecl[];
  readonly schedules?: readonly ScheduleDecl[];
  /**
   * What the function does with the service's keys and the trail's checkpoints (KeyUse). Each
   * use is one least-privilege grant in AWS and one environment entry in both runtimes; a
   * function without a use gets neither.
   */
  readonly keyUses?: readonly KeyUse[];
}

/**
 * The protection a function needs (docs/decisions.md, "Secrets and the trail"):
 * - `seal-secrets` / `open-secrets`: envelope-encrypt and decrypt secrets (webhook signing
 *   secrets) under the service's customer-managed key (kms:GenerateDataKey / kms:Decrypt). A
 *   service any of whose functions uses secrets also encrypts its table with that key.
 * - `sign-trail` / `verify-trail`: keyed MACs on the entries of tamper-evident records under
 *   the service's HMAC key (kms:GenerateMac / kms:VerifyMac).
 * - `write-checkpoints` / `read-checkpoints`: the trail's head checkpoints, kept where the
 *   table's writers cannot change them (an S3 bucket with Object Lock in compliance mode; a
 *   separate append-only file locally). Writing is the checkpoint job's alone.
 */
export const KEY_USES = ['seal-secrets', 'open-secrets', 'sign-trail', 'verify-trail', 'write-checkpoints', 'read-checkpoints'] as const;
export type KeyUse = (typeof KEY_USES)[number];

/** Whether any function of the manifest declares one of `uses`: decides which keys and buckets a service gets. */
export function usesAnyKey(manifest: Pick<ServiceManifest, 'functions'>, uses: readonly KeyUse[]): boolean {
  return manifest.functions.some((fn) => fn.keyUses?.some((u) => uses.includes(u)));
}

export const SECRET_KEY_USES: readonly KeyUse[] = ['seal-secrets', 'open-secrets'];
export const TRAIL_KEY_USES: readonly KeyUse[] = ['sign-trail', 'verify-trail'];
export const CHECKPOINT_USES: readonly KeyUse[] = ['write-checkpoints', 'read-checkpoints'];

export interface ServiceManifest {
  readonly name: ServiceName;
  readonly description: string;
  /** Services without state (platform) have no table. */
  readonly table?: TableSpec;
  readonly functions: readonly FunctionDecl[];
  /** detail-types this service publishes through its outbox (must be in the events catalog). */
  readonly publishes: readonly string[];
  /** Notification topics fed from the region bus (see TopicDecl). */
  readonly topics?: readonly TopicDecl[];
}

/** Identity function that type-checks a manifest and keeps its literal types. */
export function defineService<const M extends ServiceManifest>(manifest: M): M {
  const names = new Set<string>();
  for (const fn of manifest.functions) {
    if (names.has(fn.name)) throw new Error(`${manifest.name}: duplicate function name ${fn.name}`);
    names.add(fn.name);
    if (fn.kind === 'relay' && manifest.table?.stream !== 'NEW_IMAGE') {
      throw new Error(`${manifest.name}.${fn.name}: a relay needs a table stream with NEW_IMAGE`);
    }
    if (fn.kind === 'api' && !fn.routes?.length) throw new Error(`${manifest.name}.${fn.name}: api function without routes`);
    if (fn.kind === 'consumer' && !fn.subscriptions?.length) {
      throw new Error(`${manifest.name}.${fn.name}: consumer without subscriptions`);
    }
    if (fn.kind === 'scheduled' && !fn.schedules?.length) {
      throw new Error(`${manifest.name}.${fn.name}: scheduled function without schedules`);
    }
  }
  const topics = new Set<string>();
  for (const topic of manifest.topics ?? []) {
    if (topics.has(topic.name)) throw new Error(`${manifest.name}: duplicate topic name ${topic.name}`);
    if (!/^[a-z][a-z0-9-]{0,30}$/.test(topic.name)) throw new Error(`${manifest.name}: topic name ${topic.name} must be lower-case letters, digits and dashes`);
    topics.add(topic.name);
  }
  if (manifest.publishes.length > 0 && !manifest.functions.some((f) => f.kind === 'relay')) {
    throw new Error(`${manifest.name}: publishes events but has no outbox relay function`);
  }
  return manifest;
}

/**
 * The table layout every service uses: a generic single-table design with overloaded keys
 * (`pk`/`sk`), overloaded GSIs `gsi1`..`gsiN` (two unless a service needs more), a NEW_IMAGE
 * stream for the outbox relay and `ttl`.
 * Each service's `store.ts` documents what it puts in these attributes.
 */
export function standardTable(indexCount = 2): TableSpec {
  return {
    partitionKey: { name: 'pk', type: 'S' },
    sortKey: { name: 'sk', type: 'S' },
    indexes: Array.from({ length: indexCount }, (_, i) => ({
      name: `gsi${i + 1}`,
      partitionKey: { name: `gsi${i + 1}pk`, type: 'S' as const },
      sortKey: { name: `gsi${i + 1}sk`, type: 'S' as const },
    })),
    stream: 'NEW_IMAGE',
    timeToLiveAttribute: 'ttl',
  };
}

/** Physical function name used by both runtimes for logs and idempotency keys. */
export function functionId(service: ServiceName, fn: string): string {
  return `${service}-${fn}`;
}
