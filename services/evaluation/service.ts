/** Manifest of the evaluation service: self-evaluations, finance review, key evaluations, grades, results application. */
import { defineService, standardTable } from '../../shared/manifest.ts';
import { routeDecls } from '../../shared/http/route.ts';
import { routes } from './routes/index.ts';

export const routeSpecs = Object.values(routes);

export default defineService({
  name: 'evaluation',
  description: 'Self-evaluations, finance review (复核), key evaluations, scores and grades, result-application recommendations',
  // gsi1: scope entries, samples, key evaluations; gsi2: self-evaluations by region-year. See store/table.ts.
  table: standardTable(2),
  functions: [
    {
      name: 'api',
      kind: 'api',
      entry: 'services/evaluation/handlers/api.ts',
      description: 'HTTP API under /v1/evaluation',
      routes: routeDecls(routeSpecs),
      timeoutSeconds: 29,
    },
    {
      name: 'relay',
      kind: 'relay',
      entry: 'services/evaluation/handlers/relay.ts',
      description: 'Outbox relay: table stream to the event bus',
    },
    {
      name: 'baseline',
      kind: 'consumer',
      entry: 'services/evaluation/handlers/baseline.ts',
      description: 'Keeps approved target snapshots and the latest monitoring report of every object, and the coverage view of each object they and its submission change',
      subscriptions: [
        { name: 'approved-targets', pattern: { source: ['jixiao.declaration'], 'detail-type': ['TargetApproved', 'TargetRevised'] }, maxAttempts: 20 },
        { name: 'monitoring-reports', pattern: { source: ['jixiao.monitoring'], 'detail-type': ['MonitoringReported'] }, maxAttempts: 20 },
        // The service's own submissions: a self-evaluation past draft moves its object in the coverage view.
        { name: 'own-submissions', pattern: { source: ['jixiao.evaluation'], 'detail-type': ['EvaluationSubmitted'] }, maxAttempts: 20 },
      ],
    },
    {
      name: 'rectifications',
      kind: 'consumer',
      entry: 'services/evaluation/handlers/rectifications.ts',
      description: "Keeps where each object's rectification orders stand, for the budget adjustment its evaluation recommends",
      subscriptions: [
        {
          name: 'rectification-orders',
          pattern: { source: ['jixiao.accountability'], 'detail-type': ['RectificationOrdered', 'RectificationOverdue', 'RectificationClosed'] },
          maxAttempts: 20,
        },
      ],
    },
    {
      name: 'views',
      kind: 'scheduled',
      entry: 'services/evaluation/handlers/views.ts',
      description: 'Checks the maintained views of last, this and next year against their sources and rebuilds one that differs (daily; invoke with {"fiscalYears": [YYYY]} for other years)',
      timeoutSeconds: 900,
      schedules: [{ name: 'daily', expression: 'rate(1 day)' }],
    },
  ],
  publishes: ['EvaluationSubmitted', 'EvaluationCompleted', 'BudgetAdjustmentRecommended', 'KeyEvaluationRated'],
});
