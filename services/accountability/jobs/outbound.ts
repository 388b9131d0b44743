/**
 * One POST to a receiver outside Jixiao (a supervisor's webhook), made so that the address
 * checked is the address connected to, and the answer cannot hold the function up:
 *
 * - the host is resolved once, inside the connection, by request-filtering-agent (ipaddr.js
 *   ranges): every address that is not public unicast is refused before a socket connects
 *   (private, loopback, link-local, CGNAT, benchmarking 198.18.0.0/15, IETF 192.0.0.0/24,
 *   NAT64 64:ff9b::/96, 6to4 2002::/16, Teredo, multicast, reserved...). Resolving first and
 *   letting `fetch` resolve again left a window for DNS rebinding: a name that answers a public
 *   address to the check and 127.0.0.1 to the connection;
 * - only the status matters: at most `maxAnswerBytes` of the answer are read, then the
 *   connection is cut;
 * - one deadline covers connecting, sending and the answer.
 *
 * The local runtime lets webhooks reach 127.0.0.0/8 and ::1 (`allowLoopback`), never CDK.
 */
import { request as httpRequest, type ClientRequest, type IncomingMessage } from 'node:http';
import { request as httpsRequest } from 'node:https';
import type { LookupFunction } from 'node:net';
import { RequestFilteringHttpAgent, RequestFilteringHttpsAgent } from 'request-filtering-agent';

/** The most of a receiver's answer read: its status is all a delivery needs. */
export const MAX_ANSWER_BYTES = 64 * 1024;

export interface OutboundOptions {
  readonly timeoutMs: number;
  /** Local runtime only: loopback receivers allowed. */
  readonly allowLoopback: boolean;
  readonly maxAnswerBytes?: number;
  /** The resolver (tests plant one; dns.lookup otherwise). Its answer is checked before connecting. */
  readonly lookup?: LookupFunction;
}

export interface OutboundResult {
  readonly status?: number;
  readonly error?: string;
  /** Set when the host resolved to (or was) an address that is not public: nothing was sent. */
  readonly refusedAddress?: string;
  /** Bytes of the answer read, and whether the rest was cut off. */
  readonly answerBytes: number;
  readonly truncated: boolean;
}

const LOOPBACK = ['127.0.0.0/8', '::1'];
/** request-filtering-agent's refusal: "DNS lookup 127.0.0.1(family:4, host:example.org) is not allowed. …" */
const REFUSAL = /^DNS lookup (\S+?)\(family:.*is not allowed/;

export function postOutbound(url: URL, body: string, headers: Record<string, string>, options: OutboundOptions): Promise<OutboundResult> {
  const maxAnswerBytes = options.maxAnswerBytes ?? MAX_ANSWER_BYTES;
  const filter = { allowIPAddressList: options.allowLoopback ? LOOPBACK : [], keepAlive: false };
  const https = url.protocol === 'https:';
  const agent = https ? new RequestFilteringHttpsAgent(filter) : new RequestFilteringHttpAgent(filter);
  const send = https ? httpsRequest : httpRequest;
  return new Promise<OutboundResult>((resolve) => {
    let settled = false;
    let answerBytes = 0;
    const finish = (result: Omit<OutboundResult, 'answerBytes'> & { answerBytes?: number }) => {
      if (settled) return;
      settled = true;
      clearTimeout(deadline);
      request.destroy();
      agent.destroy();
      resolve({ answerBytes, ...result });
    };
    const deadline = setTimeout(() => finish({ error: `no answer within ${options.timeoutMs} ms`, truncated: false }), options.timeoutMs);
    const request: ClientRequest = send(
      url,
      {
        method: 'POST',
        agent,
        headers: { ...headers, 'content-length': String(Buffer.byteLength(body)) },
        ...(options.lookup ? { lookup: options.lookup } : {}),
      },
      (response: IncomingMessage) => {
        const status = response.statusCode;
        response.on('data', (chunk: Buffer) => {
          answerBytes += chunk.length;
          if (answerBytes > maxAnswerBytes) finish({ ...(status !== undefined ? { status } : {}), answerBytes: maxAnswerBytes, truncated: true });
        });
        response.on('end', () => finish({ ...(status !== undefined ? { status } : {}), truncated: false }));
        response.on('error', (error) => finish({ ...(status !== undefined ? { status } : {}), error: error.message, truncated: false }));
      },
    );
    request.on('error', (error: Error & { code?: string }) => {
      const refused = REFUSAL.exec(error.message)?.[1];
      if (refused) finish({ error: `the webhook host resolves to an internal address (${refused})`, refusedAddress: refused, truncated: false });
      else finish({ error: `${error.code ?? error.name}: ${error.message}`, truncated: false });
    });
    request.end(body);
  });
}
