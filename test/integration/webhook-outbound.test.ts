/**
 * A webhook POST connects only to the public address it checked (the host is resolved once, in
 * the connection), and a receiver cannot hold a delivery up with a huge answer. Against a real
 * HTTP server on 127.0.0.1 with planted resolvers: the server must never see a request the
 * filter refused.
 */
import { createServer, type Server } from 'node:http';
import type { AddressInfo, LookupFunction } from 'node:net';
import { afterEach, describe, expect, it } from 'vitest';
import { MAX_ANSWER_BYTES, postOutbound } from '../../services/accountability/jobs/outbound.ts';

let server: Server | undefined;
afterEach(async () => {
  await new Promise<void>((resolve) => (server ? server.close(() => resolve()) : resolve()));
  server?.closeAllConnections();
  server = undefined;
});

/** A loopback receiver that answers `answerBytes` bytes and counts the requests it got. */
async function receiver(answerBytes = 2): Promise<{ port: number; received: () => number }> {
  let received = 0;
  server = createServer((req, res) => {
    received++;
    req.resume();
    res.writeHead(200, { 'content-type': 'text/plain' });
    const chunk = Buffer.alloc(64 * 1024, 'x');
    let left = answerBytes;
    const pump = () => {
      while (left > 0) {
        const part = chunk.subarray(0, Math.min(left, chunk.length));
        left -= part.length;
        if (!res.write(part)) return void res.once('drain', pump);
      }
      res.end();
    };
    res.on('error', () => undefined);
    pump();
  });
  await new Promise<void>((resolve) => (server as Server).listen(0, '127.0.0.1', () => resolve()));
  return { port: (server.address() as AddressInfo).port, received: () => received };
}

/** A resolver that answers each call with the next address of the list, as a rebinding DNS server does. */
function answering(addresses: readonly string[]): { lookup: LookupFunction; calls: () => number } {
  let calls = 0;
  const lookup = ((_host: string, options: { all?: boolean }, callback: (...args: unknown[]) => void) => {
    const address = addresses[Math.min(calls, addresses.length - 1)] as string;
    calls++;
    const family = address.includes(':') ? 6 : 4;
    if (options?.all) callback(null, [{ address, family }]);
    else callback(null, address, family);
  }) as unknown as LookupFunction;
  return { lookup, calls: () => calls };
}

const post = (port: number, lookup: LookupFunction, timeoutMs = 1500) =>
  postOutbound(new URL(`http://hooks.example.org:${port}/jixiao`), '{"id":"alt_1"}', { 'content-type': 'application/json' }, { timeoutMs, allowLoopback: false, lookup });

describe('outbound webhook POST', () => {
  it('refuses a host that resolves to a public address once and to 127.0.0.1 the next time; the loopback server sees nothing', async () => {
    const { port, received } = await receiver();
    const dns = answering(['93.184.216.34', '127.0.0.1']);

    const first = await post(port, dns.lookup, 500); // the public address: no route from here, it times out or fails
    const second = await post(port, dns.lookup);

    expect(first.refusedAddress).toBeUndefined();
    expect(second).toMatchObject({ refusedAddress: '127.0.0.1', error: 'the webhook host resolves to an internal address (127.0.0.1)' });
    // One resolution per request: the address checked is the address connected to.
    expect(dns.calls()).toBe(2);
    expect(received()).toBe(0);
  });

  it('refuses every internal range a name may resolve to, before connecting', async () => {
    const { port, received } = await receiver();
    const internal = ['10.0.0.1', '172.16.0.1', '192.168.0.1', '100.64.0.1', '169.254.169.254', '198.18.0.1', '192.0.0.8', '0.0.0.0', '::1', 'fd00::1', 'fe80::1', '64:ff9b::a00:1', '2002:a00:1::'];
    for (const address of internal) {
      const result = await post(port, answering([address]).lookup);
      expect(result.refusedAddress, address).toBe(address);
    }
    expect(received()).toBe(0);
  });

  it('cuts a 10 MB answer off after 64 KB and keeps its status', async () => {
    const tenMegabytes = 10 * 1024 * 1024;
    const { port } = await receiver(tenMegabytes);

    const result = await postOutbound(new URL(`http://127.0.0.1:${port}/jixiao`), '{}', {}, { timeoutMs: 5000, allowLoopback: true });

    expect(result).toMatchObject({ status: 200, truncated: true, answerBytes: MAX_ANSWER_BYTES });
    expect(result.error).toBeUndefined();
  });

  it('delivers to a loopback receiver only when loopback webhooks are allowed (the local runtime)', async () => {
    const { port, received } = await receiver();

    const allowed = await postOutbound(new URL(`http://127.0.0.1:${port}/jixiao`), '{}', {}, { timeoutMs: 5000, allowLoopback: true });
    const refused = await postOutbound(new URL(`http://127.0.0.1:${port}/jixiao`), '{}', {}, { timeoutMs: 5000, allowLoopback: false });

    expect(allowed).toMatchObject({ status: 200, truncated: false });
    expect(refused.refusedAddress).toBe('127.0.0.1');
    expect(received()).toBe(1);
  });
});
