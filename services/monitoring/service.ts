/** Manifest of the monitoring service ("双监控"). Table only for now. */
import { defineService, standardTable } from '../../shared/manifest.ts';

export default defineService({
  name: 'monitoring',
  description: 'Monitoring windows, reports of execution and indicator progress, deviations, corrective action',
  table: standardTable(),
  functions: [],
  publishes: [],
});
