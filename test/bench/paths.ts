/** Where the benches read and write: the repository root and the gitignored `test/bench/out/`. */
import { dirname, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

const HERE = dirname(fileURLToPath(import.meta.url));

/** This directory is test/bench, so the repository root is two levels up. */
export const REPO_ROOT = resolve(HERE, '..', '..');
export const BENCH_DIR = HERE;
export const BENCH_OUT = resolve(HERE, 'out');
