import { createHmac, randomBytes } from 'node:crypto';
import { gzipSync } from 'node:zlib';
import { Client } from 'pg';
import { inDays, OPERATOR_KEY, startTestApp, type TestApp } from '../support/harness';
import { addLine, orderSettled, signup } from '../support/market';
import { openStream } from '../support/sse';
import { loadOpenApi } from './support/openapi';

/** Issue 22, findings 8 (low) and 9 (info): each a defence that held too little, and what holds now. */

const fabric = (fiber: string, quantity = 400) => ({ kind: 'fabric', fabric: { fiber, weave: 'plain', widthCm: 150, picksPerCm: 25 }, quantity, dueDate: inDays(14) });
const loom = (machineType: string, fiber: string) => ({ kind: 'weaving', name: `${fiber} hall`, machineType, machines: 10, rpm: 500, maxWidthCm: 190, ratePerUnit: 0.02, fibers: [fiber] });

describe('failed authentications are counted before the lookup', () => {
  let t: TestApp;
  beforeAll(async () => {
    // The budget must not renew in the middle of a burst, or a second 30 guesses reach a lookup:
    // a window of an hour, not the default minute that a slow machine can run past, and counts in
    // this process (a Redis command slower than 300 ms under load falls back to a fresh count in
    // memory, by design; the Redis counters are the same fixed windows, and abuse.e2e.ts counts in Redis).
    t = await startTestApp({ RATE_LIMIT_AUTH_FAILURES: '30', RATE_LIMIT_WINDOW_SECONDS: '3600' }, { backend: 'postgres' });
  });
  afterAll(async () => {
    await t.close();
  });

  it('open event streams of fresh keys do not hold the failure budget: their keys are refunded once accepted', async () => {
    const brands = [];
    for (let i = 0; i < 7; i++) brands.push(await signup(t, { kind: 'brand', name: `Streaming Brand ${i}` }));
    // 35 streams, more than the budget of 30, each the first use of its key.
    const streams = brands.flatMap((b) => Array.from({ length: 5 }, () => openStream(`${t.baseUrl}/events`, { authorization: `Bearer ${b.key}` })));
    try {
      expect(await Promise.all(streams.map((s) => s.status))).toEqual(streams.map(() => 200));
      expect((await t.request('GET', '/me', { key: brands[0]!.key })).status).toBe(200);
      expect((await t.request('GET', '/me', { key: `clk_${randomBytes(32).toString('base64url')}` })).status).toBe(401);
    } finally {
      for (const s of streams) s.close();
    }
  });

  // 200 requests through one loaded two-core machine can take well over 20 s to be answered: the
  // wait is for a condition, so it is generous rather than tight.
  it('a good key is not charged; of 200 wrong keys sent at once at most the limit reach a lookup (401), the rest are 429', { timeout: 120_000 }, async () => {
    const brand = await signup(t, { kind: 'brand', name: 'Honest Brand' });
    // More good requests than the failure budget: a key that proves good is refunded.
    for (let i = 0; i < 40; i++) expect((await t.request('GET', '/me', { key: brand.key })).status).toBe(200);
    // Key lookups wait behind a lock while the guesses arrive: only what is refused before its
    // lookup can answer now. Counting after the answer, none would be refused until it lifts.
    const blocker = new Client({ connectionString: t.databaseUrl });
    await blocker.connect();
    let statuses: number[] = [];
    try {
      await blocker.query('BEGIN');
      await blocker.query('LOCK TABLE api_keys IN ACCESS EXCLUSIVE MODE');
      const early: number[] = [];
      const pending = Array.from({ length: 200 }, () =>
        t.request('GET', '/me', { key: `clk_${randomBytes(32).toString('base64url')}` }).then((a) => {
          early.push(a.status);
          return a.status;
        }),
      );
      await expect.poll(() => early.filter((s) => s === 429).length, { timeout: 90_000, interval: 100 }).toBeGreaterThanOrEqual(170);
      expect(early.filter((s) => s === 401)).toEqual([]);
      await blocker.query('COMMIT');
      statuses = await Promise.all(pending);
    } finally {
      await blocker.end();
    }
    const unauthorized = statuses.filter((s) => s === 401).length;
    console.log(`200 concurrent wrong keys, failure limit 30: ${unauthorized} × 401, ${statuses.filter((s) => s === 429).length} × 429`);
    expect(unauthorized).toBeGreaterThan(0);
    expect(unauthorized).toBeLessThanOrEqual(30);
    expect(statuses.filter((s) => s !== 401 && s !== 429)).toEqual([]);
  });
});

