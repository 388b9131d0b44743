/**
 * The environment of every function, built the same way for AWS (CDK) and the local runtime
 * from the manifest, so handlers see identical configuration in both.
 */
import { eventSource } from '../events/sources.ts';
import { ENV_KEYS } from '../shared/env.ts';
import { CHECKPOINT_USES, SECRET_KEY_USES, TRAIL_KEY_USES, type FunctionDecl, type ServiceManifest } from '../shared/manifest.ts';

export interface FunctionEnvInput {
  manifest: ServiceManifest;
  fn: FunctionDecl;
  regionCode: string;
  /** Physical table name (CDK token in AWS); absent for services without a table. */
  tableName?: string;
  eventBusName: string;
  logLevel?: string;
  /**
   * Where the service's keys and checkpoints are (KMS key ARNs and `s3://` in AWS, `file:` paths
   * locally); each reaches only the functions whose `keyUses` need it.
   */
  protection?: { secretsKey?: string; trailKey?: string; trailCheckpoints?: string };
}

/** The protection entries of one function's environment: only what its `keyUses` name. */
function protectionEnvironment(fn: FunctionDecl, protection: FunctionEnvInput['protection']): Record<string, string> {
  const uses = new Set(fn.keyUses ?? []);
  const out: Record<string, string> = {};
  const need = (which: string, value: string | undefined, wanted: readonly string[]) => {
    if (!wanted.some((u) => uses.has(u as never))) return;
    if (!value) throw new Error(`${fn.name}: declares ${wanted.filter((u) => uses.has(u as never)).join(', ')} but the runtime gives no ${which}`);
    out[which] = value;
  };
  need(ENV_KEYS.secretsKey, protection?.secretsKey, SECRET_KEY_USES);
  need(ENV_KEYS.trailKey, protection?.trailKey, TRAIL_KEY_USES);
  need(ENV_KEYS.trailCheckpoints, protection?.trailCheckpoints, CHECKPOINT_USES);
  return out;
}

export function functionEnvironment(input: FunctionEnvInput): Record<string, string> {
  return {
    [ENV_KEYS.serviceName]: input.manifest.name,
    [ENV_KEYS.regionCode]: input.regionCode,
    [ENV_KEYS.eventBusName]: input.eventBusName,
    [ENV_KEYS.eventSource]: eventSource(input.manifest.name),
    // Relays only read the stream and publish: they get neither the table name nor its data.
    ...(input.tableName && input.fn.kind !== 'relay' ? { [ENV_KEYS.tableName]: input.tableName } : {}),
    ...protectionEnvironment(input.fn, input.protection),
    NODE_OPTIONS: '--enable-source-maps',
    POWERTOOLS_SERVICE_NAME: `jixiao-${input.manifest.name}`,
    POWERTOOLS_LOG_LEVEL: input.logLevel ?? 'INFO',
  };
}

export const DEFAULT_TIMEOUT_SECONDS: Record<FunctionDecl['kind'], number> = {
  api: 10,
  consumer: 30,
  relay: 60,
  scheduled: 120,
};

export const DEFAULT_MEMORY_MB = 512;
