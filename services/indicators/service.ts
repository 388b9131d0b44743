/** Manifest of the indicators service: the "3+X" indicator library. */
import { defineService, standardTable } from '../../shared/manifest.ts';
import { routeDecls } from '../../shared/http/route.ts';
import { routes } from './http.ts';

export const routeSpecs = Object.values(routes);

export default defineService({
  name: 'indicators',
  description: 'The "3+X" indicator library: common and individual indicators, templates, versions',
  table: standardTable(),
  functions: [
    {
      name: 'api',
      kind: 'api',
      entry: 'services/indicators/handlers/api.ts',
      description: 'HTTP API under /v1/indicators',
      routes: routeDecls(routeSpecs),
    },
    {
      name: 'relay',
      kind: 'relay',
      entry: 'services/indicators/handlers/relay.ts',
      description: 'Outbox relay: table stream to the event bus',
    },
  ],
  publishes: ['IndicatorPublished'],
});
