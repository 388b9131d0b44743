/**
 * Physical names of a region's resources. Names carry the division code so that two regions
 * sharing an account and AWS region never collide, and so that a child region can address
 * its parent's bus by ARN without a cross-stack reference (which CDK cannot make across
 * accounts). Within a region the same names let a service stack address its region's bus and
 * alarm topic without importing anything from the base stack.
 */
import { fileURLToPath } from 'node:url';

/** Repository root: function entries in the manifests are relative to it. */
export const REPO_ROOT = fileURLToPath(new URL('..', import.meta.url));

/** The region's base stack: alarm topic, event bus, HTTP API and its authorizer. */
export function stackId(code: string): string {
  return `Jixiao-${code}`;
}

/** A service's stack in a region: `Jixiao-<code>-<service>`. */
export function serviceStackId(code: string, service: string): string {
  return `${stackId(code)}-${service}`;
}

/**
 * The region's API stage stack: the HTTP API's `$default` stage with its throttling per route
 * and access logs. Deployed after every service stack, because the stage's settings for single
 * routes may only name routes that exist.
 */
export function apiStageStackId(code: string): string {
  return `${stackId(code)}-api`;
}

/** Alias of one of a service's KMS keys: `alias/jixiao/<code>/<service>/<purpose>`. */
export function keyAlias(code: string, service: string, purpose: 'secrets' | 'trail'): string {
  return `alias/jixiao/${code}/${service}/${purpose}`;
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

/** The region's alarm topic; every stack of the region builds its ARN from this name. */
export function alarmTopicName(code: string): string {
  return regionResourceName(code, ['alarms'], 256);
}

/**
 * CloudFormation export names of what API Gateway assigns at creation and no name can stand
 * for: the HTTP API's id and its JWT authorizer's id. The base stack exports them, the service
 * stacks put their routes on that API with them. Unique per account and AWS region, like
 * every name here.
 */
export function httpApiIdExport(code: string): string {
  return regionResourceName(code, ['http-api-id'], 255);
}

export function jwtAuthorizerIdExport(code: string): string {
  return regionResourceName(code, ['jwt-authorizer-id'], 255);
}

/** Construct id from a manifest name or route (`GET /v1/x/{id}` → `GET-v1-x-id`). */
export function constructId(text: string): string {
  return text
    .replace(/[^A-Za-z0-9]+/g, '-')
    .replace(/^-+|-+$/g, '');
}
