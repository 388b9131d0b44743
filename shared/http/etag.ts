/**
 * Optimistic concurrency over HTTP: every item has a `version`; its ETag is a strong tag of
 * the id and version. Updates must send `If-Match` (428 without), and a stale tag is 412.
 * The conditional write underneath still guards the race between read and write (409).
 */
import { problems } from '../errors.ts';

export function etagOf(id: string, version: number): string {
  return `"${id}.v${version}"`;
}

/** Returns nothing when the header matches the current version; throws 412/428 otherwise. */
export function checkIfMatch(ifMatch: string | undefined, id: string, currentVersion: number): void {
  if (!ifMatch) throw problems.preconditionRequired();
  const current = etagOf(id, currentVersion);
  const offered = ifMatch.split(',').map((t) => t.trim().replace(/^W\//, ''));
  if (offered.includes('*') || offered.includes(current)) return;
  throw problems.preconditionFailed(`The resource changed since you read it: If-Match ${ifMatch} does not match the current ETag ${current}`);
}
