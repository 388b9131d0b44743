/**
 * The repository's ESLint config (eslint.config.js) catches planted promise mistakes. The
 * planted file is linted in a temporary directory with a tsconfig.json of its own, so the
 * project service builds a one-file program instead of the whole repository's (which
 * `npm run lint` checks): the config and its rules are the repository's, only the program
 * their type information comes from is smaller.
 */
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { ESLint } from 'eslint';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';

const ROOT = join(import.meta.dirname, '..', '..');
let dir: string;

beforeAll(() => {
  dir = mkdtempSync(join(tmpdir(), 'jixiao-lint-'));
  const compilerOptions = { strict: true, target: 'ES2022', module: 'NodeNext', lib: ['ES2023'], types: [], noEmit: true };
  writeFileSync(join(dir, 'tsconfig.json'), JSON.stringify({ compilerOptions, include: ['*.ts'] }));
});
afterAll(() => rmSync(dir, { recursive: true, force: true }));

async function lint(name: string, code: string): Promise<string[]> {
  const file = join(dir, name);
  writeFileSync(file, code);
  const eslint = new ESLint({
    cwd: dir,
    overrideConfigFile: join(ROOT, 'eslint.config.js'),
    overrideConfig: { languageOptions: { parserOptions: { tsconfigRootDir: dir } } },
  });
  const [result] = await eslint.lintFiles([file]);
  return (result?.messages ?? []).map((m) => `${m.line}: ${m.ruleId ?? m.message}`);
}

const save = `async function save(): Promise<void> {}\n`;

describe('ESLint with the repository config', () => {
  it('catches a floating promise and a promise where a void callback is expected', async () => {
    const found = await lint('floating.ts', `${save}export function handler(): void {\n  save();\n  [1].forEach(async () => save());\n}\n`);
    expect(found).toEqual(['3: @typescript-eslint/no-floating-promises', '4: @typescript-eslint/no-misused-promises']);
  });

  it('accepts the same calls awaited, returned or explicitly dropped', async () => {
    const found = await lint('handled.ts', `${save}export async function handler(): Promise<void> {\n  await save();\n  void save().catch(() => undefined);\n  await Promise.all([1].map(() => save()));\n}\n`);
    expect(found).toEqual([]);
  });
});
