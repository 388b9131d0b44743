/**
 * The environment of every function, built the same way for AWS (CDK) and the local runtime
 * from the manifest, so handlers see identical configuration in both.
 */
import { eventSource } from '../events/sources.ts';
import { ENV_KEYS } from '../shared/env.ts';
import type { FunctionDecl, ServiceManifest } from '../shared/manifest.ts';

export interface FunctionEnvInput {
  manifest: ServiceManifest;
  fn: FunctionDecl;
  regionCode: string;
  /** Physical table name (CDK token in AWS); absent for services without a table. */
  tableName?: string;
  eventBusName: string;
  logLevel?: string;
}

export function functionEnvironment(input: FunctionEnvInput): Record<string, string> {
  return {
    [ENV_KEYS.serviceName]: input.manifest.name,
    [ENV_KEYS.regionCode]: input.regionCode,
    [ENV_KEYS.eventBusName]: input.eventBusName,
    [ENV_KEYS.eventSource]: eventSource(input.manifest.name),
    // Relays only read the stream and publish: they get neither the table name nor its data.
    ...(input.tableName && input.fn.kind !== 'relay' ? { [ENV_KEYS.tableName]: input.tableName } : {}),
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
