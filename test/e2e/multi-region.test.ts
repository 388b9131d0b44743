/**
 * Three regions on one machine over HTTP (what `npm start -- --regions all` runs): each region
 * its own API, which takes only its own region's tokens; an indicator published in Jiangxi
 * travels outbox → relay → Jiangxi's bus → forwarding rules → Nanchang's and Jiujiang's buses;
 * runtime.json lists every region for the CLIs; stop ends them all.
 *
 * The runtimes share the run's DynamoDB Local (unique table prefix) and run the services this
 * path touches, platform and indicators (their real manifests), so three regions add three
 * tables to the shared engine rather than fifteen. Sandboxes start on first use (warm: false):
 * only the functions this test needs ever start.
 */
import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startLocalRuntimes, type LocalRuntimes } from '../../infra/local/multi-region.ts';
import { readRuntimeState, runtimeStatePath } from '../../infra/local/paths.ts';
import { manifests } from '../../services/registry.ts';
import { testEndpoint, uniquePrefix } from '../support/aws-env.ts';
import { eventually, sampleIndicator } from '../support/runtime.ts';

const CODES = ['360000', '360100', '360400'] as const;
let regions: LocalRuntimes;
let home: string;

beforeAll(async () => {
  home = mkdtempSync(join(tmpdir(), 'jixiao-multi-'));
  regions = await startLocalRuntimes({
    regionCodes: CODES,
    home,
    inMemory: true,
    port: 0,
    dynamodbEndpoint: testEndpoint(),
    tablePrefix: uniquePrefix(),
    writeState: true,
    manifests: manifests.filter((m) => m.name === 'platform' || m.name === 'indicators'),
    warm: false,
    retry: { baseDelayMs: 20, maxDelayMs: 200 },
    streamPollIntervalMs: 50,
    logLevel: 'SILENT',
  });
});

afterAll(async () => {
  await regions?.stop();
  rmSync(home, { recursive: true, force: true });
});

async function call(code: string, method: string, path: string, token?: string, body?: unknown, headers: Record<string, string> = {}) {
  const response = await fetch(`${regions.runtime(code).apiUrl}${path}`, {
    method,
    headers: { ...headers, ...(token ? { authorization: `Bearer ${token}` } : {}), ...(body ? { 'content-type': 'application/json' } : {}) },
    ...(body ? { body: JSON.stringify(body) } : {}),
  });
  const text = await response.text();
  return { status: response.status, headers: response.headers, body: text ? (JSON.parse(text) as any) : undefined };
}

describe('three regions over HTTP', () => {
  it('serves each region on its own port and lets a region’s API take only its own region’s tokens', async () => {
    expect(new Set(regions.runtimes.map((r) => new URL(r.apiUrl).port)).size).toBe(3);
    const jiangxi = await regions.runtime('360000').token({ role: 'finance' });
    const nanchang = await regions.runtime('360100').token({ role: 'finance' });
    expect((await call('360100', 'GET', '/v1/health')).status).toBe(200);
    expect((await call('360100', 'GET', '/v1/indicators', nanchang)).status).toBe(200);
    expect((await call('360100', 'GET', '/v1/indicators', jiangxi)).status).toBe(403);
  });

  it('forwards the IndicatorPublished of an indicator published in Jiangxi to Nanchang’s and Jiujiang’s buses', async () => {
    const finance = await regions.runtime('360000').token({ role: 'finance', sub: 'jx-finance' });
    const created = await call('360000', 'POST', '/v1/indicators', finance, sampleIndicator);
    expect(created.status).toBe(201);
    const id = created.body.id as string;
    const published = await call('360000', 'POST', `/v1/indicators/${id}/publish`, finance, undefined, { 'if-match': created.headers.get('etag') as string });
    expect(published.status).toBe(200);

    const jiangxiBus = regions.runtime('360000').bus;
    const original = await eventually(async () => (await jiangxiBus.recentEvents(100)).find((a) => a.event['detail-type'] === 'IndicatorPublished' && (a.event.detail as any).meta.subject.id === id), 10_000);
    expect(original.forwardedFrom).toBeUndefined();
    expect(original.rules).toEqual(expect.arrayContaining(['forward.to-child.360100', 'forward.to-child.360400']));
    for (const child of ['360100', '360400']) {
      const bus = regions.runtime(child).bus;
      const forwarded = await eventually(async () => (await bus.recentEvents(100)).find((a) => a.event.id === original.event.id), 5000);
      expect(forwarded.event).toEqual(original.event);
      expect(forwarded.forwardedFrom).toBe(jiangxiBus.busArn);
    }
  });

  it('writes runtime.json with the first region’s endpoints and every region, and removes it at stop', async () => {
    const state = readRuntimeState(home)!;
    expect(state.apiUrl).toBe(regions.runtimes[0]!.apiUrl);
    expect(state.eventBridgeUrl).toBe(regions.runtimes[0]!.eventBridgeUrl);
    expect(state.regions).toEqual(regions.runtimes.map((r) => ({ code: r.regionCode, apiUrl: r.apiUrl, eventBridgeUrl: r.eventBridgeUrl, dataDir: r.dataDir })));
    expect(new Set(state.regions!.map((r) => r.dataDir)).size).toBe(3);

    await regions.stop();
    expect(existsSync(runtimeStatePath(home))).toBe(false);
    expect(regions.network.running()).toEqual([]);
    for (const r of regions.runtimes) await expect(fetch(`${r.apiUrl}/v1/health`)).rejects.toThrow();
  });
});
