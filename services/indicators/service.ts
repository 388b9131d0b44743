/** Manifest of the indicators service: the "3+X" indicator library. */
import { defineService, standardTable } from '../../shared/manifest.ts';
import { routeDecls } from '../../shared/http/route.ts';
import { routes } from './routes/index.ts';

export const routeSpecs = Object.values(routes);

/** Library events a lower region receives from its parent (see infra/regions.ts FORWARDED_TO_CHILDREN). */
export const LIBRARY_EVENTS = ['IndicatorPublished', 'IndicatorRevised', 'IndicatorRetired', 'TemplatePublished', 'TemplateRetired'] as const;

export default defineService({
  name: 'indicators',
  description: 'The "3+X" indicator library: common and individual indicators, templates, versions',
  // gsi1 all, gsi2 level-1 (and templates by type+sector), gsi3 level-2, gsi4 sector: see store/indicators.ts and store/templates.ts.
  table: standardTable(4),
  functions: [
    {
      name: 'api',
      kind: 'api',
      entry: 'services/indicators/handlers/api.ts',
      description: 'HTTP API under /v1/indicators',
      routes: routeDecls(routeSpecs),
      timeoutSeconds: 29,
    },
    {
      name: 'relay',
      kind: 'relay',
      entry: 'services/indicators/handlers/relay.ts',
      description: 'Outbox relay: table stream to the event bus',
    },
    {
      name: 'library',
      kind: 'consumer',
      entry: 'services/indicators/handlers/library.ts',
      description: "Keeps read-only copies of ancestor regions' library entries and passes them on to lower regions",
      subscriptions: [{ name: 'ancestor-library', pattern: { source: ['jixiao.indicators'], 'detail-type': [...LIBRARY_EVENTS] }, maxAttempts: 20 }],
    },
    {
      name: 'importer',
      kind: 'consumer',
      entry: 'services/indicators/handlers/importer.ts',
      description: 'Writes the queued chunks of large indicator imports',
      timeoutSeconds: 120,
      // A work item: it travels under the work source (events/sources.ts), which only this service subscribes to.
      subscriptions: [{ name: 'import-chunks', pattern: { source: ['jixiao-work.indicators'], 'detail-type': ['IndicatorImportChunkQueued'] }, maxAttempts: 20 }],
    },
    {
      name: 'history',
      kind: 'consumer',
      entry: 'services/indicators/handlers/history.ts',
      description: 'Records achieved values of library indicators from completed evaluations',
      subscriptions: [{ name: 'evaluation-results', pattern: { source: ['jixiao.evaluation'], 'detail-type': ['EvaluationCompleted'] }, maxAttempts: 20 }],
    },
  ],
  publishes: ['IndicatorPublished', 'IndicatorRevised', 'IndicatorRetired', 'TemplatePublished', 'TemplateRetired', 'IndicatorImportChunkQueued'],
});
