/**
 * zod/mini ships without error messages (to stay small); load the English ones once, so every
 * 4xx says what is wrong in words. Imported by every entry point that validates input.
 */
import * as z from 'zod/mini';
import en from 'zod/v4/locales/en.js';

z.config(en());

export interface Issue {
  field: string;
  message: string;
}

/** zod issues → field errors: `body.rows[0].unit`; unknown keys are named one by one. */
export function issuesToFields(prefix: string, issues: readonly z.core.$ZodIssue[]): Issue[] {
  const out: Issue[] = [];
  for (const issue of issues) {
    const base = fieldPath(prefix, issue.path);
    if (issue.code === 'unrecognized_keys') {
      for (const key of issue.keys) out.push({ field: fieldPath(base, [key]), message: 'is not a known field' });
    } else out.push({ field: base, message: issue.message });
  }
  return out;
}

export function fieldPath(prefix: string, path: readonly PropertyKey[]): string {
  return path.reduce<string>((acc, part) => (typeof part === 'number' ? `${acc}[${part}]` : `${acc}.${String(part)}`), prefix);
}
