/**
 * The local front's token check remembers tokens it verified (their signature cannot change), and
 * still refuses a remembered token outside its time window, like the first check does.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, afterEach, beforeAll, describe, expect, it, vi } from 'vitest';
import { issueToken, loadOrCreateKeys, verifyBearer, TokenRejected, type LocalKeys } from '../../infra/local/keys.ts';

let homes: string[];
let keys: LocalKeys;
let otherKeys: LocalKeys;

beforeAll(async () => {
  homes = [mkdtempSync(join(tmpdir(), 'jixiao-keys-')), mkdtempSync(join(tmpdir(), 'jixiao-keys-'))];
  keys = await loadOrCreateKeys(homes[0] as string);
  otherKeys = await loadOrCreateKeys(homes[1] as string);
});
afterAll(() => {
  for (const home of homes) rmSync(home, { recursive: true, force: true });
});
afterEach(() => {
  vi.useRealTimers();
});

const bearer = (token: string) => `Bearer ${token}`;

describe('verifyBearer', () => {
  it('answers a token verified before with the same claims', async () => {
    const token = await issueToken(keys, { role: 'finance', region: '360000', sub: 'f-1' });

    const first = await verifyBearer(keys, bearer(token));
    const second = await verifyBearer(keys, bearer(token));

    expect(second).toEqual(first);
    expect(second.sub).toBe('f-1');
  });

  it('refuses a remembered token once it has expired', async () => {
    const issuedAt = Date.UTC(2031, 0, 5, 9, 0, 0);
    vi.useFakeTimers({ toFake: ['Date'] });
    vi.setSystemTime(issuedAt);
    const token = await issueToken(keys, { role: 'unit', region: '360000', unit: 'U1' }, { ttlSeconds: 60 });
    await verifyBearer(keys, bearer(token));

    // exp = issuedAt + 60 s; no leeway: at exp it is expired.
    vi.setSystemTime(issuedAt + 60_000);

    await expect(verifyBearer(keys, bearer(token))).rejects.toThrow(new TokenRejected('The token has expired'));
  });

  it('refuses a token verified under another key', async () => {
    const token = await issueToken(otherKeys, { role: 'finance', region: '360000' });
    await verifyBearer(otherKeys, bearer(token));

    await expect(verifyBearer(keys, bearer(token))).rejects.toThrow(new TokenRejected('The token signature is not valid'));
  });
});
