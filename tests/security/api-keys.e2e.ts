import { createHash } from 'node:crypto';
import { ConfigError, DEV_OPERATOR_KEY, loadConfig } from '@cloudloom/platform';
import { OPERATOR_KEY, startTestApp, type TestApp } from '../support/harness';
import { signup } from '../support/market';

interface KeyView { id: string; label: string; createdAt: string; revokedAt: string | null; current: boolean }

describe('API keys: shown once, stored hashed, rotated and revoked', () => {
  let t: TestApp;
  beforeAll(async () => {
    t = await startTestApp();
  });
  afterAll(async () => {
    if (t) await t.close();
  });

  const keys = (key: string) => t.request<{ items: KeyView[] }>('GET', '/me/keys', { key });
  const create = (key: string, label?: string) => t.request<{ key: KeyView; apiKey: string }>('POST', '/me/keys', { key, body: label === undefined ? {} : { label } });
  const revoke = (key: string, id: string) => t.request('DELETE', `/me/keys/${id}`, { key });
  const me = (key: string) => t.request<{ id: string }>('GET', '/me', { key });

  it('stores only the SHA-256 of a key, and never answers with a secret after creation', async () => {
    const brand = await signup(t, { kind: 'brand', name: 'Hashed Brand' });
    expect(brand.key).toMatch(/^clk_[A-Za-z0-9_-]{43}$/);
    const rows = await t.sql<{ key_hash: string; label: string }>('SELECT key_hash, label FROM api_keys WHERE organization_id = $1', [brand.id]);
    expect(rows).toEqual([{ key_hash: createHash('sha256').update(brand.key).digest('hex'), label: 'signup' }]);
    const [hit] = await t.sql<{ n: number }>(`SELECT count(*)::int AS n FROM api_keys WHERE key_hash = $1 OR label = $1`, [brand.key]);
    expect(hit!.n).toBe(0);
    const list = await keys(brand.key);
    expect(list.status).toBe(200);
    expect(list.body.items).toHaveLength(1);
    expect(list.body.items[0]).toMatchObject({ label: 'signup', revokedAt: null, current: true });
    expect(Object.keys(list.body.items[0]!).sort()).toEqual(['createdAt', 'current', 'id', 'label', 'revokedAt']);
    expect(JSON.stringify(list.body)).not.toContain(brand.key);
  });

  it('rotates: a new key works at once, the old one stops on its next request', async () => {
    const factory = await signup(t, { kind: 'factory', name: 'Rotating Mill' });
    const fresh = await create(factory.key, 'ERP 2026');
    expect(fresh.status).toBe(201);
    expect(fresh.body.apiKey).toMatch(/^clk_/);
    expect(fresh.body.key).toMatchObject({ label: 'ERP 2026', revokedAt: null, current: false });
    expect((await me(fresh.body.apiKey)).body.id).toBe(factory.id);
    expect((await me(factory.key)).status).toBe(200);

    const old = (await keys(fresh.body.apiKey)).body.items.find((k) => !k.current)!;
    expect((await revoke(fresh.body.apiKey, old.id)).status).toBe(204);
    const refused = await me(factory.key);
    expect(refused.status).toBe(401);
    expect(refused.headers.get('content-type')).toContain('application/problem+json');
    expect((await me(fresh.body.apiKey)).status).toBe(200);
    const after = (await keys(fresh.body.apiKey)).body.items;
    expect(after.find((k) => k.id === old.id)!.revokedAt).not.toBeNull();
    // Revoking again changes nothing and is not an error.
    expect((await revoke(fresh.body.apiKey, old.id)).status).toBe(204);
  });

  it('refuses to revoke the only active key, and a key of another organization is not found', async () => {
    const a = await signup(t, { kind: 'brand', name: 'Lonely Key Brand' });
    const b = await signup(t, { kind: 'brand', name: 'Other Brand' });
    const [own] = (await keys(a.key)).body.items;
    const last = await revoke(a.key, own!.id);
    expect(last.status).toBe(409);
    expect((await me(a.key)).status).toBe(200);

    const spare = await create(a.key, 'spare');
    const foreign = await revoke(b.key, spare.body.key.id);
    expect(foreign.status).toBe(404);
    expect((await me(spare.body.apiKey)).status).toBe(200);
    expect((await revoke(a.key, 'not-a-uuid')).status).toBe(404);
  });

  it('keeps at least one key when two revocations race', async () => {
    const brand = await signup(t, { kind: 'brand', name: 'Racing Brand' });
    const second = await create(brand.key, 'second');
    const [first] = (await keys(brand.key)).body.items.filter((k) => k.current);
    const results = await Promise.all([revoke(brand.key, first!.id), revoke(second.body.apiKey, second.body.key.id)]);
    expect(results.map((r) => r.status).sort()).toEqual([204, 409]);
    const [active] = await t.sql<{ n: number }>('SELECT count(*)::int AS n FROM api_keys WHERE organization_id = $1 AND revoked_at IS NULL', [brand.id]);
    expect(active!.n).toBe(1);
  });

  it('caps the active keys of one organization', async () => {
    const brand = await signup(t, { kind: 'brand', name: 'Key Hoarder' });
    const made = [];
    for (let i = 0; i < 9; i++) made.push((await create(brand.key, `k${i}`)).status);
    expect(made).toEqual(Array(9).fill(201));
    const eleventh = await create(brand.key, 'one too many');
    expect(eleventh.status).toBe(409);
    expect((await keys(brand.key)).body.items).toHaveLength(10);
  });

  it('takes the operator key from the environment only', async () => {
    expect((await me(OPERATOR_KEY)).body).toMatchObject({ kind: 'operator' });
    expect((await me(`${OPERATOR_KEY}x`)).status).toBe(401);
    // The operator has no stored keys to rotate: the key routes are not its routes.
    expect((await t.request('POST', '/me/keys', { key: OPERATOR_KEY, body: {} })).status).toBe(404);
    expect((await keys(OPERATOR_KEY)).status).toBe(404);
  });

  it('will not start in production without an operator key, or with bad security settings', () => {
    expect(() => loadConfig({ NODE_ENV: 'production' })).toThrow(/OPERATOR_API_KEY: required/);
    expect(() => loadConfig({ NODE_ENV: 'production', OPERATOR_API_KEY: 'short' })).toThrow(ConfigError);
    expect(() => loadConfig({ NODE_ENV: 'production', OPERATOR_API_KEY: DEV_OPERATOR_KEY })).toThrow(/development key/);
    expect(() => loadConfig({ CORS_ORIGINS: '*', RATE_LIMIT_PER_KEY: '0', BODY_LIMIT_KB: 'lots' })).toThrow(/CORS_ORIGINS[\s\S]*BODY_LIMIT_KB[\s\S]*RATE_LIMIT_PER_KEY/);
    const production = loadConfig({ NODE_ENV: 'production', OPERATOR_API_KEY: 'p'.repeat(32) });
    expect(production.autoVerifyFactories).toBe(false);
    expect(production.security).toMatchObject({ rateLimitPerKey: 600, rateLimitAnonymous: 60, rateLimitAuthFailures: 30, bodyLimitKb: 256, corsOrigins: [], corsAllowLocalhost: false });
  });

  it('refuses a suspended organization\'s keys', async () => {
    const brand = await signup(t, { kind: 'brand', name: 'Suspended Brand' });
    expect((await me(brand.key)).status).toBe(200);
    await t.sql('UPDATE organizations SET active = false WHERE id = $1', [brand.id]);
    expect((await me(brand.key)).status).toBe(401);
  });
});
