/** The context a command's events are published under: the caller, the deployment's region, the request's correlation id. */
import type { EventContext } from '../outbox.ts';
import type { RequestContext } from './api.ts';

export function eventContextOf(ctx: RequestContext, now?: Date): EventContext {
  const { sub, role, region, department, unit } = ctx.actor;
  return {
    actor: { sub, role, region, ...(department ? { department } : {}), ...(unit ? { unit } : {}) },
    region: ctx.deploymentRegion,
    correlationId: ctx.correlationId,
    ...(now ? { now } : {}),
  };
}
