/**
 * The admin API of the local EventBridge endpoint, under `/_local/`: plain JSON for the CLIs
 * (`npm run dlq`, `npm run events`) and for tests. It can redrive events, so it answers
 * loopback peers only, whatever address the server listens on.
 */
import type { IncomingMessage, ServerResponse } from 'node:http';
import type { LocalEventBus, RedriveFilter } from './bus.ts';
import { isLoopback, sendJson } from './http-util.ts';

export const ADMIN_PREFIX = '/_local/';
const DEFAULT_LIMIT = 20;
const MAX_LIMIT = 1000;

type Route = (bus: LocalEventBus, query: URLSearchParams) => Promise<unknown>;

const routes: Record<string, Partial<Record<string, Route>>> = {
  '/_local/events': {
    GET: (bus, query) => {
      const limit = parseLimit(query.get('limit'));
      return bus.recentEvents(limit).then((events) => ({ events }));
    },
  },
  '/_local/dlq': { GET: async (bus) => ({ parked: bus.deadLetters() }) },
  '/_local/dlq/redrive': {
    POST: (bus, query) => {
      const filter: RedriveFilter = {};
      const id = query.get('id');
      const ruleId = query.get('rule');
      if (id) filter.id = id;
      if (ruleId) filter.ruleId = ruleId;
      return bus.redrive(filter);
    },
  },
  '/_local/stats': { GET: async (bus) => bus.stats() },
};

class BadRequest extends Error {}

function parseLimit(raw: string | null): number {
  if (raw === null) return DEFAULT_LIMIT;
  const limit = Number(raw);
  if (!Number.isInteger(limit) || limit < 1 || limit > MAX_LIMIT) throw new BadRequest(`limit must be an integer from 1 to ${MAX_LIMIT}`);
  return limit;
}

export async function handleAdmin(req: IncomingMessage, res: ServerResponse, url: URL, bus: LocalEventBus): Promise<void> {
  req.resume(); // no route takes a body; drain any so the connection stays usable
  if (!isLoopback(req.socket.remoteAddress)) return sendJson(res, 403, { message: 'the admin API answers loopback clients only' });
  const methods = routes[url.pathname.replace(/\/+$/, '')];
  if (!methods) return sendJson(res, 404, { message: `no admin route ${url.pathname}`, routes: Object.keys(routes) });
  const route = methods[req.method ?? 'GET'];
  if (!route) return sendJson(res, 405, { message: `${req.method} not allowed on ${url.pathname}` }, { allow: Object.keys(methods).join(', ') });
  try {
    sendJson(res, 200, await route(bus, url.searchParams));
  } catch (error) {
    if (error instanceof BadRequest) return sendJson(res, 400, { message: error.message });
    throw error;
  }
}
