/** Manifest of the accountability service: lifecycle tracking, assessment, rectification, cases, alerts, disclosure, reports. */
import { defineService, standardTable } from '../../shared/manifest.ts';
import { routeDecls } from '../../shared/http/route.ts';
import { routes } from './routes/index.ts';

export const routeSpecs = Object.values(routes);

export default defineService({
  name: 'accountability',
  description: 'Lifecycle timeline of every object, assessments, rectification, accountability cases, supervisor alerts, disclosure, People\'s Congress reports',
  // Sparse indexes, one per area (gsi1, gsi6: cases and rectifications; gsi2: alerts; gsi3, gsi5:
  // summaries, assessments and timeline search; gsi4: disclosure). Items by key prefix, each
  // store/ file documenting its own keys and indexes (no two areas share an index partition prefix):
  // | prefix (pk)            | file                                          | indexes                    |
  // |------------------------|-----------------------------------------------|----------------------------|
  // | OBJ#                   | store/timeline.ts                             | gsi3 TLD#, gsi5 TLT#       |
  // | SUM#                   | store/summaries.ts                            | gsi3 SUM#                  |
  // | ASM#                   | store/assessments.ts                          | gsi3 ASM#, gsi5 ASMPUB#    |
  // | CASE#, RSTATE#         | store/cases.ts (+ store/chain.ts)             | gsi1 ACASE#, gsi6 ACASES#  |
  // | RECT#                  | store/rectifications.ts (+ store/chain.ts)    | gsi1 ARECT#, gsi6 ARECTDUE#|
  // | TRAILQ                 | store/chain.ts (checkpoint queue)             | –                          |
  // | AUDITB#                | store/audit-batches.ts                        | –                          |
  // | SUPERVISOR#            | store/alerts.ts                               | gsi2 ASUBS#, AINBOX#       |
  // | DSC#, DSCSRC#, DSCPUB# | store/disclosure.ts                           | gsi4 DSCALL#, DSCPUB#      |
  // | RULES#                 | store/rules.ts                                | –                          |
  // | VIEW#summaries#, VIEWREGIONS# | store/summary-view.ts (shared/views/counted-view.ts) | –              |
  // | OUTBOX#, idempotency records (Powertools, HTTP Idempotency-Key) | shared/ | –                      |
  table: standardTable(6),
  functions: [
    {
      name: 'api',
      kind: 'api',
      entry: 'services/accountability/handlers/api.ts',
      description: 'HTTP API under /v1/accountability',
      routes: routeDecls(routeSpecs),
      timeoutSeconds: 29,
      // Seals new webhook secrets; appends to cases and orders; verifies them against the checkpoints.
      keyUses: ['seal-secrets', 'sign-trail', 'verify-trail', 'read-checkpoints'],
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
        { name: 'all-jixiao-events', pattern: { source: [{ prefix: 'jixiao.' }], 'detail-type': [{ 'anything-but': ['SupervisorAlertRaised'] }] }, maxAttempts: 8 },
      ],
    },
    {
      name: 'ledger',
      kind: 'consumer',
      entry: 'services/accountability/handlers/ledger.ts',
      description: 'Folds declaration, monitoring and evaluation events into object summaries, and opens cases and rectification orders by rule',
      keyUses: ['sign-trail'],
      subscriptions: [
        { name: 'lifecycle-events', pattern: { source: ['jixiao.declaration', 'jixiao.monitoring', 'jixiao.evaluation'] }, maxAttempts: 20 },
      ],
    },
    {
      name: 'alerts',
      kind: 'consumer',
      entry: 'services/accountability/handlers/alerts.ts',
      description: "Matches events against supervisors' subscriptions and files alerts in their inboxes",
      subscriptions: [
        { name: 'alertable-events', pattern: { source: [{ prefix: 'jixiao.' }], 'detail-type': [{ 'anything-but': ['SupervisorAlertRaised'] }] }, maxAttempts: 20 },
      ],
    },
    {
      name: 'webhooks',
      kind: 'consumer',
      entry: 'services/accountability/handlers/webhooks.ts',
      description: "Delivers alerts to supervisors' webhooks, signed (HMAC-SHA256), retried with backoff",
      timeoutSeconds: 30,
      keyUses: ['open-secrets'],
      subscriptions: [
        { name: 'alert-deliveries', pattern: { source: ['jixiao.accountability'], 'detail-type': ['SupervisorAlertRaised'] }, maxAttempts: 8 },
      ],
    },
    {
      name: 'overdue',
      kind: 'scheduled',
      entry: 'services/accountability/handlers/overdue.ts',
      description: 'Escalates rectification orders past their deadline',
      keyUses: ['sign-trail'],
      schedules: [{ name: 'hourly', expression: 'rate(1 hour)' }],
    },
    {
      name: 'checkpoint',
      kind: 'scheduled',
      entry: 'services/accountability/handlers/checkpoint.ts',
      description: 'Writes the heads of changed cases and rectification orders to the trail checkpoints, after checking each still extends its last checkpoint',
      // The only function that may write checkpoints (docs/decisions.md, "Secrets and the trail").
      keyUses: ['verify-trail', 'write-checkpoints', 'read-checkpoints'],
      schedules: [{ name: 'every-15-minutes', expression: 'rate(15 minutes)' }],
    },
    {
      name: 'views',
      kind: 'scheduled',
      entry: 'services/accountability/handlers/views.ts',
      description: 'Checks the maintained views of last, this and next year against their sources and rebuilds one that differs (daily; invoke with {"fiscalYears": [YYYY]} for other years)',
      timeoutSeconds: 900,
      schedules: [{ name: 'daily', expression: 'rate(1 day)' }],
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
