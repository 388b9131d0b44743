/**
 * Every route of the indicators service, one module per area: the vocabulary and sectors, the
 * indicators, recommendations, imports, and "3+X" templates.
 */
import { importRoutes } from './imports.ts';
import { indicatorRoutes } from './indicators.ts';
import { recommendationRoutes } from './recommendations.ts';
import { templateRoutes } from './templates.ts';
import { vocabularyRoutes } from './vocabulary.ts';

export const routes = {
  ...vocabularyRoutes,
  ...indicatorRoutes,
  ...recommendationRoutes,
  ...importRoutes,
  ...templateRoutes,
};
