/** Binds every route of the declaration API (routes/index.ts) to its implementation, one module per area. */
import type { Implementations } from '../../../shared/http/api.ts';
import { routes } from '../routes/index.ts';
import { exAnteApi } from './ex-ante.ts';
import { historyApi } from './history.ts';
import { libraryApi } from './library.ts';
import { objectsApi } from './objects.ts';
import { resultsGateApi } from './results-gate.ts';
import { revisionsApi } from './revisions.ts';
import { rulesImplementations } from './rules.ts';
import { targetsApi } from './targets.ts';
import { workflowApi } from './workflow.ts';

export { routes };

export const implementations: Implementations<typeof routes> = {
  ...objectsApi,
  ...exAnteApi,
  ...targetsApi,
  ...workflowApi,
  ...revisionsApi,
  ...resultsGateApi,
  ...historyApi,
  ...libraryApi,
  ...rulesImplementations,
};
