/** Manifest of the declaration service: spending objects, ex-ante assessment, targets, review, project library. */
import { defineService, standardTable } from '../../shared/manifest.ts';
import { routeDecls } from '../../shared/http/route.ts';
import { routeSpecs } from './routes/index.ts';

export { routeSpecs };

export default defineService({
  name: 'declaration',
  description: 'Spending objects, ex-ante assessments, performance targets, target review, project library',
  // gsi1 objects by region-year and owner, gsi2 the project library (sparse): see store/objects.ts.
  table: standardTable(2),
  functions: [
    {
      name: 'api',
      kind: 'api',
      entry: 'services/declaration/handlers/api.ts',
      description: 'HTTP API under /v1/declaration',
      routes: routeDecls(routeSpecs),
      timeoutSeconds: 29,
    },
    {
      name: 'relay',
      kind: 'relay',
      entry: 'services/declaration/handlers/relay.ts',
      description: 'Outbox relay: table stream to the event bus',
    },
    {
      name: 'library',
      kind: 'consumer',
      entry: 'services/declaration/handlers/library.ts',
      description: "Keeps this service's copy of the published indicator library for target rows",
      subscriptions: [
        { name: 'library-indicators', pattern: { source: ['jixiao.indicators'], 'detail-type': ['IndicatorPublished', 'IndicatorRevised', 'IndicatorRetired'] }, maxAttempts: 20 },
      ],
    },
    {
      name: 'results',
      kind: 'consumer',
      entry: 'services/declaration/handlers/results.ts',
      description: "Records completed evaluations and where objects' rectification orders stand, for the results gate and the historical standard of library indicators",
      subscriptions: [
        { name: 'evaluation-results', pattern: { source: ['jixiao.evaluation'], 'detail-type': ['EvaluationCompleted'] }, maxAttempts: 20 },
        { name: 'rectification-orders', pattern: { source: ['jixiao.accountability'], 'detail-type': ['RectificationOrdered', 'RectificationOverdue', 'RectificationClosed'] }, maxAttempts: 20 },
      ],
    },
  ],
  publishes: ['ExAnteAssessed', 'DeclarationSubmitted', 'TargetRejected', 'TargetApproved', 'TargetRevised'],
});
