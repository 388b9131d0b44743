/** JSON Schemas of the catalog's events, as committed under `events/schemas/`. */
import * as z from 'zod/mini';
import { catalog, type CatalogEntry } from './catalog.ts';

export function schemaFileName(entry: Pick<CatalogEntry, 'name' | 'version'>): string {
  return `${entry.name}.v${entry.version}.json`;
}

export function eventJsonSchema(entry: CatalogEntry): Record<string, unknown> {
  return {
    $id: `https://jixiao.gov.cn/events/${schemaFileName(entry)}`,
    title: entry.name,
    description: entry.description,
    'x-producer': entry.producer,
    'x-consumers': entry.consumers,
    'x-version': entry.version,
    ...(z.toJSONSchema(entry.detail, { target: 'draft-2020-12', io: 'output' }) as Record<string, unknown>),
  };
}

export function allEventSchemas(): { file: string; schema: Record<string, unknown> }[] {
  return catalog.map((entry) => ({ file: schemaFileName(entry), schema: eventJsonSchema(entry) }));
}
