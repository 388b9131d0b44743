/**
 * Every route of the declaration service, one module per area: spending objects, the ex-ante
 * assessment, targets, the workflow (submit and review), mid-year revisions, the results gate,
 * history, the project library and the rules. The order is the order of the API document.
 */
import { exAnteRoutes } from './ex-ante.ts';
import { historyRoutes } from './history.ts';
import { libraryRoutes } from './library.ts';
import { objectRoutes } from './objects.ts';
import { resultsGateRoutes } from './results-gate.ts';
import { revisionRoutes } from './revisions.ts';
import { rulesRoutes } from './rules.ts';
import { targetRoutes } from './targets.ts';
import { workflowRoutes } from './workflow.ts';

export const routes = {
  ...objectRoutes,
  ...exAnteRoutes,
  ...targetRoutes,
  ...workflowRoutes,
  ...revisionRoutes,
  ...resultsGateRoutes,
  ...historyRoutes,
  ...libraryRoutes,
  ...rulesRoutes,
};

/** The route specs as a list (the manifest's and the registry's). */
export const routeSpecs = Object.values(routes);
