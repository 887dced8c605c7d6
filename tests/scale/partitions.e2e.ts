import { leadershipLockSpaces } from '@cloudloom/market';
import { QueueBackend } from '@cloudloom/platform';
import { inject } from 'vitest';
import { FAST_RECOVERY } from '../support/faults';
import { inDays, startTestApp, type TestApp } from '../support/harness';
import { postOrders, waitingOrders } from '../support/ledger';
import { addLine, signup } from '../support/market';
import { runAudit, startWorker, type WorkerProcess } from '../support/processes';

/** Cotton goes to partition 0 and polyester to partition 1 of two (MATCH_ROUTES dealt round-robin). */
const fabricOrder = (fiber: 'cotton' | 'polyester', i: number): Record<string, unknown> => ({
  kind: 'fabric', fabric: { fiber, weave: 'plain', widthCm: 150, picksPerCm: 25 }, quantity: 40 + (i % 7) * 20, dueDate: inDays(5 + (i % 9)),
});

/** Mills whose lines each weave one fibre, so the two partitions share no line. */
async function twoFibreMarket(t: TestApp, millsPerFibre: number): Promise<string> {
  for (const fiber of ['cotton', 'polyester'] as const) {
    for (let i = 0; i < millsPerFibre; i++) {
      const mill = await signup(t, { kind: 'factory', name: `Foshan ${fiber} mill ${i}` });
      await addLine(t, mill.key, { kind: 'weaving', name: 'rapiers', machineType: 'rapier', machines: 10, rpm: 500, maxWidthCm: 220, ratePerUnit: 0.01 + i / 1000, fibers: [fiber] });
    }
  }
  return (await signup(t, { kind: 'brand', name: 'Brand' })).key;
}

/** A worker process boots Nest and loads the market before it polls; on a loaded machine that took most of a minute. */
const BOOT_MS = 120_000;

/** Who holds which partition now: PostgreSQL backend pid → partitions, from the advisory locks of this test's queue prefix. */
async function leaders(t: TestApp): Promise<Map<number, number[]>> {
  const rows = await t.sql<{ pid: number; partition: number }>(
    `SELECT pid, objid::bigint::int AS partition FROM pg_locks WHERE locktype = 'advisory' AND granted AND objsubid = 2 AND classid::bigint = $1
       AND database = (SELECT oid FROM pg_database WHERE datname = current_database()) ORDER BY partition`,
    [leadershipLockSpaces(t.env.QUEUE_PREFIX!).partitions],
  );
  const out = new Map<number, number[]>();
  for (const r of rows) out.set(r.pid, [...(out.get(r.pid) ?? []), r.partition]);
  return out;
}

const racesLost = async (t: TestApp): Promise<number> =>
  (await t.sql<{ n: number }>(`SELECT coalesce(sum(value), 0)::int AS n FROM (SELECT value FROM metric_totals WHERE metric = 'match_races_lost' UNION ALL SELECT value FROM metric_deltas WHERE metric = 'match_races_lost') v`))[0]!.n;

describe('matcher partitions (ADR 0003)', () => {
  let t: TestApp;
  let queues: QueueBackend;
  const workers: WorkerProcess[] = [];
  beforeAll(async () => {
    t = await startTestApp({ RUN_WORKER: 'false', MATCH_PARTITIONS: '2', LEADER_POLL_MS: '200', ...FAST_RECOVERY });
    queues = new QueueBackend({ redisUrl: inject('redisUrl'), databaseUrl: t.databaseUrl, prefix: t.env.QUEUE_PREFIX!, matchPartitions: 2 });
  });
  afterAll(async () => {
    await Promise.all(workers.map((w) => w.stop()));
    await queues.close();
    await t.close();
  });

  it('routes each order to its partition, splits a mixed bulk post, and one worker per partition matches them without a lost race', async () => {
    const brand = await twoFibreMarket(t, 3);
    const [cotton, polyester] = await postOrders(t, brand, [fabricOrder('cotton', 0), fabricOrder('polyester', 1)]);
    const state = (queue: 'matching-0' | 'matching-1', id: string): Promise<string> => queues.queue(queue).getJobState(id);
    // No worker yet: each job waits in its own partition's queue, and only there.
    expect([await state('matching-0', `match.${cotton}`), await state('matching-1', `match.${polyester}`)]).toEqual(['prioritized', 'prioritized']);
    expect([await state('matching-1', `match.${cotton}`), await state('matching-0', `match.${polyester}`)]).toEqual(['unknown', 'unknown']);
    const bulk = await t.request<{ items: { id: string }[] }>('POST', '/orders/batch', { key: brand, body: { orders: [fabricOrder('polyester', 2), fabricOrder('cotton', 3), fabricOrder('polyester', 4)] } });
    expect(bulk.status).toBe(202);
    const [p1, c1, p2] = bulk.body.items.map((o) => o.id);
    expect(await queues.queue('matching-1').getJobState(`match-bulk.${p1}`)).toBe('prioritized');
    expect(await queues.queue('matching-0').getJobState(`match-bulk.${c1}`)).toBe('prioritized');
    expect(await queues.queue('matching-1').getJobState(`match-bulk.${p2}`)).toBe('unknown');

    // The first worker leads both partitions; a second one joining takes one of them over.
    workers.push(startWorker(t.env));
    await expect.poll(async () => [...(await leaders(t)).values()], { timeout: BOOT_MS, interval: 100 }).toEqual([[0, 1]]);
    workers.push(startWorker(t.env));
    await expect.poll(async () => [...(await leaders(t)).values()].map((p) => p.length), { timeout: BOOT_MS, interval: 100 }).toEqual([1, 1]);

    await postOrders(t, brand, Array.from({ length: 120 }, (_, i) => fabricOrder(i % 2 === 0 ? 'cotton' : 'polyester', i)));
    await expect.poll(() => waitingOrders(t), { timeout: 60_000, interval: 100 }).toBe(0);
    const matched = await t.sql<{ n: number }>(`SELECT count(*)::int AS n FROM orders WHERE status = 'proposed'`);
    expect(matched[0]!.n).toBeGreaterThan(100);
    // Each partition has one matcher and the partitions share no line: nothing to race for.
    expect(await racesLost(t)).toBe(0);
  }, 400_000);
});

