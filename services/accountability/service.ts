/** Manifest of the accountability service: lifecycle tracking, assessment, rectification, cases, alerts, disclosure. */
import { defineService, standardTable } from '../../shared/manifest.ts';
import { routeDecls } from '../../shared/http/route.ts';
import { routes } from './http.ts';

export const routeSpecs = Object.values(routes);

export default defineService({
  name: 'accountability',
  description: 'Lifecycle timeline of every object, assessments, rectification, accountability cases, alerts, disclosure',
  table: standardTable(),
  functions: [
    {
      name: 'api',
      kind: 'api',
      entry: 'services/accountability/handlers/api.ts',
      description: 'HTTP API under /v1/accountability',
      routes: routeDecls(routeSpecs),
    },
    {
      name: 'timeline',
      kind: 'consumer',
      entry: 'services/accountability/handlers/timeline.ts',
      description: 'Files every Jixiao event into the timeline of its object',
      // Every business event; internal work items (import chunks) are not part of any object's lifecycle.
      subscriptions: [
        { name: 'all-jixiao-events', pattern: { source: [{ prefix: 'jixiao.' }], 'detail-type': [{ 'anything-but': ['IndicatorImportChunkQueued', 'ExecutionBatchQueued'] }] }, maxAttempts: 8 },
      ],
    },
  ],
  publishes: [],
});
