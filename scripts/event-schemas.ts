/**
 * `npm run events:schemas`: writes events/schemas/<Name>.v<version>.json from the catalog.
 * Refuses to overwrite a committed schema with a breaking change: bump the event's version.
 */
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { breakingChanges } from '../events/compat.ts';
import { allEventSchemas } from '../events/json-schema.ts';

const dir = join(import.meta.dirname, '..', 'events', 'schemas');
mkdirSync(dir, { recursive: true });
let refused = 0;
for (const { file, schema } of allEventSchemas()) {
  const path = join(dir, file);
  if (existsSync(path)) {
    const problems = breakingChanges(JSON.parse(readFileSync(path, 'utf8')), schema);
    if (problems.length) {
      refused++;
      console.error(`${file}: breaking change, not written; publish a new version instead:\n  ${problems.join('\n  ')}`);
      continue;
    }
  }
  writeFileSync(path, `${JSON.stringify(schema, null, 2)}\n`);
  console.log(`wrote events/schemas/${file}`);
}
process.exit(refused ? 1 : 0);
