/**
 * Physical names of a region's resources. Names carry the division code so that two regions
 * sharing an account and AWS region never collide, and so that a child region can address
 * its parent's bus by ARN without a cross-stack reference (which CDK cannot make across
 * accounts).
 */
import { fileURLToPath } from 'node:url';

/** Repository root: function entries in the manifests are relative to it. */
export const REPO_ROOT = fileURLToPath(new URL('..', import.meta.url));

export function stackId(code: string): string {
  return `Jixiao-${code}`;
}

/** `jixiao-<code>-<parts...>`, checked against the tightest limit of the resource type. */
export function regionResourceName(code: string, parts: readonly string[], maxLength = 64): string {
  const name = ['jixiao', code, ...parts].join('-');
  if (name.length > maxLength) {
    throw new Error(`resource name ${name} is longer than ${maxLength} characters; shorten the manifest name`);
  }
  return name;
}

/** The region's event bus; children build their parent's bus ARN from it. */
export function busName(code: string): string {
  return regionResourceName(code, []);
}

/** Construct id from a manifest name or route (`GET /v1/x/{id}` → `GET-v1-x-id`). */
export function constructId(text: string): string {
  return text
    .replace(/[^A-Za-z0-9]+/g, '-')
    .replace(/^-+|-+$/g, '');
}
