/**
 * The test run's engine broker (test/support/engine-broker.ts), with stand-in engines: leases go to
 * the current engine, a successor takes over once the current one has served its time, and a
 * retired engine stops when its last lease is returned, not before.
 */
import { afterEach, describe, expect, it } from 'vitest';
import type { DynamoDbLocal } from '../../infra/local/dynamodb-local.ts';
import { startEngineBroker, type EngineBroker, type Lease } from '../support/engine-broker.ts';

let broker: EngineBroker | undefined;
afterEach(async () => broker?.stop());

function standIns() {
  const stopped: string[] = [];
  let n = 0;
  const start = async (): Promise<DynamoDbLocal> => {
    const endpoint = `http://engine-${++n}`;
    return { endpoint, port: n, javaPid: () => undefined, stop: async () => void stopped.push(endpoint) };
  };
  return { start, stopped };
}

const post = async (path: string) => (await fetch(`${broker?.url}${path}`, { method: 'POST' })).json();
const lease = () => post('/lease') as Promise<Lease>;
/** The broker's clock, moved by the tests. */
let clock = 0;
const now = () => clock;
const advance = (ms: number) => void (clock += ms);

describe('the engine broker', () => {
  it('leases the same engine until it has served its time, then the successor it started meanwhile', async () => {
    const engines = standIns();
    broker = await startEngineBroker({ start: engines.start, rotateAfterMs: 200, now });
    const first = await lease();
    advance(130); // past 60 %: the successor starts
    const second = await lease();
    advance(100); // past 100 %: the successor serves
    const third = await lease();
    expect([first.endpoint, second.endpoint, third.endpoint]).toEqual(['http://engine-1', 'http://engine-1', 'http://engine-2']);
    expect(broker.enginesUsed()).toBe(2);
  });

  it('stops a retired engine only when its last lease comes back', async () => {
    const engines = standIns();
    broker = await startEngineBroker({ start: engines.start, rotateAfterMs: 100, now });
    const a = await lease();
    const b = await lease();
    advance(70);
    const c = await lease(); // starts the successor
    advance(50);
    expect((await lease()).endpoint).toBe('http://engine-2'); // engine 2 takes over; engine 1 still has three leases
    await post(`/release/${a.id}`);
    await post(`/release/${b.id}`);
    expect(engines.stopped).toEqual([]);
    await post(`/release/${c.id}`);
    expect(engines.stopped).toEqual(['http://engine-1']);
  });

  it('stops every engine at the end', async () => {
    const engines = standIns();
    broker = await startEngineBroker({ start: engines.start, rotateAfterMs: 60_000, now });
    await lease();
    await broker.stop();
    broker = undefined;
    expect(engines.stopped).toEqual(['http://engine-1']);
  });
});
