import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { buildOpenApi } from '../../infra/openapi.ts';
import { manifests, routeSpecsByService } from '../../services/registry.ts';

const committed = JSON.parse(readFileSync(join(import.meta.dirname, '..', '..', 'docs', 'openapi.json'), 'utf8'));

describe('OpenAPI document', () => {
  it('is committed as generated from the route schemas (run npm run openapi)', () => {
    expect(committed).toEqual(buildOpenApi(routeSpecsByService));
  });

  it('documents every route of every manifest', () => {
    for (const manifest of manifests) {
      for (const route of manifest.functions.flatMap((f) => f.routes ?? [])) {
        expect(committed.paths[route.path]?.[route.method.toLowerCase()], `${route.method} ${route.path}`).toBeDefined();
      }
    }
  });

  it('is OpenAPI 3.1', () => {
    expect(committed.openapi).toBe('3.1.0');
  });
});
