/**
 * No source file outside test/ is over 400 lines, unless its first comment says why it is one
 * file: a line of that comment starting with `One file because` (docs/architecture.md,
 * "Conventions checked by tests"). Checked on the repository and on planted files.
 */
import { mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, relative } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';

const ROOT = join(import.meta.dirname, '..', '..');
const FOLDERS = ['services', 'shared', 'events', 'infra', 'scripts'];
const MAX_LINES = 400;
const MARKER = 'One file because';

function sources(dir: string): string[] {
  return readdirSync(dir).flatMap((name) => {
    const path = join(dir, name);
    return statSync(path).isDirectory() ? sources(path) : /\.(ts|mts|cts|js|mjs|cjs)$/.test(name) ? [path] : [];
  });
}

/** Lines as `wc -l` counts them, plus a last line without a newline. */
const lineCount = (text: string) => text.split('\n').length - (text.endsWith('\n') ? 1 : 0);

/** The lines of the file's first comment (after an optional shebang), without comment syntax. */
function firstComment(text: string): string[] {
  const body = text.replace(/^#![^\n]*\n/, '').trimStart();
  const block = /^\/\*([\s\S]*?)\*\//.exec(body);
  const raw = block ? (block[1] ?? '').split('\n') : (/^(?:\/\/[^\n]*(?:\n|$))+/.exec(body)?.[0] ?? '').split('\n').map((line) => line.replace(/^\s*\/\//, ''));
  return raw.map((line) => line.replace(/^\s*\*?\s?/, '').trim());
}

/** Files of `root`'s source folders over the limit without the marker, as `path: n lines`. */
function oversized(root: string, folders: string[]): string[] {
  return folders
    .flatMap((folder) => sources(join(root, folder)))
    .flatMap((file) => {
      const text = readFileSync(file, 'utf8');
      const lines = lineCount(text);
      if (lines <= MAX_LINES || firstComment(text).some((line) => line.startsWith(MARKER))) return [];
      return [`${relative(root, file)}: ${lines} lines (split it by concept, or say "${MARKER} ..." in its first comment)`];
    })
    .sort();
}

describe('file size', () => {
  it(`no source file outside test/ is over ${MAX_LINES} lines without saying why`, () => {
    expect(oversized(ROOT, FOLDERS)).toEqual([]);
  });
});

describe('the size check on planted files', () => {
  let tree: string;
  const body = (lines: number) => Array.from({ length: lines }, (_, i) => `export const x${i} = ${i};`);
  const plant = (name: string, lines: string[]) => writeFileSync(join(tree, 'shared', name), `${lines.join('\n')}\n`);

  beforeAll(() => {
    tree = mkdtempSync(join(tmpdir(), 'jixiao-size-'));
    for (const folder of FOLDERS) mkdirSync(join(tree, folder));
    plant('at-limit.ts', body(MAX_LINES));
    plant('over.ts', ['/** A module. */', ...body(MAX_LINES)]);
    plant('marked.ts', ['/**', ' * The whole state machine.', ' *', ` * ${MARKER} the transitions read as one table.`, ' */', ...body(MAX_LINES)]);
    plant('marked-line-comments.mjs', ['#!/usr/bin/env node', `// ${MARKER} it is a generated table.`, ...body(MAX_LINES)]);
    plant('marker-too-late.ts', ['/** A module. */', `// ${MARKER} this comment is not the first one.`, ...body(MAX_LINES)]);
    plant('marker-not-at-line-start.ts', [`/** Not one file because of anything. */`, ...body(MAX_LINES)]);
  });
  afterAll(() => rmSync(tree, { recursive: true, force: true }));

  it('flags the files over the limit whose first comment does not say why', () => {
    expect(oversized(tree, FOLDERS)).toEqual([
      `shared/marker-not-at-line-start.ts: 401 lines (split it by concept, or say "${MARKER} ..." in its first comment)`,
      `shared/marker-too-late.ts: 402 lines (split it by concept, or say "${MARKER} ..." in its first comment)`,
      `shared/over.ts: 401 lines (split it by concept, or say "${MARKER} ..." in its first comment)`,
    ]);
  });
});
