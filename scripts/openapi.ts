/** `npm run openapi`: writes docs/openapi.json from the route specs. */
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { buildOpenApi } from '../infra/openapi.ts';
import { routeSpecsByService } from '../services/registry.ts';

const file = join(import.meta.dirname, '..', 'docs', 'openapi.json');
writeFileSync(file, `${JSON.stringify(buildOpenApi(routeSpecsByService), null, 2)}\n`);
console.log('wrote docs/openapi.json');