describe('hardening (issue 22: findings 8 and 9)', () => {
  let t: TestApp;
  beforeAll(async () => {
    t = await startTestApp();
  });
  afterAll(async () => {
    await t.close();
  });

  // First in this app: it needs the matcher, and nothing of the other tests in its way.
  it('GET /counterparties pages each list by id with limit and cursor, and refuses a limit over 500 or a made-up cursor', async () => {
    const brand = await signup(t, { kind: 'brand', name: 'Paging Brand' });
    const looms = [['air_jet', 'cotton'], ['air_jet', 'viscose'], ['water_jet', 'nylon']] as const;
    const fibers = looms.map(([, fiber]) => fiber);
    const factories = [];
    for (const [machineType, fiber] of looms) {
      const factory = await signup(t, { kind: 'factory', name: `${fiber} mill` });
      const line = await addLine(t, factory.key, loom(machineType, fiber));
      factories.push({ id: factory.id, lineId: line.id });
    }
    for (const fiber of fibers) {
      const res = await t.request<{ id: string }>('POST', '/orders', { key: brand.key, body: fabric(fiber) });
      const settled = await orderSettled(t, brand.key, res.body.id);
      expect(settled.status, `${fiber}: ${JSON.stringify(settled.explanation)}`).toBe('proposed');
    }
    const seen = { factories: [] as string[], lines: [] as string[] };
    let cursor: string | undefined;
    let pages = 0;
    do {
      const page = await t.request<{ factories: { id: string }[]; lines: { id: string }[]; nextCursor?: string }>('GET', `/counterparties?limit=1${cursor ? `&cursor=${cursor}` : ''}`, { key: brand.key });
      expect(page.status).toBe(200);
      expect(page.body.factories.length).toBeLessThanOrEqual(1);
      expect(page.body.lines.length).toBeLessThanOrEqual(1);
      seen.factories.push(...page.body.factories.map((f) => f.id));
      seen.lines.push(...page.body.lines.map((l) => l.id));
      cursor = page.body.nextCursor;
    } while (cursor !== undefined && ++pages < 10);
    expect(seen.factories).toEqual(factories.map((f) => f.id).sort());
    expect(seen.lines).toEqual(factories.map((f) => f.lineId).sort());
    const whole = await t.request<{ factories: unknown[]; nextCursor?: string }>('GET', '/counterparties', { key: brand.key });
    expect(whole.body.factories).toHaveLength(3);
    expect(whole.body.nextCursor).toBeUndefined();
    for (const query of ['limit=501', 'cursor=bm90LWEtY3Vyc29y']) {
      const bad = await t.request<{ errors: { field: string }[] }>('GET', `/counterparties?${query}`, { key: brand.key });
      expect(bad.status).toBe(400);
      expect(bad.body.errors.map((e) => e.field)).toEqual([query.split('=')[0]]);
    }
  });

  it('Idempotency-Key: the same body in another key order is the same request; a batch retried in part or in full with more is refused (422)', async () => {
    const brand = await signup(t, { kind: 'brand', name: 'Retrying Brand' });
    const body = fabric('polyester');
    const key = `k-${randomBytes(6).toString('hex')}`;
    const first = await t.request<{ id: string }>('POST', '/orders', { key: brand.key, body, headers: { 'idempotency-key': key } });
    expect(first.status).toBe(202);
    // The same order with every object's keys in reverse order.
    const reversed = (v: unknown): unknown =>
      v !== null && typeof v === 'object' && !Array.isArray(v) ? Object.fromEntries(Object.entries(v).reverse().map(([k, x]) => [k, reversed(x)])) : v;
    const text = JSON.stringify(reversed(body));
    expect(text).not.toBe(JSON.stringify(body));
    const retry = await t.request<{ id: string }>('POST', '/orders', { key: brand.key, body: text, headers: { 'idempotency-key': key } });
    expect(retry.status).toBe(202);
    expect(retry.body.id).toBe(first.body.id);

    const batch = { orders: [fabric('polyester', 300), fabric('polyester', 310), fabric('polyester', 320)] };
    const batchKey = `b-${randomBytes(6).toString('hex')}`;
    const posted = await t.request<{ items: { id: string }[] }>('POST', '/orders/batch', { key: brand.key, body: batch, headers: { 'idempotency-key': batchKey } });
    expect(posted.status).toBe(202);
    const again = await t.request<{ items: { id: string }[] }>('POST', '/orders/batch', { key: brand.key, body: batch, headers: { 'idempotency-key': batchKey } });
    expect(again.body.items.map((o) => o.id)).toEqual(posted.body.items.map((o) => o.id));
    for (const orders of [batch.orders.slice(0, 2), [...batch.orders, fabric('polyester', 330)]]) {
      const part = await t.request<{ errors: { field: string }[] }>('POST', '/orders/batch', { key: brand.key, body: { orders }, headers: { 'idempotency-key': batchKey } });
      expect(part.status).toBe(422);
      expect(part.body.errors.map((e) => e.field)).toEqual(['Idempotency-Key']);
    }
    const counted = await t.sql<{ count: number }>(`SELECT count(*)::int AS count FROM orders WHERE brand_id = $1`, [brand.id]);
    expect(counted[0]?.count).toBe(4);
  });

  it('the queue-board cookie is new at every sign-in, says when it expires, and is refused once expired', async () => {
    const root = t.baseUrl.replace(/\/api\/v1$/, '');
    const signIn = async (): Promise<string> => {
      const res = await fetch(`${root}/admin/session`, { method: 'POST', headers: { authorization: `Bearer ${OPERATOR_KEY}` } });
      expect(res.status).toBe(204);
      const header = res.headers.get('set-cookie') ?? '';
      expect(header).toMatch(/Max-Age=\d+/);
      return /^cl_board=([^;]+)/.exec(header)![1]!;
    };
    const [one, two] = [await signIn(), await signIn()];
    expect(one).not.toBe(two);
    const board = async (value: string): Promise<number> => (await fetch(`${root}/admin/queues/api/queues`, { headers: { cookie: `cl_board=${value}` } })).status;
    expect(await board(one)).toBe(200);
    // Made with the operator key as the server makes them: one that lapsed is refused.
    const made = (expires: number): string => {
      const nonce = randomBytes(16).toString('hex');
      return `${expires}.${nonce}.${createHmac('sha256', OPERATOR_KEY).update(`cloudloom queue board|${expires}|${nonce}`).digest('hex')}`;
    };
    const now = Math.floor(Date.now() / 1000);
    expect(await board(made(now + 60))).toBe(200);
    expect(await board(made(now - 1))).toBe(401);
  });

  it('/health/ready answers a flood from one cached run of its checks', async () => {
    const answers = await Promise.all(Array.from({ length: 100 }, () => t.request<{ status: string; checkedAt: string }>('GET', '/health/ready')));
    expect(answers.map((a) => a.status).filter((s) => s !== 200)).toEqual([]);
    const runs = new Set(answers.map((a) => a.body.checkedAt));
    console.log(`100 concurrent /health/ready: ${runs.size} run(s) of the checks`);
    expect([...runs].every((at) => typeof at === 'string' && !Number.isNaN(Date.parse(at)))).toBe(true);
    // A second apart at most: the flood spans a few seconds at worst on a loaded machine.
    const times = [...runs].map((at) => Date.parse(at)).sort((a, b) => a - b);
    expect(runs.size).toBeLessThanOrEqual(Math.ceil((times[times.length - 1]! - times[0]!) / 1000) + 1);
    expect(runs.size).toBeLessThan(20);
  });

  it('the anonymous OpenAPI document names no audience; the operator gets the whole one', async () => {
    const full = await loadOpenApi(t.baseUrl);
    const brand = await signup(t, { kind: 'brand', name: 'Curious Brand' });
    const ops = (doc: typeof full) => Object.values(doc.paths).flatMap((item) => Object.values(item) as { 'x-roles'?: string[]; 'x-public'?: boolean; tags?: string[] }[]);
    expect(ops(full).filter((op) => !op['x-public']).every((op) => Array.isArray(op['x-roles']) && op['x-roles'].length > 0)).toBe(true);
    for (const key of [null, brand.key]) {
      const doc = await loadOpenApi(t.baseUrl, key);
      expect(Object.keys(doc.paths).sort()).toEqual(Object.keys(full.paths).sort());
      expect(JSON.stringify(doc)).not.toContain('x-roles');
      expect(ops(doc).flatMap((op) => op.tags ?? []).filter((tag) => ['brand', 'factory', 'operator'].includes(tag))).toEqual([]);
    }
  });

  it('the console is served without its source map', async () => {
    const root = t.baseUrl.replace(/\/api\/v1$/, '');
    const page = await (await fetch(`${root}/`)).text();
    const script = /<script[^>]+src="([^"]+\.js)"/.exec(page)?.[1];
    expect(script, 'the console is built (npm run build)').toBeDefined();
    const js = await (await fetch(`${root}${script!}`)).text();
    expect(js).not.toContain('sourceMappingURL');
    expect((await fetch(`${root}${script!}.map`)).status).toBe(404);
  });

  it('a body that its Content-Encoding cannot decode is a plain 400 problem, without zlib’s words', async () => {
    const bodies: [string, Buffer][] = [
      ['gzip', Buffer.from('not gzip at all')],
      ['gzip', gzipSync(JSON.stringify({ kind: 'brand', name: 'Cut short' })).subarray(0, 20)],
      ['deflate', Buffer.from('xx')],
    ];
    for (const [encoding, body] of bodies) {
      const res = await fetch(`${t.baseUrl}/signup`, { method: 'POST', headers: { 'content-type': 'application/json', 'content-encoding': encoding }, body });
      expect(res.status).toBe(400);
      expect(res.headers.get('content-type')).toMatch(/^application\/problem\+json/);
      const problem = (await res.json()) as { detail: string };
      expect(problem.detail).toBe('The request body could not be decompressed: it is not valid for its Content-Encoding');
    }
  });

  it('names refuse right-to-left overrides, bidirectional isolates and zero-width characters, naming the field', async () => {
    const factory = await signup(t, { kind: 'factory', name: 'Plain Mill' });
    for (const sneaky of ['Mill \u202eA', 'Mi\u200bll', 'Mill\u2066A\u2069', '\ufeffMill', 'Mill\u200dA']) {
      const res = await t.request<{ errors: { field: string }[] }>('POST', '/signup', { body: { kind: 'brand', name: sneaky } });
      expect(res.status, JSON.stringify(sneaky)).toBe(400);
      expect(res.body.errors.map((e) => e.field)).toEqual(['name']);
      const renamed = await t.request<{ errors: { field: string }[] }>('PATCH', '/me', { key: factory.key, body: { name: sneaky } });
      expect(renamed.status).toBe(400);
      expect(renamed.body.errors.map((e) => e.field)).toEqual(['name']);
    }
    // Names in any script still pass.
    expect((await t.request('POST', '/signup', { body: { kind: 'brand', name: '绍兴织造 · Ткани · نسيج' } })).status).toBe(201);
  });
});
