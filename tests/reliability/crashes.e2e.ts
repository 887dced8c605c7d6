import { spawn } from 'node:child_process';
import { chmod, mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import IORedis from 'ioredis';
import { Client } from 'pg';
import { inject } from 'vitest';
import { type EmbeddedDatabase, freePort, startEmbeddedPostgres } from '@cloudloom/platform';
import { FAST_RECOVERY, hasRedisServer, linenOrders as orders, millMarket as market } from '../support/faults';
import { startTestApp, type TestApp } from '../support/harness';
import { auditLedger, postOrders, waitingOrders } from '../support/ledger';
import { startWorker, type WorkerProcess } from '../support/processes';

function expectHealthy(report: Awaited<ReturnType<typeof auditLedger>>, total: number): void {
  expect(report.orders).toBe(total);
  expect(Object.keys(report.byStatus).every((s) => s === 'proposed' || s === 'unmatched')).toBe(true);
  expect(report.overReserved).toBe(0);
  expect(report.ledgerMismatches).toBe(0);
  expect(report.allocationMismatches).toBe(0);
  expect(report.wrongTotals).toBe(0);
}

/**
 * A worker leaves mid-run, by crash (SIGKILL: nothing finished, its jobs' locks lapse) or by
 * shutdown (SIGTERM: it finishes or hands back what it holds and exits 0). Either way a new
 * worker finishes the run with nothing stuck and nothing doubled.
 */
describe.each([
  { signal: 'SIGKILL', orders: 600, leave: (w: WorkerProcess) => w.kill(), exitCode: null },
  { signal: 'SIGTERM', orders: 300, leave: (w: WorkerProcess) => w.stop(), exitCode: 0 },
] as const)('a worker leaving with $signal mid-run', ({ signal, orders: count, leave, exitCode }) => {
  let t: TestApp;
  const workers: WorkerProcess[] = [];
  beforeAll(async () => {
    t = await startTestApp({ RUN_WORKER: 'false', ...FAST_RECOVERY });
  });
  afterAll(async () => {
    await Promise.all(workers.map((w) => w.stop()));
    await t.close();
  });

  it('leaves nothing stuck and nothing doubled once a new worker takes over', async () => {
    const key = await market(t, 8);
    const leaving = startWorker({ ...t.env, WORKER_CONCURRENCY: '8' });
    workers.push(leaving);
    const ids = await postOrders(t, key, orders(count, count));
    await expect.poll(async () => ids.length - (await waitingOrders(t)), { timeout: 60_000, interval: 50 }).toBeGreaterThan(10);
    const leftAt = Date.now();
    await leave(leaving);
    const leaveMs = Date.now() - leftAt;
    expect(leaving.child.exitCode).toBe(exitCode);
    const atLeave = await waitingOrders(t);
    expect(atLeave).toBeGreaterThan(0);
    workers.push(startWorker(t.env));
    await expect.poll(() => waitingOrders(t), { timeout: 120_000, interval: 250 }).toBe(0);
    const report = await auditLedger(t);
    console.log(`${signal}: the worker was gone in ${leaveMs} ms with ${atLeave} of ${count} orders waiting; after a new worker finished →`, JSON.stringify(report));
    expectHealthy(report, count);
  }, 200_000);
});


/** Redis tests run when the run has Redis (REDIS_URL, as CI always sets); they flush a private redis-server. */
describe.runIf(Boolean(inject('redisUrl')) && hasRedisServer())('Redis loses everything (FLUSHALL) mid-run', () => {
  let t: TestApp;
  let redisUrl: string;
  let stopRedis: () => void;
  beforeAll(async () => {
    const port = await freePort();
    const redis = spawn('redis-server', ['--port', String(port), '--bind', '127.0.0.1', '--save', '', '--appendonly', 'no'], { stdio: 'ignore' });
    stopRedis = () => redis.kill('SIGTERM');
    redisUrl = `redis://127.0.0.1:${port}`;
    const probe = new IORedis(redisUrl, { lazyConnect: true, retryStrategy: () => 50 });
    await vi.waitFor(async () => expect(await probe.ping()).toBe('PONG'), { timeout: 10_000, interval: 50 });
    probe.disconnect();
    t = await startTestApp({ ...FAST_RECOVERY, REDIS_URL: redisUrl });
  });
  afterAll(async () => {
    await t.close();
    stopRedis();
  });

  it('recovers every waiting order through the sweep; none lost', async () => {
    const key = await market(t, 6);
    const ids = await postOrders(t, key, orders(400, 11));
    const redis = new IORedis(redisUrl);
    await redis.flushall();
    const [queued] = await Promise.all([redis.dbsize(), redis.quit()]);
    const atFlush = await waitingOrders(t);
    await expect.poll(() => waitingOrders(t), { timeout: 60_000, interval: 250 }).toBe(0);
    const report = await auditLedger(t);
    console.log(`FLUSHALL: ${atFlush} of ${ids.length} orders were waiting (${queued} keys right after the flush); after recovery →`, JSON.stringify(report));
    expectHealthy(report, 400);
  }, 120_000);
});

describe('PostgreSQL restarted mid-run', () => {
  let pg: EmbeddedDatabase;
  let dir: string;
  let t: TestApp;
  beforeAll(async () => {
    dir = await mkdtemp(join(tmpdir(), 'cloudloom-restart-'));
    await chmod(dir, 0o755);
    // Persistent: a non-persistent cluster deletes its files when stopped, and could not come back.
    pg = await startEmbeddedPostgres({ dataDir: join(dir, 'pg'), persistent: true, preferredPort: 0, database: 'cloudloom_admin' });
    t = await startTestApp(FAST_RECOVERY, { adminUrl: pg.url });
  });
  afterAll(async () => {
    await t.close();
    await pg.stop();
    await rm(dir, { recursive: true, force: true });
  });

  it('goes 503 on readiness and back to 200 without a restart of the app; no order lost', async () => {
    const key = await market(t, 6);
    const ids = await postOrders(t, key, orders(300, 5));
    await pg.stop();
    await expect.poll(async () => (await t.request('GET', '/health/ready')).status, { timeout: 20_000, interval: 200 }).toBe(503);
    expect((await t.request('GET', '/health')).status).toBe(200);
    await pg.start();
    await expect.poll(async () => (await t.request('GET', '/health/ready')).status, { timeout: 30_000, interval: 200 }).toBe(200);
    await expect.poll(() => waitingOrders(t), { timeout: 60_000, interval: 250 }).toBe(0);
    const report = await auditLedger(t);
    const client = new Client({ connectionString: t.databaseUrl });
    await client.connect();
    const { rows } = await client.query<{ id: string }>('SELECT id FROM orders');
    await client.end();
    console.log('PostgreSQL restart: after recovery →', JSON.stringify(report));
    expect(new Set(rows.map((r) => r.id))).toEqual(new Set(ids));
    expectHealthy(report, 300);
  }, 150_000);
});
