/** Manifest of the monitoring service: "双监控" of budget execution and targets, deviations, corrective action. */
import { defineService, standardTable } from '../../shared/manifest.ts';
import { routeDecls } from '../../shared/http/route.ts';
import { workEventSource } from '../../events/sources.ts';
import { routeSpecs } from './routes/index.ts';

export { routeSpecs };

export default defineService({
  name: 'monitoring',
  description: 'Monitoring windows, reports (execution + targets), deviations, corrective measures, funding pause recommendations, execution data',
  // gsi1: scope entries, windows and a window's reports; gsi2: an object's reports. See store/.
  table: standardTable(2),
  functions: [
    {
      name: 'api',
      kind: 'api',
      entry: 'services/monitoring/handlers/api.ts',
      description: 'HTTP API under /v1/monitoring',
      routes: routeDecls(routeSpecs),
      timeoutSeconds: 29,
    },
    {
      name: 'relay',
      kind: 'relay',
      entry: 'services/monitoring/handlers/relay.ts',
      description: 'Outbox relay: table stream to the event bus',
    },
    {
      name: 'baseline',
      kind: 'consumer',
      entry: 'services/monitoring/handlers/baseline.ts',
      description: "Keeps the approved target snapshots (TargetApproved, TargetRevised) as the monitoring baseline, and each object's place in the dashboard views they and its reports change",
      subscriptions: [
        { name: 'approved-targets', pattern: { source: ['jixiao.declaration'], 'detail-type': ['TargetApproved', 'TargetRevised'] }, maxAttempts: 20 },
        // The service's own reports: the report API refreshes the window's dashboard view after its write; this refresh repairs one the API's crash left undone.
        { name: 'own-reports', pattern: { source: ['jixiao.monitoring'], 'detail-type': ['MonitoringReported'] }, maxAttempts: 20 },
      ],
    },
    {
      name: 'ingester',
      kind: 'consumer',
      entry: 'services/monitoring/handlers/ingester.ts',
      description: "Writes queued treasury execution batches and their per-object monthly totals, then refreshes each touched object's place in the dashboard views",
      timeoutSeconds: 900,
      memoryMb: 1024,
      subscriptions: [{ name: 'execution-batches', pattern: { source: [workEventSource('monitoring')], 'detail-type': ['ExecutionBatchQueued'] }, maxAttempts: 20 }],
    },
    {
      name: 'view-builder',
      kind: 'consumer',
      entry: 'services/monitoring/handlers/view-builder.ts',
      description: "Builds a window's dashboard view from its sources when the window is opened or the key amount moves; until then the dashboard is computed on read",
      timeoutSeconds: 900,
      memoryMb: 1024,
      subscriptions: [{ name: 'dashboard-builds', pattern: { source: [workEventSource('monitoring')], 'detail-type': ['DashboardBuildQueued'] }, maxAttempts: 20 }],
    },
    {
      name: 'reminders',
      kind: 'scheduled',
      entry: 'services/monitoring/handlers/reminders.ts',
      description: 'Reminds units of missing reports before the due date and escalates past the grace period',
      timeoutSeconds: 300,
      schedules: [{ name: 'hourly', expression: 'rate(1 hour)' }],
    },
    {
      name: 'views',
      kind: 'scheduled',
      entry: 'services/monitoring/handlers/views.ts',
      description: 'Checks the maintained views of last, this and next year against their sources and rebuilds one that differs (daily; invoke with {"fiscalYears": [YYYY]} for other years)',
      timeoutSeconds: 900,
      schedules: [{ name: 'daily', expression: 'rate(1 day)' }],
    },
  ],
  publishes: ['MonitoringReported', 'MonitoringDeviation', 'DeviationCorrected', 'FundingPauseRecommended', 'IdleFundsRecoveryRecommended', 'MonitoringReminderSent', 'MonitoringEscalated', 'ExecutionBatchQueued', 'DashboardBuildQueued'],
});
