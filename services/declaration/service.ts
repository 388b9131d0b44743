/** Manifest of the declaration service (spending objects, ex-ante assessment, targets). Table only for now. */
import { defineService, standardTable } from '../../shared/manifest.ts';

export default defineService({
  name: 'declaration',
  description: 'Spending objects, ex-ante assessments, performance targets, target review, project library',
  table: standardTable(),
  functions: [],
  publishes: [],
});
