/**
 * Hands out DynamoDB Local engines to test files and replaces them as they age (used by
 * test/support/global-setup.ts; each file takes a lease in test/support/engine-lease.ts).
 *
 * Why: DynamoDB Local slows down with use, even with every table dropped. Measured on the 2-core
 * machine: `test/integration/views-property.test.ts` took 7-10 s on a fresh engine, 26 s after three
 * end-to-end files on the same engine, 33 s once more after that (every table dropped in between),
 * and 48 s late in the full suite. An engine therefore serves new leases for `rotateAfterMs` only;
 * its successor is started in the background before then, so no file waits for Java, and an
 * engine whose leases have all been returned after its turn is stopped.
 *
 * A file keeps its engine for its whole run (its tables live there), so files running side by side
 * may use different engines; nothing a test does spans two files.
 */
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { DynamoDbLocal } from '../../infra/local/dynamodb-local.ts';

export interface Lease {
  id: number;
  endpoint: string;
}

interface Engine {
  local: DynamoDbLocal;
  /** When it began to serve leases (undefined: waiting as the successor). */
  servingSince?: number;
  leases: Set<number>;
  retired: boolean;
}

export interface EngineBroker {
  /** POST `<url>/lease` → a Lease; POST `<url>/release/<id>` when the file is done. */
  url: string;
  /** How many engines served leases in this run (reported at the end). */
  enginesUsed: () => number;
  stop(): Promise<void>;
}

export async function startEngineBroker(options: { start: () => Promise<DynamoDbLocal>; rotateAfterMs: number; now?: () => number }): Promise<EngineBroker> {
  const now = options.now ?? Date.now;
  let current: Engine = { local: await options.start(), servingSince: now(), leases: new Set(), retired: false };
  let successor: Promise<Engine | undefined> | undefined;
  const all = new Set<Engine>([current]);
  const byLease = new Map<number, Engine>();
  let nextLease = 1;
  let used = 1;

  const stopIfDone = async (engine: Engine) => {
    if (!engine.retired || engine.leases.size > 0 || !all.has(engine)) return;
    all.delete(engine);
    await engine.local.stop();
  };

  const startSuccessor = () => {
    successor = options.start().then(
      (local) => {
        const engine: Engine = { local, leases: new Set(), retired: false };
        all.add(engine);
        return engine;
      },
      (error: unknown) => {
        // Keep serving from the current engine: slower, never wrong.
        console.warn(`engine broker: a fresh DynamoDB Local did not start (${(error as Error).message}); the current one goes on`);
        return undefined;
      },
    );
  };

  async function lease(): Promise<Lease> {
    const age = now() - (current.servingSince ?? now());
    if (!successor && age >= options.rotateAfterMs * 0.6) startSuccessor();
    if (successor && age >= options.rotateAfterMs) {
      const next = await successor;
      successor = undefined;
      if (next) {
        const old = current;
        old.retired = true;
        current = next;
        current.servingSince = now();
        used++;
        void stopIfDone(old);
      }
    }
    const id = nextLease++;
    current.leases.add(id);
    byLease.set(id, current);
    return { id, endpoint: current.local.endpoint };
  }

  async function release(id: number): Promise<void> {
    const engine = byLease.get(id);
    if (!engine) return;
    byLease.delete(id);
    engine.leases.delete(id);
    await stopIfDone(engine);
  }

  const server: Server = createServer((request, response) => {
    const reply = (status: number, body: unknown) => response.writeHead(status, { 'content-type': 'application/json' }).end(JSON.stringify(body));
    const released = /^\/release\/(\d+)$/.exec(request.url ?? '');
    const work = request.method !== 'POST' ? undefined : request.url === '/lease' ? lease() : released ? release(Number(released[1])).then(() => ({})) : undefined;
    if (!work) return reply(404, { error: 'POST /lease or /release/<id>' });
    work.then(
      (body) => reply(200, body),
      (error: unknown) => reply(500, { error: (error as Error).message }),
    );
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));

  return {
    url: `http://127.0.0.1:${(server.address() as AddressInfo).port}`,
    enginesUsed: () => used,
    async stop() {
      await new Promise<void>((resolve) => server.close(() => resolve()));
      const pending = await successor;
      if (pending) all.add(pending);
      await Promise.all([...all].map((e) => e.local.stop()));
      all.clear();
    },
  };
}