describe('a partition leader dies (SIGKILL) mid-run', () => {
  let t: TestApp;
  const workers: WorkerProcess[] = [];
  beforeAll(async () => {
    t = await startTestApp({ RUN_WORKER: 'false', MATCH_PARTITIONS: '1', LEADER_POLL_MS: '200', WORKER_CONCURRENCY: '2', MATCH_BATCH_SIZE: '8', ...FAST_RECOVERY });
  });
  afterAll(async () => {
    await Promise.all(workers.map((w) => w.stop()));
    await t.close();
  });

  it('the standby takes the partition over and nothing is stranded', async () => {
    const brand = await twoFibreMarket(t, 4);
    const leader = startWorker(t.env);
    workers.push(leader);
    await expect.poll(async () => [...(await leaders(t)).values()], { timeout: BOOT_MS, interval: 100 }).toEqual([[0]]);
    const [leaderPid] = [...(await leaders(t)).keys()];
    const standby = startWorker(t.env);
    workers.push(standby);
    // The standby is present (its member lock) but leads nothing while the leader lives.
    const members = async (): Promise<number> => (await t.sql<{ n: number }>(
      `SELECT count(*)::int AS n FROM pg_locks WHERE locktype = 'advisory' AND granted AND objsubid = 2 AND classid::bigint = $1 AND database = (SELECT oid FROM pg_database WHERE datname = current_database())`,
      [leadershipLockSpaces(t.env.QUEUE_PREFIX!).members],
    ))[0]!.n;
    await expect.poll(members, { timeout: BOOT_MS, interval: 100 }).toBe(2);

    // Four bulk posts at once: the backlog is there at once, and the leader dies holding whole batches.
    const count = 400;
    const posts = await Promise.all([0, 1, 2, 3].map((k) => t.request('POST', '/orders/batch', {
      key: brand, body: { orders: Array.from({ length: 100 }, (_, i) => fabricOrder(i % 2 === 0 ? 'cotton' : 'polyester', k * 100 + i)) },
    })));
    expect(posts.map((p) => p.status)).toEqual([202, 202, 202, 202]);
    await expect.poll(async () => count - (await waitingOrders(t)), { timeout: 60_000, interval: 50 }).toBeGreaterThan(10);
    expect([...(await leaders(t)).keys()]).toEqual([leaderPid]);
    await leader.kill();
    const atKill = await waitingOrders(t);
    expect(atKill).toBeGreaterThan(0);

    await expect.poll(async () => [...(await leaders(t)).entries()].filter(([pid]) => pid !== leaderPid).map(([, p]) => p), { timeout: 60_000, interval: 100 }).toEqual([[0]]);
    await expect.poll(() => waitingOrders(t), { timeout: 90_000, interval: 250 }).toBe(0);
    const audit = await runAudit(t.env);
    console.log(`leader killed with ${atKill} of ${count} orders waiting; after the standby finished →`, JSON.stringify(audit.report));
    expect(audit.code).toBe(0);
    expect(audit.report.violations).toBe(0);
    expect(audit.report.stranded).toBe(0);
    expect(audit.report.orders).toBe(count);
    expect(Object.keys(audit.report.byStatus).every((s) => s === 'proposed' || s === 'unmatched')).toBe(true);
  }, 400_000);
});
