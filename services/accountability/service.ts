/** Manifest of the accountability service: lifecycle tracking, assessment, rectification, cases, alerts, disclosure, reports. */
import { defineService, standardTable } from '../../shared/manifest.ts';
import { routeDecls } from '../../shared/http/route.ts';
import { routes } from './http.ts';

export const routeSpecs = Object.values(routes);

/** Work items of other services that belong to no object's lifecycle. */
const INTERNAL = ['IndicatorImportChunkQueued', 'ExecutionBatchQueued'];

export default defineService({
  name: 'accountability',
  description: 'Lifecycle timeline of every object, assessments, rectification, accountability cases, supervisor alerts, disclosure, People\'s Congress reports',
  // Sparse indexes, one per area (gsi1, gsi6: cases and rectifications; gsi2: alerts; gsi3, gsi5:
  // summaries, assessments and timeline search; gsi4: disclosure); store.ts documents each.
  table: standardTable(6),
  functions: [
    {
      name: 'api',
      kind: 'api',
      entry: 'services/accountability/handlers/api.ts',
      description: 'HTTP API under /v1/accountability',
      routes: routeDecls(routeSpecs),
      timeoutSeconds: 29,
    },
    {
      name: 'relay',
      kind: 'relay',
      entry: 'services/accountability/handlers/relay.ts',
      description: 'Outbox relay: table stream to the event bus',
    },
    {
      name: 'timeline',
      kind: 'consumer',
      entry: 'services/accountability/handlers/timeline.ts',
      description: 'Files every Jixiao event into the timeline of its object',
      subscriptions: [
        { name: 'all-jixiao-events', pattern: { source: [{ prefix: 'jixiao.' }], 'detail-type': [{ 'anything-but': [...INTERNAL, 'SupervisorAlertRaised'] }] }, maxAttempts: 8 },
      ],
    },
    {
      name: 'ledger',
      kind: 'consumer',
      entry: 'services/accountability/handlers/ledger.ts',
      description: 'Folds declaration, monitoring and evaluation events into object summaries, and opens cases and rectification orders by rule',
      subscriptions: [
        { name: 'lifecycle-events', pattern: { source: ['jixiao.declaration', 'jixiao.monitoring', 'jixiao.evaluation'], 'detail-type': [{ 'anything-but': INTERNAL }] }, maxAttempts: 20 },
      ],
    },
    {
      name: 'alerts',
      kind: 'consumer',
      entry: 'services/accountability/handlers/alerts.ts',
      description: "Matches events against supervisors' subscriptions and files alerts in their inboxes",
      subscriptions: [
        { name: 'alertable-events', pattern: { source: [{ prefix: 'jixiao.' }], 'detail-type': [{ 'anything-but': [...INTERNAL, 'SupervisorAlertRaised'] }] }, maxAttempts: 20 },
      ],
    },
    {
      name: 'webhooks',
      kind: 'consumer',
      entry: 'services/accountability/handlers/webhooks.ts',
      description: "Delivers alerts to supervisors' webhooks, signed (HMAC-SHA256), retried with backoff",
      timeoutSeconds: 30,
      subscriptions: [
        { name: 'alert-deliveries', pattern: { source: ['jixiao.accountability'], 'detail-type': ['SupervisorAlertRaised'] }, maxAttempts: 8 },
      ],
    },
    {
      name: 'overdue',
      kind: 'scheduled',
      entry: 'services/accountability/handlers/overdue.ts',
      description: 'Escalates rectification orders past their deadline',
      schedules: [{ name: 'hourly', expression: 'rate(1 hour)' }],
    },
  ],
  topics: [
    {
      name: 'alerts',
      description: "The region's supervisor alert topic: every alert filed in a supervisor's inbox (SupervisorAlertRaised), for outside systems to subscribe to",
      pattern: { source: ['jixiao.accountability'], 'detail-type': ['SupervisorAlertRaised'] },
    },
  ],
  publishes: ['AccountabilityCaseOpened', 'AccountabilityCaseDecided', 'RectificationOrdered', 'RectificationOverdue', 'RectificationClosed', 'SupervisorAlertRaised', 'AssessmentPublished', 'DisclosurePublished', 'DisclosureWithdrawn'],
});
