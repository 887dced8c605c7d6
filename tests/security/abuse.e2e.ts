import { inject } from 'vitest';
import { corsAllows, loadConfig } from '@cloudloom/platform';
import { inDays, startTestApp, type TestApp } from '../support/harness';
import { signup } from '../support/market';
import { send } from './support/http';
import { rowCounts } from './support/tables';

const CONSOLE_ORIGIN = 'https://console.cloudloom.test';

describe('abuse: rate limits, body size, content types, headers, CORS, errors', () => {
  describe('per key and per address', () => {
    let t: TestApp;
    beforeAll(async () => {
      t = await startTestApp({ RATE_LIMIT_PER_KEY: '5', RATE_LIMIT_ANONYMOUS: '1000', RATE_LIMIT_AUTH_FAILURES: '1000', RATE_LIMIT_WINDOW_SECONDS: '60' });
    });
    afterAll(async () => {
      if (t) await t.close();
    });

    it('answers 429 with Retry-After once a key has used its window, and only for that key', async () => {
      const brand = await signup(t, { kind: 'brand', name: 'Busy Brand' });
      const other = await signup(t, { kind: 'brand', name: 'Quiet Brand' });
      const spare = await t.request<{ apiKey: string }>('POST', '/me/keys', { key: brand.key, body: { label: 'second' } }); // 1 of 5
      const remaining: string[] = [];
      for (let i = 0; i < 4; i++) {
        const res = await t.request('GET', '/me', { key: brand.key });
        expect(res.status).toBe(200);
        remaining.push(res.headers.get('ratelimit-remaining')!);
      }
      expect(remaining).toEqual(['3', '2', '1', '0']);
      const limited = await t.request<{ status: number; code: string; detail: string }>('GET', '/me', { key: brand.key });
      expect(limited.status).toBe(429);
      expect(limited.headers.get('content-type')).toContain('application/problem+json');
      expect(limited.body).toMatchObject({ status: 429, code: 'RATE_LIMITED' });
      const retryAfter = Number(limited.headers.get('retry-after'));
      expect(retryAfter).toBeGreaterThan(0);
      expect(retryAfter).toBeLessThanOrEqual(60);
      // Another organization, and the same organization's other key, have their own budgets.
      expect((await t.request('GET', '/me', { key: other.key })).status).toBe(200);
      expect((await t.request('GET', '/me', { key: spare.body.apiKey })).status).toBe(200);
      // Health probes are never limited.
      for (let i = 0; i < 10; i++) expect((await t.request('GET', '/health')).status).toBe(200);
    });

    it('refuses a body over the limit with 413 and writes nothing', async () => {
      const small = await startTestApp({ BODY_LIMIT_KB: '2' });
      try {
        const brand = await signup(small, { kind: 'brand', name: 'Big Body Brand' });
        const before = await rowCounts(small);
        const order = { kind: 'fabric', fabric: { fiber: 'cotton', weave: 'twill', widthCm: 150, picksPerCm: 30 }, quantity: 100, dueDate: inDays(20) };
        const res = await small.request<{ status: number }>('POST', '/orders', { key: brand.key, body: { ...order, certifications: Array(300).fill('OEKO-TEX') } });
        expect(res.status).toBe(413);
        expect(res.headers.get('content-type')).toContain('application/problem+json');
        expect(res.body.status).toBe(413);
        expect(await rowCounts(small)).toEqual(before);
        // Just under the limit is read and judged on its merits.
        expect((await small.request('POST', '/orders', { key: brand.key, body: order })).status).toBe(202);
      } finally {
        await small.close();
      }
    });
  });

  describe('anonymous callers and failed authentication', () => {
    let t: TestApp;
    beforeAll(async () => {
      t = await startTestApp({ RATE_LIMIT_ANONYMOUS: '3', RATE_LIMIT_AUTH_FAILURES: '2' });
    });
    afterAll(async () => {
      if (t) await t.close();
    });

    it('limits signups per address, then refuses an address that keeps presenting bad keys', async () => {
      const statuses: number[] = [];
      const made: string[] = [];
      for (let i = 0; i < 4; i++) {
        const res = await t.request<{ apiKey: string }>('POST', '/signup', { body: { kind: 'brand', name: `Signup ${i}` } });
        statuses.push(res.status);
        if (res.status === 201) made.push(res.body.apiKey);
      }
      expect(statuses).toEqual([201, 201, 201, 429]);

      expect((await t.request('GET', '/me', { key: 'clk_guessing_000000000000' })).status).toBe(401);
      expect((await t.request('GET', '/me', { key: 'clk_guessing_000000000001' })).status).toBe(401);
      const blocked = await t.request('GET', '/me', { key: 'clk_guessing_000000000002' });
      expect(blocked.status).toBe(429);
      expect(Number(blocked.headers.get('retry-after'))).toBeGreaterThan(0);
      // The address is refused before any key is looked up, a valid one included.
      expect((await t.request('GET', '/me', { key: made[0]! })).status).toBe(429);
      // Without a trusted proxy in front, a made-up X-Forwarded-For buys nothing.
      const spoofed = await t.request('POST', '/signup', { body: { kind: 'brand', name: 'Spoofer' }, headers: { 'x-forwarded-for': '198.51.100.7' } });
      expect(spoofed.status).toBe(429);
    });

    it('shares the counts between API processes when they share Redis', async () => {
      // Two API processes of one deployment: same Redis, same prefix. Without Redis each counts alone.
      const env = { RATE_LIMIT_ANONYMOUS: '2', QUEUE_PREFIX: `t_shared_${Date.now().toString(36)}` };
      const one = await startTestApp(env);
      const two = await startTestApp(env);
      try {
        const signupAt = (app: TestApp, name: string) => app.request('POST', '/signup', { body: { kind: 'brand', name } });
        expect((await signupAt(one, 'First')).status).toBe(201);
        expect((await signupAt(two, 'Second')).status).toBe(201);
        expect((await signupAt(one, 'Third')).status).toBe(inject('redisUrl') ? 429 : 201);
      } finally {
        await one.close();
        await two.close();
      }
    });

    it('counts each client address behind a trusted proxy separately', async () => {
      const proxied = await startTestApp({ RATE_LIMIT_ANONYMOUS: '1', TRUST_PROXY_HOPS: '1' });
      try {
        const from = (address: string) => proxied.request('POST', '/signup', { body: { kind: 'brand', name: `From ${address}` }, headers: { 'x-forwarded-for': address } });
        expect((await from('203.0.113.1')).status).toBe(201);
        expect((await from('203.0.113.1')).status).toBe(429);
        expect((await from('203.0.113.2')).status).toBe(201);
      } finally {
        await proxied.close();
      }
    });
  });

  describe('headers, content types and errors', () => {
    let t: TestApp;
    beforeAll(async () => {
      // The deliberate 500 below prints one (expected) error log line with its request id.
      t = await startTestApp({ CORS_ORIGINS: CONSOLE_ORIGIN });
    });
    afterAll(async () => {
      if (t) await t.close();
    });

    it('sends security headers and no X-Powered-By', async () => {
      const res = await t.request('GET', '/health');
      expect(res.headers.get('x-content-type-options')).toBe('nosniff');
      expect(res.headers.get('strict-transport-security')).toMatch(/max-age=\d+/);
      expect(res.headers.get('content-security-policy')).toContain("default-src 'self'");
      // Plain http on a LAN address must keep working for the console: no forced upgrade.
      expect(res.headers.get('content-security-policy')).not.toContain('upgrade-insecure-requests');
      expect(res.headers.get('x-frame-options')).toBe('SAMEORIGIN');
      expect(res.headers.get('x-powered-by')).toBeNull();
    });

    it('allows the configured browser origin, and no other', async () => {
      const preflight = (origin: string) =>
        send({ method: 'OPTIONS', url: `${t.baseUrl}/orders`, headers: { origin, 'access-control-request-method': 'POST', 'access-control-request-headers': 'authorization,content-type,idempotency-key' } });
      const allowed = await preflight(CONSOLE_ORIGIN);
      expect(allowed.status).toBe(204);
      expect(allowed.headers.get('access-control-allow-origin')).toBe(CONSOLE_ORIGIN);
      expect(allowed.headers.get('access-control-allow-headers')).toMatch(/authorization/i);
      expect(allowed.headers.get('access-control-allow-credentials')).toBeNull();
      const refused = await preflight('https://evil.example');
      expect(refused.headers.get('access-control-allow-origin')).toBeNull();
      const simple = await send({ method: 'GET', url: `${t.baseUrl}/health`, headers: { origin: CONSOLE_ORIGIN } });
      expect(simple.headers.get('access-control-expose-headers')).toMatch(/retry-after/i);
      // Outside production, a console on localhost works without configuration; in production it does not.
      expect(corsAllows(loadConfig({ NODE_ENV: 'test' }).security, 'http://localhost:5173')).toBe(true);
      const production = loadConfig({ NODE_ENV: 'production', OPERATOR_API_KEY: 'k'.repeat(32), CORS_ORIGINS: CONSOLE_ORIGIN }).security;
      expect(corsAllows(production, 'http://localhost:5173')).toBe(false);
      expect(corsAllows(production, CONSOLE_ORIGIN)).toBe(true);
    });

    it('refuses bodies that are not JSON with 415, and malformed JSON with 400', async () => {
      const brand = await signup(t, { kind: 'brand', name: 'Typed Brand' });
      const auth = { authorization: `Bearer ${brand.key}` };
      const form = await send({ method: 'POST', url: `${t.baseUrl}/orders`, headers: { ...auth, 'content-type': 'application/x-www-form-urlencoded' }, body: 'kind=fabric&quantity=1' });
      expect(form.status).toBe(415);
      expect(form.json).toMatchObject({ status: 415, code: 'UNSUPPORTED_MEDIA_TYPE' });
      const broken = await send({ method: 'POST', url: `${t.baseUrl}/orders`, headers: { ...auth, 'content-type': 'application/json' }, body: '{"kind": "fabric",' });
      expect(broken.status).toBe(400);
      expect(broken.json).toMatchObject({ status: 400, detail: 'The request body is not valid JSON' });
      const array = await send({ method: 'POST', url: `${t.baseUrl}/orders`, headers: auth, body: [{ kind: 'fabric' }] });
      expect(array.status).toBe(400);
      expect(array.json).toMatchObject({ errors: [{ field: 'body', message: 'must be a JSON object' }] });
      const none = await send({ method: 'POST', url: `${t.baseUrl}/orders`, headers: auth });
      expect(none.status).toBe(400);
      expect((none.json as { errors: { field: string }[] }).errors.map((e) => e.field)).toEqual(expect.arrayContaining(['kind', 'quantity', 'dueDate']));
    });

    it('names each bad field, and refuses NUL, broken Unicode and prototype keys before they reach the database', async () => {
      const factory = await signup(t, { kind: 'factory', name: 'Careful Mill' });
      const before = await rowCounts(t);
      const nul = await t.request<{ errors: { field: string; message: string }[] }>('PATCH', '/me', { key: factory.key, body: { name: 'Mill\u0000', city: 'half \ud800' } });
      expect(nul.status).toBe(400);
      expect(nul.body.errors).toEqual([{ field: 'name', message: 'must not contain control characters' }, { field: 'city', message: 'must be well-formed Unicode' }]);
      const proto = await t.request<{ errors: { field: string }[] }>('POST', '/signup', { body: '{"kind":"brand","name":"Proto","__proto__":{"verified":true}}' });
      expect(proto.status).toBe(400);
      const massAssign = await t.request<{ errors: { field: string }[] }>('PATCH', '/me', { key: factory.key, body: { verified: true, active: true } });
      expect(massAssign.status).toBe(400);
      expect(massAssign.body.errors.map((e) => e.field).sort()).toEqual(['active', 'verified']);
      const bounds = await t.request<{ errors: { field: string }[] }>('POST', '/lines', {
        key: factory.key,
        body: { kind: 'weaving', name: 'x'.repeat(121), machineType: 'air_jet', machines: 0, rpm: 1e9, maxWidthCm: 190, ratePerUnit: -1, efficiency: 1.5 },
      });
      expect(bounds.status).toBe(400);
      expect([...new Set(bounds.body.errors.map((e) => e.field))].sort()).toEqual(['efficiency', 'machines', 'name', 'ratePerUnit', 'rpm']);
      expect(await rowCounts(t)).toEqual(before);
    });

    it('stores hostile but valid text verbatim, as data', async () => {
      const name = "Robert'); DROP TABLE orders; -- <script>alert(1)</script> 织机";
      const res = await t.request<{ organization: { id: string; name: string } }>('POST', '/signup', { body: { kind: 'brand', name } });
      expect(res.status).toBe(201);
      expect(res.body.organization.name).toBe(name);
      const [row] = await t.sql<{ name: string }>('SELECT name FROM organizations WHERE id = $1', [res.body.organization.id]);
      expect(row!.name).toBe(name);
      expect((await t.sql('SELECT 1 FROM orders LIMIT 1')).length).toBeGreaterThanOrEqual(0);
    });

    it('tags every answer with a request id, and a 500 carries that id and nothing else', async () => {
      const given = await t.request('GET', '/health', { headers: { 'x-request-id': 'trace-42.a' } });
      expect(given.headers.get('x-request-id')).toBe('trace-42.a');
      const hostile = await t.request('GET', '/health', { headers: { 'x-request-id': "x'; DROP TABLE--" } });
      expect(hostile.headers.get('x-request-id')).toMatch(/^[0-9a-f-]{36}$/);

      const brand = await signup(t, { kind: 'brand', name: 'Unlucky Brand' });
      await t.sql('ALTER TABLE api_keys RENAME TO api_keys_away');
      let broken;
      try {
        broken = await t.request<Record<string, unknown>>('GET', '/me', { key: brand.key });
      } finally {
        await t.sql('ALTER TABLE api_keys_away RENAME TO api_keys');
      }
      expect(broken.status).toBe(500);
      expect(Object.keys(broken.body).sort()).toEqual(['detail', 'instance', 'requestId', 'status', 'title', 'type']);
      expect(broken.body.requestId).toBe(broken.headers.get('x-request-id'));
      expect(JSON.stringify(broken.body)).not.toMatch(/api_keys|relation|SELECT|QueryFailedError|\.ts:\d+|\.js:\d+/);
      expect((await t.request('GET', '/me', { key: brand.key })).status).toBe(200);
    });
  });
});
