/**
 * The event catalog: every event any service publishes, with its producer, consumers,
 * version, detail schema and an example. Consumers import schemas only from `events/`.
 * `npm run events:schemas` writes `events/schemas/<Name>.v<version>.json` from here.
 */
import type * as z from 'zod/mini';
import type { ServiceName } from '../shared/manifest.ts';
import { IndicatorPublishedDetail } from './indicators.ts';
import indicatorPublishedExample from './examples/IndicatorPublished.v1.json' with { type: 'json' };

export interface CatalogEntry {
  readonly name: string;
  readonly version: number;
  readonly producer: ServiceName;
  readonly consumers: readonly ServiceName[];
  readonly description: string;
  readonly detail: z.ZodMiniType;
  readonly example: unknown;
}

export const catalog = [
  {
    name: 'IndicatorPublished',
    version: 1,
    producer: 'indicators',
    consumers: ['accountability'],
    description: 'A library indicator was published and can be used in new performance targets.',
    detail: IndicatorPublishedDetail,
    example: indicatorPublishedExample,
  },
] as const satisfies readonly CatalogEntry[];

export type EventName = (typeof catalog)[number]['name'];

export function catalogEntry(name: string): CatalogEntry | undefined {
  return catalog.find((entry) => entry.name === name);
}

/** EventBridge `source` of a service's events. */
export function eventSource(service: ServiceName): string {
  return `jixiao.${service}`;
}
