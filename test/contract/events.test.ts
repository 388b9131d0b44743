import { readFileSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { catalog, sourceOf } from '../../events/catalog.ts';
import { examples } from '../../events/examples.ts';
import { eventJsonSchema, schemaFileName } from '../../events/json-schema.ts';
import { breakingChanges } from '../../events/compat.ts';
import { manifests } from '../../services/registry.ts';
import { compilePattern } from '../../infra/local/eventbridge/pattern.ts';

const schemasDir = join(import.meta.dirname, '..', '..', 'events', 'schemas');

describe('event catalog', () => {
  it.each(catalog.map((e) => [e.name, e] as const))('example of %s parses with its schema and carries its version', (_name, entry) => {
    const example = examples[entry.name];
    expect(example, `events/examples/${entry.name}.v${entry.version}.json`).toBeDefined();
    const parsed = entry.detail.safeParse(example);
    expect(parsed.success, JSON.stringify(parsed.error?.issues)).toBe(true);
    expect((example as { meta: { version: number } }).meta.version).toBe(entry.version);
  });

  it('lists every event a manifest publishes, with that service as producer', () => {
    for (const manifest of manifests) {
      for (const name of manifest.publishes) {
        expect(catalog.find((e) => e.name === name)?.producer, `${manifest.name} publishes ${name}`).toBe(manifest.name);
      }
    }
  });

  it('has every catalog event published by its producer manifest (unless planned)', () => {
    for (const entry of catalog.filter((e) => !('planned' in e && e.planned))) {
      expect(manifests.find((m) => m.name === entry.producer)?.publishes).toContain(entry.name);
    }
  });

  it('routes every event to each consumer the catalog names (a subscription pattern matches it)', () => {
    for (const entry of catalog) {
      const envelope = { version: '0', id: 'x', 'detail-type': entry.name, source: sourceOf(entry), account: '0', time: '2026-01-01T00:00:00Z', region: 'cn-northwest-1', resources: [], detail: examples[entry.name] };
      for (const consumer of entry.consumers) {
        const subscriptions = manifests.find((m) => m.name === consumer)?.functions.flatMap((f) => f.subscriptions ?? []) ?? [];
        expect(subscriptions.some((s) => compilePattern(s.pattern).matches(envelope)), `${consumer} receives ${entry.name}`).toBe(true);
      }
    }
  });
});

describe('internal work events', () => {
  const internal = catalog.filter((e) => 'internal' in e && e.internal);
  const envelopeOf = (entry: (typeof catalog)[number]) => ({ version: '0', id: 'x', 'detail-type': entry.name, source: sourceOf(entry), account: '0', time: '2026-01-01T00:00:00Z', region: 'cn-northwest-1', resources: [], detail: examples[entry.name] });

  it('are consumed only by their producer', () => {
    expect(internal.map((e) => e.name).sort()).toEqual(['DashboardBuildQueued', 'ExecutionBatchQueued', 'IndicatorImportChunkQueued']);
    for (const entry of internal) expect(entry.consumers, entry.name).toEqual([entry.producer]);
  });

  it("reach no other service's subscription, not even the wildcard ones", () => {
    for (const entry of internal) {
      for (const manifest of manifests.filter((m) => m.name !== entry.producer)) {
        for (const subscription of manifest.functions.flatMap((f) => f.subscriptions ?? [])) {
          expect(compilePattern(subscription.pattern).matches(envelopeOf(entry)), `${manifest.name}/${subscription.name} receives ${entry.name}`).toBe(false);
        }
      }
    }
  });

  it("are never named by another service's manifest", () => {
    for (const entry of internal) {
      for (const manifest of manifests.filter((m) => m.name !== entry.producer)) {
        expect(JSON.stringify(manifest), `${manifest.name} names ${entry.name}`).not.toContain(entry.name);
      }
    }
  });
});

describe('committed event JSON Schemas', () => {
  it.each(catalog.map((e) => [schemaFileName(e), e] as const))('%s is committed and matches the zod schema (run npm run events:schemas)', (file, entry) => {
    const committed = JSON.parse(readFileSync(join(schemasDir, file), 'utf8'));
    expect(breakingChanges(committed, eventJsonSchema(entry))).toEqual([]);
    expect(eventJsonSchema(entry)).toEqual(committed);
  });

  it('has no committed schema file without a catalog entry', () => {
    const expected = new Set(catalog.map(schemaFileName));
    expect(readdirSync(schemasDir).filter((f) => !expected.has(f))).toEqual([]);
  });
});
