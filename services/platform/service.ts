/**
 * Manifest of the platform function: the routes of the API as a whole (health, OpenAPI).
 * It has no table and no domain; see docs/decisions.md.
 */
import { defineService } from '../../shared/manifest.ts';
import { routeDecls } from '../../shared/http/route.ts';
import { routes } from './routes/index.ts';

export const routeSpecs = Object.values(routes);

export default defineService({
  name: 'platform',
  description: 'Health and the OpenAPI document',
  functions: [
    { name: 'api', kind: 'api', entry: 'services/platform/handlers/api.ts', description: 'GET /v1/health, GET /v1/openapi.json', routes: routeDecls(routeSpecs), memoryMb: 256 },
  ],
  publishes: [],
});
