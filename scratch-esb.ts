import { build } from 'esbuild';
import { createHash } from 'node:crypto';
import { readFileSync, readdirSync } from 'node:fs';
import { esbuildOptionsFor } from './infra/bundling.ts';
await build({ ...esbuildOptionsFor('services/platform/handlers/api.ts', '/tmp/esb-out'), logLevel: 'warning' });
const h = (p: string) => createHash('sha256').update(readFileSync(p)).digest('hex').slice(0, 16);
console.log('js api', h('/tmp/esb-out/index.mjs'), readFileSync('/tmp/esb-out/index.mjs').length);
for (const d of readdirSync('cdk.out').filter((d) => d.startsWith('asset.'))) console.log(d.slice(0, 16), h(`cdk.out/${d}/index.mjs`), readFileSync(`cdk.out/${d}/index.mjs`).length);
