import { chmod, mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import IORedis from 'ioredis';
import { Client } from 'pg';
import { inject } from 'vitest';
import { QueueName } from '@cloudloom/contracts';
import { type EmbeddedDatabase, QueueBackend, startEmbeddedPostgres } from '@cloudloom/platform';
import { expectAllSettled, FAST_RECOVERY, hasRedisServer, linenOrders, millMarket, type PrivateRedis, startPrivateRedis } from '../support/faults';
import { OPERATOR_KEY, startTestApp, type TestApp } from '../support/harness';
import { postOrders, waitingOrders } from '../support/ledger';
import { startApi, startWorker, type WorkerProcess } from '../support/processes';

/**
 * Faults longer than the retries, on servers the tests own (never the shared PostgreSQL or
 * Redis): every accepted order still settles, nothing is stranded or doubled, the audit is clean.
 * The API runs in the test's process or its own; the worker always in its own process.
 */
const WORKER_ENV = { LOG_LEVEL: 'warn', WORKER_CONCURRENCY: '4' };
const withRedis = Boolean(inject('redisUrl')) && hasRedisServer();

/** The fault itself lasts this long: waiting out an outage is what the test is about. */
const outage = (ms: number): Promise<void> => new Promise((done) => setTimeout(done, ms));

/** An in-process API on a private redis-server, worker processes beside it; all removed afterwards. */
function onPrivateRedis(): { readonly t: TestApp; readonly redis: PrivateRedis; readonly workers: WorkerProcess[] } {
  const ctx = { workers: [] as WorkerProcess[] } as { t: TestApp; redis: PrivateRedis; workers: WorkerProcess[] };
  beforeAll(async () => {
    ctx.redis = await startPrivateRedis();
    ctx.t = await startTestApp({ ...FAST_RECOVERY, RUN_WORKER: 'false', REDIS_URL: ctx.redis.url });
  });
  afterAll(async () => {
    ctx.redis?.resume();
    await Promise.all(ctx.workers.map((w) => w.stop()));
    await ctx.t?.close().catch(() => undefined);
    await ctx.redis?.remove();
  });
  return ctx;
}

describe('PostgreSQL down for longer than the queue retries a job (22 s)', () => {
  let pg: EmbeddedDatabase;
  let dir: string;
  let t: TestApp;
  const workers: WorkerProcess[] = [];
  beforeAll(async () => {
    dir = await mkdtemp(join(tmpdir(), 'cloudloom-pg-outage-'));
    await chmod(dir, 0o755);
    // Its own cluster on a free port, persistent so it can come back with its data.
    pg = await startEmbeddedPostgres({ dataDir: join(dir, 'pg'), persistent: true, preferredPort: 0, database: 'cloudloom_admin' });
    t = await startTestApp({ ...FAST_RECOVERY, RUN_WORKER: 'false' }, { adminUrl: pg.url });
  });
  afterAll(async () => {
    await Promise.all(workers.map((w) => w.stop()));
    await t?.close().catch(() => undefined);
    await pg?.stop().catch(() => undefined);
    await rm(dir, { recursive: true, force: true });
  });

  it('settles every accepted order once it is back: jobs that used up their attempts do not hold their ids', async () => {
    const key = await millMarket(t, 6);
    // Queued before any worker runs, so the outage finds jobs waiting and jobs in flight.
    const accepted = await postOrders(t, key, linenOrders(300, 31));
    const worker = startWorker({ ...t.env, ...WORKER_ENV });
    workers.push(worker);
    await expect.poll(async () => accepted.length - (await waitingOrders(t)), { timeout: 60_000, interval: 20 }).toBeGreaterThan(5);
    const atStop = await waitingOrders(t);
    await pg.stop();
    await outage(22_000);
    await pg.start();
    await expect.poll(async () => (await t.request('GET', '/health/ready')).status, { timeout: 30_000, interval: 200 }).toBe(200);
    await expect.poll(() => waitingOrders(t), { timeout: 90_000, interval: 250 }).toBe(0);
    const failedForGood = worker.output().split('\n').filter((l) => l.includes('job failed for good')).length;
    expect(atStop).toBeGreaterThan(0);
    // On Redis (CI) the outage outlasts the retries: jobs fail for good, and their orders settle
    // anyway. BullMQ on PostgreSQL (npm test's default) goes down with the database: its jobs wait.
    if (t.env.REDIS_URL) expect(failedForGood).toBeGreaterThan(0);
    await expectAllSettled('PostgreSQL down 22 s', t, accepted, ` (${atStop} waiting when it stopped, ${failedForGood} jobs failed for good)`);
  }, 180_000);
});

describe.runIf(withRedis)('Redis down for 30 s under load (down, not flushed)', () => {
  const ctx = onPrivateRedis();

  it('keeps accepting orders (202) while Redis is down, and settles every one after it returns', async () => {
    const { t, redis, workers } = ctx;
    const key = await millMarket(t, 6);
    workers.push(startWorker({ ...t.env, ...WORKER_ENV }));
    const accepted: string[] = [];
    let refused = 0;
    let posting = true;
    const bodies = linenOrders(2000, 41);
    let next = 0;
    // Four clients posting one order after another for the whole run.
    const lane = async (): Promise<void> => {
      while (posting && next < bodies.length) {
        const res = await t.request<{ id: string }>('POST', '/orders', { key, body: bodies[next++] });
        if (res.status === 202) accepted.push(res.body.id);
        else refused++;
      }
    };
    const lanes = Promise.all(Array.from({ length: 4 }, lane));
    await expect.poll(() => accepted.length, { timeout: 30_000, interval: 50 }).toBeGreaterThan(40);
    await redis.shutdown();
    const acceptedBefore = accepted.length;
    const started = Date.now();
    await expect.poll(async () => (await t.request('GET', '/health/ready')).status, { timeout: 10_000, interval: 200 }).toBe(503);
    await outage(30_000 - (Date.now() - started));
    const acceptedDuring = accepted.length - acceptedBefore;
    await redis.start();
    posting = false;
    await lanes;
    await expect.poll(async () => (await t.request('GET', '/health/ready')).status, { timeout: 30_000, interval: 200 }).toBe(200);
    await expect.poll(() => waitingOrders(t), { timeout: 90_000, interval: 250 }).toBe(0);
    expect(refused).toBe(0);
    expect(acceptedDuring).toBeGreaterThan(0);
    await expectAllSettled('Redis down 30 s', t, accepted, ` (${acceptedDuring} accepted while it was down, ${refused} refused)`);
  }, 200_000);
});

describe.runIf(withRedis)('a poisoned sweep', () => {
  const ctx = onPrivateRedis();

  it('still re-queues stuck orders while one step fails on every sweep; the failure is logged with its id and counted', async () => {
    const { t, redis, workers } = ctx;
    const key = await millMarket(t, 3);
    const first = startWorker({ ...t.env, ...WORKER_ENV });
    const planned = await postOrders(t, key, linenOrders(3, 51));
    await expect.poll(() => waitingOrders(t), { timeout: 30_000, interval: 50 }).toBe(0);
    await first.stop();
    // One offer of each of three orders.
    const offers = await t.sql<{ id: string; orderId: string }>(`SELECT DISTINCT ON (order_id) id, order_id AS "orderId" FROM allocations WHERE status = 'offered' ORDER BY order_id, id`);
    expect(offers.length).toBeGreaterThanOrEqual(3);
    const [expiredOrder, poisonedOffer, ordinary] = [offers[0]!, offers[1]!, offers[2]!];
    // 1. The case as it was seen: an order expired while one of its offers was still open.
    await t.sql(`UPDATE orders SET status = 'expired' WHERE id = $1`, [expiredOrder.orderId]);
    // Every offer's time is up.
    await t.sql(`UPDATE allocations SET expires_at = now() - interval '1 minute' WHERE status = 'offered'`);
    // 2. An offer whose expiry fails every time, whatever else happens: the database refuses to
    //    change it (a trigger of the test's own), so its expiry rolls back on every sweep.
    await t.sql(`CREATE FUNCTION poison() RETURNS trigger LANGUAGE plpgsql AS $$ BEGIN RAISE EXCEPTION 'poisoned offer'; END $$`);
    await t.sql(`CREATE TRIGGER poisoned BEFORE UPDATE ON allocations FOR EACH ROW WHEN (OLD.id = '${poisonedOffer.id}') EXECUTE FUNCTION poison()`);
    // 3. Orders committed whose jobs the queue lost.
    const stuck = await postOrders(t, key, linenOrders(20, 52));
    const queues = new QueueBackend({ redisUrl: redis.url, databaseUrl: t.databaseUrl, prefix: t.env.QUEUE_PREFIX! });
    await queues.queue(QueueName.Matching).obliterate({ force: true });
    await queues.close();

    const worker = startWorker({ ...t.env, ...WORKER_ENV });
    workers.push(worker);
    await expect.poll(() => waitingOrders(t), { timeout: 30_000, interval: 100 }).toBe(0);
    const status = async (id: string): Promise<string> => (await t.sql<{ status: string }>(`SELECT status FROM allocations WHERE id = $1`, [id]))[0]!.status;
    await expect.poll(() => status(ordinary.id), { timeout: 15_000, interval: 100 }).toBe('expired');
    expect(await status(expiredOrder.id)).toBe('expired');
    expect((await t.sql<{ status: string }>(`SELECT status FROM orders WHERE id = $1`, [expiredOrder.orderId]))[0]!.status).toBe('expired');
    expect(await status(poisonedOffer.id)).toBe('offered');
    await expect.poll(() => worker.output().includes(poisonedOffer.id), { timeout: 15_000, interval: 100 }).toBe(true);
    const logLine = worker.output().split('\n').find((l) => l.includes(poisonedOffer.id))!;
    expect(logLine).toContain('sweep step failed');
    expect(logLine).toContain('"step":"expire-offers"');
    const metrics = await (await fetch(`${t.baseUrl}/metrics`, { headers: { authorization: `Bearer ${OPERATOR_KEY}` } })).text();
    const failures = Number(/cloudloom_sweep_step_failures_total\{step="expire-offers"\} (\d+)/.exec(metrics)?.[1] ?? 0);
    expect(failures).toBeGreaterThan(0);

    // Repaired, the poisoned offer expires on the next sweep like any other.
    await t.sql(`DROP TRIGGER poisoned ON allocations`);
    await expect.poll(() => status(poisonedOffer.id), { timeout: 15_000, interval: 100 }).toBe('expired');
    await expect.poll(() => waitingOrders(t), { timeout: 30_000, interval: 100 }).toBe(0);
    await expectAllSettled('poisoned sweep', t, [...planned, ...stuck], ` (${stuck.length} orders with lost jobs re-queued while the sweep failed ${failures} time(s) on offer ${poisonedOffer.id.slice(0, 8)})`);
  }, 120_000);
});

describe('a worker killed (SIGKILL) inside the settle statement', () => {
  let t: TestApp;
  const workers: WorkerProcess[] = [];
  beforeAll(async () => {
    t = await startTestApp({ ...FAST_RECOVERY, RUN_WORKER: 'false' });
  });
  afterAll(async () => {
    await Promise.all(workers.map((w) => w.stop()));
    await t?.close();
  });

  it('leaves nothing settled by halves: the statement rolls back, another worker settles each order once', async () => {
    const key = await millMarket(t, 4);
    // The test holds every ledger cell: the worker's settle statement waits for them, inside it.
    const holder = new Client({ connectionString: t.databaseUrl });
    await holder.connect();
    await holder.query('BEGIN');
    await holder.query('SELECT 1 FROM capacity_days FOR UPDATE');
    const killed = startWorker({ ...t.env, ...WORKER_ENV });
    // Stopped by afterAll too, should the test fail before it kills it.
    workers.push(killed);
    const accepted = await postOrders(t, key, linenOrders(60, 61));
    // The settling statement, known by its start: pg_stat_activity keeps only a statement's first kilobyte.
    const waitingInSettle = async (): Promise<number> =>
      (await t.sql<{ n: number }>(`SELECT count(*)::int AS n FROM pg_stat_activity WHERE datname = current_database() AND wait_event_type = 'Lock' AND query LIKE 'WITH cell AS%' AND pid <> $1`, [(holder as unknown as { processID: number }).processID]))[0]!.n;
    await expect.poll(waitingInSettle, { timeout: 30_000, interval: 50 }).toBeGreaterThan(0);
    await killed.kill();
    expect(killed.child.signalCode).toBe('SIGKILL');
    await holder.query('ROLLBACK');
    await holder.end();
    const [{ n: allocationsBefore }] = (await t.sql<{ n: number }>(`SELECT count(*)::int AS n FROM allocations`)) as [{ n: number }];
    expect(allocationsBefore).toBe(0);
    workers.push(startWorker({ ...t.env, ...WORKER_ENV }));
    await expect.poll(() => waitingOrders(t), { timeout: 60_000, interval: 250 }).toBe(0);
    await expectAllSettled('worker SIGKILL inside the settle statement', t, accepted, ` (nothing committed by the killed worker: ${allocationsBefore} allocations)`);
  }, 120_000);
});

describe.runIf(withRedis)('an API killed (SIGKILL) between its commit and its enqueue', () => {
  const ctx = onPrivateRedis();

  it('loses none of the orders it committed and never answered, and doubles none', async () => {
    const { t, redis, workers } = ctx;
    const key = await millMarket(t, 4);
    const api = await startApi({ ...t.env, LOG_LEVEL: 'warn', ENQUEUE_TIMEOUT_MS: '60000' });
    workers.push(startWorker({ ...t.env, ...WORKER_ENV }));
    const body = linenOrders(30, 71);
    // Redis frozen: each order commits, then its enqueue waits; the API dies right there.
    redis.freeze();
    const posts = body.map((b) =>
      fetch(`${api.baseUrl}/orders`, { method: 'POST', headers: { 'content-type': 'application/json', authorization: `Bearer ${key}` }, body: JSON.stringify(b) }).then(
        (r) => r.status,
        () => 'no answer' as const,
      ),
    );
    await expect.poll(async () => (await t.sql<{ n: number }>(`SELECT count(*)::int AS n FROM orders`))[0]!.n, { timeout: 30_000, interval: 20 }).toBe(body.length);
    await api.kill();
    const answers = await Promise.all(posts);
    redis.resume();
    expect(answers.every((a) => a === 'no answer')).toBe(true);
    const committed = (await t.sql<{ id: string }>(`SELECT id FROM orders`)).map((r) => r.id);
    await expect.poll(() => waitingOrders(t), { timeout: 60_000, interval: 250 }).toBe(0);
    // Matched once each: the audit counts any order whose live allocations are not exactly its quantity.
    await expectAllSettled('API SIGKILL between commit and enqueue', t, committed, ` (${answers.length} posts, none answered)`);
  }, 120_000);
});

describe.runIf(withRedis)('a Redis that evicts keys', () => {
  const ctx = onPrivateRedis();

  it('is not ready, and says why, until it stops evicting', async () => {
    const { t, redis } = ctx;
    const admin = new IORedis(redis.url);
    try {
      await admin.config('SET', 'maxmemory-policy', 'allkeys-lru');
      const ready = async (): Promise<{ status: number; body: { checks: Record<string, { status: string; error?: string }> } }> => t.request('GET', '/health/ready');
      await expect.poll(async () => (await ready()).status, { timeout: 10_000, interval: 100 }).toBe(503);
      expect((await ready()).body.checks['queue:redis']).toEqual({ status: 'down', error: 'Redis evicts keys (maxmemory-policy allkeys-lru); BullMQ needs noeviction' });
      await admin.config('SET', 'maxmemory-policy', 'noeviction');
      await expect.poll(async () => (await ready()).status, { timeout: 10_000, interval: 100 }).toBe(200);
    } finally {
      admin.disconnect();
    }
  });
});
