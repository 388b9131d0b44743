/**
 * The architecture's boundaries (DESIGN.md section 8), checked on the source: a service never
 * imports another service's code (what it needs arrives in events), and `domain/` is pure (no
 * AWS SDK, no handlers, no stores).
 */
import { readdirSync, readFileSync, statSync } from 'node:fs';
import { join, relative } from 'node:path';
import { describe, expect, it } from 'vitest';

const ROOT = join(import.meta.dirname, '..', '..');
const SERVICES = join(ROOT, 'services');

function sources(dir: string): string[] {
  return readdirSync(dir).flatMap((name) => {
    const path = join(dir, name);
    return statSync(path).isDirectory() ? sources(path) : name.endsWith('.ts') ? [path] : [];
  });
}

const importsOf = (file: string) => [...readFileSync(file, 'utf8').matchAll(/(?:import|export)[^'"]*?from\s+['"]([^'"]+)['"]/g)].map((m) => m[1] as string);
const services = readdirSync(SERVICES).filter((n) => statSync(join(SERVICES, n)).isDirectory());

describe('service boundaries', () => {
  it.each(services)('%s imports no other service', (service) => {
    const offending = sources(join(SERVICES, service)).flatMap((file) =>
      importsOf(file)
        .filter((spec) => spec.startsWith('.'))
        .map((spec) => relative(SERVICES, join(file, '..', spec)))
        .filter((target) => !target.startsWith('..') && target.split('/')[0] !== service)
        .map((target) => `${relative(ROOT, file)} → services/${target}`),
    );
    expect(offending).toEqual([]);
  });

  it.each(services)('%s/domain imports no AWS SDK, handler or store', (service) => {
    let files: string[] = [];
    try {
      files = sources(join(SERVICES, service, 'domain'));
    } catch {
      return; // no domain folder
    }
    const offending = files.flatMap((file) =>
      importsOf(file)
        .filter((spec) => spec.startsWith('@aws-sdk') || spec.startsWith('@aws-lambda-powertools') || /\/(handlers|store)(\/|\.ts)/.test(spec) || /shared\/(clients|outbox|query|consumer|relay)/.test(spec))
        .map((spec) => `${relative(ROOT, file)} → ${spec}`),
    );
    expect(offending).toEqual([]);
  });
});
