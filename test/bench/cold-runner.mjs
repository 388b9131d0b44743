// One cold-import sample (test/bench/cold-import.ts spawns a fresh `node` for each): the time
// to `await import()` a bundle, as Lambda's init phase does, printed as JSON. Plain JavaScript
// so that no TypeScript loader runs in the measured process.
import { pathToFileURL } from 'node:url';

const file = process.argv[2];
if (!file) {
  console.error('usage: node cold-runner.mjs <bundle.mjs>');
  process.exit(2);
}
const url = pathToFileURL(file).href;
const started = performance.now();
const module = await import(url);
const importMs = performance.now() - started;
if (typeof module.handler !== 'function') {
  console.error(`${file} does not export a handler function`);
  process.exit(3);
}
process.stdout.write(`${JSON.stringify({ importMs, sinceProcessStartMs: performance.now() })}\n`);
