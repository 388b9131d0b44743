/** Manifest of the evaluation service (self-evaluation, key evaluations, grades). Table only for now. */
import { defineService, standardTable } from '../../shared/manifest.ts';

export default defineService({
  name: 'evaluation',
  description: 'Self-evaluations, finance review, key evaluations, scores, grades, result application',
  table: standardTable(),
  functions: [],
  publishes: [],
});
