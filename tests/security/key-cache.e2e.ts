import type { Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { INestApplication } from '@nestjs/common';
import { createApiApp, KEY_CHANGES_LISTENER } from '@cloudloom/market';
import { loadConfig } from '@cloudloom/platform';
import { startTestApp, type TestApp } from '../support/harness';
import { signup } from '../support/market';

/**
 * Keys that resolved lately are served from each API process's memory (identity/key-cache.ts).
 * Two API processes on one database: whatever ends a key's access through one of them, or in
 * the database directly, is refused by both on the very next request.
 */
describe('API keys held in memory: a change ends access at once, in every API process', () => {
  let t: TestApp;
  let other: INestApplication;
  let otherBase: string;
  beforeAll(async () => {
    t = await startTestApp();
    other = await createApiApp({ ...loadConfig({ ...t.env, RUN_WORKER: 'false' }), databaseUrl: t.databaseUrl });
    await other.listen(0, '127.0.0.1');
    otherBase = `http://127.0.0.1:${((other.getHttpServer() as Server).address() as AddressInfo).port}/api/v1`;
  });
  afterAll(async () => {
    await other?.close();
    await t?.close();
  });

  const meOn = async (base: string, key: string): Promise<number> => (await fetch(`${base}/me`, { headers: { authorization: `Bearer ${key}` } })).status;
  const both = async (key: string): Promise<number[]> => [await meOn(t.baseUrl, key), await meOn(otherBase, key)];
  /** The processes listen for key changes from their first key on: until then nothing is held. */
  const listeners = async (): Promise<number[]> =>
    (await t.sql<{ pid: number }>(`SELECT pid FROM pg_stat_activity WHERE datname = current_database() AND application_name = $1`, [KEY_CHANGES_LISTENER])).map((r) => r.pid);
  const warm = async (key: string, not: readonly number[] = []): Promise<void> => {
    // A process starts listening on the first key it is asked about.
    await vi.waitFor(async () => {
      expect(await both(key)).toEqual([200, 200]);
      expect((await listeners()).filter((pid) => !not.includes(pid))).toHaveLength(2);
    }, { timeout: 10_000, interval: 50 });
    // Twice on each: the first request after listening began is the one that keeps the key.
    expect(await both(key)).toEqual([200, 200]);
    expect(await both(key)).toEqual([200, 200]);
  };

  it('a key revoked through one process is refused by the other on its next request', async () => {
    for (let round = 0; round < 3; round++) {
      const brand = await signup(t, { kind: 'brand', name: `Rotating Brand ${round}` });
      const spare = await t.request<{ apiKey: string }>('POST', '/me/keys', { key: brand.key, body: { label: 'spare' } });
      await warm(brand.key);
      const [old] = await t.sql<{ id: string }>(`SELECT id FROM api_keys WHERE organization_id = $1 AND label = 'signup'`, [brand.id]);
      const revoked = await fetch(`${otherBase}/me/keys/${old!.id}`, { method: 'DELETE', headers: { authorization: `Bearer ${spare.body.apiKey}` } });
      expect(revoked.status).toBe(204);
      expect(await both(brand.key)).toEqual([401, 401]);
      expect(await both(spare.body.apiKey)).toEqual([200, 200]);
    }
  });

  it('a key revoked or an organization suspended in the database is refused by both processes at once', async () => {
    const a = await signup(t, { kind: 'brand', name: 'Revoked In SQL' });
    const b = await signup(t, { kind: 'factory', name: 'Suspended In SQL' });
    await warm(a.key);
    await warm(b.key);
    await t.sql(`UPDATE api_keys SET revoked_at = now() WHERE organization_id = $1`, [a.id]);
    expect(await both(a.key)).toEqual([401, 401]);
    expect(await both(b.key)).toEqual([200, 200]);
    await t.sql(`UPDATE organizations SET active = false WHERE id = $1`, [b.id]);
    expect(await both(b.key)).toEqual([401, 401]);
    // And back: a key is looked up again, never remembered as refused.
    await t.sql(`UPDATE organizations SET active = true WHERE id = $1`, [b.id]);
    expect(await both(b.key)).toEqual([200, 200]);
  });

  it('stops serving keys from memory when its connection goes silent, so a change it cannot hear still ends access', async () => {
    const brand = await signup(t, { kind: 'brand', name: 'Silent Link Brand' });
    await warm(brand.key);
    // A listening connection frozen without a word: the database side stops (as behind a dead
    // NAT entry), nothing is closed, and notifications sent to it are never read.
    const frozen = await listeners();
    expect(frozen).toHaveLength(2);
    for (const pid of frozen) process.kill(pid, 'SIGSTOP');
    try {
      await t.sql(`UPDATE api_keys SET revoked_at = now() WHERE organization_id = $1`, [brand.id]);
      // Each process's heartbeat goes unheard within 15 s; from then every key is looked up.
      await vi.waitFor(async () => expect(await both(brand.key)).toEqual([401, 401]), { timeout: 30_000, interval: 200 });
    } finally {
      for (const pid of frozen) process.kill(pid, 'SIGCONT');
    }
  });

  it('listens again after losing its connection, and forgets what it held meanwhile', async () => {
    const brand = await signup(t, { kind: 'brand', name: 'Reconnecting Brand' });
    await warm(brand.key);
    const gone = await listeners();
    expect(gone).toHaveLength(2);
    await t.sql(`SELECT pg_terminate_backend(pid) FROM unnest($1::int[]) AS pid`, [gone]);
    // Each process connects again by itself (about a second later) and listens from then on.
    await warm(brand.key, gone);
    await t.sql(`UPDATE api_keys SET revoked_at = now() WHERE organization_id = $1`, [brand.id]);
    expect(await both(brand.key)).toEqual([401, 401]);
  });
});
