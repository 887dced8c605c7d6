import { randomBytes } from 'node:crypto';
import { cpus } from 'node:os';
import { generateMarket, leadershipLockSpaces, loadMarket, type SeededKey } from '@cloudloom/market';
import { migrate } from '@cloudloom/persistence';
import { Client, Pool } from 'pg';
import { dropRedisKeys, parseFlags } from './support/cli';
import { type Audit, audit, sumAudits } from './support/e2e/audit';
import { bareBullmq, pgbench, pgbenchInit, walMark, walOfDatabase } from './support/e2e/anchors';
import { atFixedRate, Brands, drain, OutcomeWatcher, type Posted } from './support/e2e/load';
import { API_MAIN, cpuMs, freePort, type Proc, sleep, startProcess, waitReady, WORKER_MAIN } from './support/e2e/processes';
import { median, percentile } from './support/stats';

/**
 * End to end on a seeded market: real PostgreSQL and Redis, the API and the workers as separate
 * processes (dist/apps/api with RUN_WORKER=false, dist/apps/worker), orders posted over HTTP from
 * this process. Every figure is the median of back-to-back repetitions. See docs/performance.md.
 *
 *   npm run bench -- [--quick] [--reps 3] [--rate 20] [--fixed-seconds 60] [--max-seconds 30]
 *                    [--workers 1,2,4] [--factories 6000 --looms 540000 --brands 500] [--pgbench-seconds 30]
 *                    [--bulk 50] [--partitions 4] [--idle-seconds 5] [--cpu-prof DIR] [--pg-log] [--keep]
 */

const args = parseFlags(process.argv.slice(2));
const quick = args.has('quick');
const num = (name: string, full: number, fast: number): number => Number(args.get(name) ?? (quick ? fast : full));
const REPS = Math.max(1, num('reps', 3, 3));
const RATE = num('rate', 20, 15);
const FIXED_SECONDS = num('fixed-seconds', 60, 12);
const MAX_SECONDS = num('max-seconds', 30, 10);
const PGBENCH_SECONDS = num('pgbench-seconds', 30, 8);
const WORKERS = (args.get('workers') ?? '1,2,4').split(',').map(Number);
const FIXED_WORKERS = num('fixed-workers', 2, 2);
const FACTORIES = num('factories', 6000, 600);
const LOOMS = num('looms', FACTORIES * 90, FACTORIES * 90);
const BRANDS = num('brands', 500, 50);
const CPU_PROF = args.get('cpu-prof');
/** Matcher partitions (MATCH_PARTITIONS, ADR 0003); 0 runs every worker on every match job, as before partitions. */
const PARTITIONS = num('partitions', 4, 4);
/** Orders per `POST /orders/batch` in the bulk max-rate runs (an ERP's batch); 0 skips them. */
const BULK = num('bulk', 50, 50);
/** Orders posted but not yet matched, at most, during the max-rate runs: a steady queue, not a flood. */
const BACKLOG_PER_WORKER = 64;
/** Bulk runs: eight posts in flight per worker, so batches stay full without a flood. */
const BULK_BACKLOG_PER_WORKER = Math.max(BACKLOG_PER_WORKER, 8 * BULK);
const POST_CONCURRENCY = 8;
/** Seconds the workers are watched doing nothing before each max-rate run. */
const IDLE_SECONDS = num('idle-seconds', 5, 5);

const GOALS = {
  matchedVsTpcb: 1.0, p99VsBare: 3, p50VsBare: 2.5, walVsTpcb: 3, rssMb: 512, readySeconds: 10, cpuFourVsOne: 1.25,
};

/** The application_name of the bench's own connections to the bench database. */
const BENCH_APP = 'cloudloom-bench';
const ADMIN_URL = process.env.DATABASE_URL ?? 'postgres://postgres@127.0.0.1:5432/postgres';
const REDIS_URL = process.env.REDIS_URL ?? 'redis://127.0.0.1:6379';
const OPERATOR_KEY = `cl_bench_${randomBytes(16).toString('hex')}`;

/** One max-rate run: orders posted one per request, or `BULK` per request. */
type Posting = 'single' | 'bulk';

const postings: readonly Posting[] = BULK > 0 ? ['single', 'bulk'] : ['single'];

interface MaxRate {
  matchedPerSecond: Map<number, number>;
  /** Transactions committed in the bench database per matched order (pg_stat_database): round trips that do not move with load. */
  xactsPerMatch: Map<number, number>;
  cpuPerMatch: Map<number, CpuSplit>;
  /** Orders that lost loom-days to another matcher at commit (and were planned again), per 1,000 matched. */
  lostPer1000: Map<number, number>;
  walPerMatch: number;
}

interface Rep {
  readyMs: number;
  /** CPU ms per second the workers and their database backends use with no orders coming, per worker count. */
  idle: Map<number, { workers: number; postgres: number; xacts: number }>;
  ttm: { p50: number; p95: number; p99: number; sendP50: number; sendP99: number; n: number; unmatched: number; late: number };
  bare: { p50: number; p95: number; p99: number };
  max: Record<Posting, MaxRate>;
  tps: number;
  walPerTx: number;
  workerRssMb: number;
}

const log = (line: string): void => void process.stdout.write(`${line}\n`);
const withDb = (url: string, db: string): string => Object.assign(new URL(url), { pathname: `/${db}` }).toString();

/** One repetition's market: its own database, freshly seeded, and the watcher of its outcomes. */
interface Market {
  readonly dbName: string;
  readonly databaseUrl: string;
  readonly db: Pool;
  readonly watcher: OutcomeWatcher;
  readonly brands: readonly SeededKey[];
}

/**
 * Every repetition runs on the reference market as seeded, in a database of its own. On one
 * database the repetitions drifted: a repetition books some 100,000 orders, so the next one
 * planned on a fuller market (more splits, more misses, more WAL per match) and the median mixed
 * three different markets.
 */
async function freshMarket(admin: Client, dbName: string): Promise<Market> {
  await admin.query(`CREATE DATABASE ${dbName}`);
  const databaseUrl = withDb(ADMIN_URL, dbName);
  const seedStart = performance.now();
  await migrate(databaseUrl);
  // Profiling the database side: every statement of the API and workers with its duration, in the server's log.
  if (args.has('pg-log')) await admin.query(`ALTER DATABASE ${dbName} SET log_min_duration_statement = 0`);
  const market = generateMarket({ factories: FACTORIES, looms: LOOMS, brands: BRANDS, seed: 1, today: new Date().toISOString().slice(0, 10) });
  const { keys, ledgerDays } = await loadMarket(databaseUrl, market, { connections: 2 });
  log(`market: ${FACTORIES} mills, ${LOOMS.toLocaleString('en-US')} looms, ${market.lines.length.toLocaleString('en-US')} lines, ${ledgerDays.toLocaleString('en-US')} ledger days, ${BRANDS} brands; seeded in ${((performance.now() - seedStart) / 1000).toFixed(1)} s`);
  // Named, so that its backends (the outcome watcher polls every 5 ms) count as the load generator's CPU, not the platform's.
  const db = new Pool({ connectionString: databaseUrl, max: 4, application_name: BENCH_APP });
  db.on('error', () => undefined);
  const watcher = new OutcomeWatcher(db);
  await watcher.start();
  return { dbName, databaseUrl, db, watcher, brands: keys.filter((k) => k.kind === 'brand') };
}

async function closeMarket(admin: Client, market: Market): Promise<void> {
  await market.watcher.stop();
  await market.db.end().catch(() => undefined);
  if (!args.has('keep')) await admin.query(`DROP DATABASE IF EXISTS ${market.dbName} WITH (FORCE)`).catch(() => undefined);
  else log(`kept database ${market.dbName}`);
}

async function main(): Promise<void> {
  const id = randomBytes(4).toString('hex');
  const pgbenchDb = `cloudloom_pgbench_${id}`;
  const prefix = `bench_${id}`;
  const admin = new Client({ connectionString: ADMIN_URL });
  await admin.connect();
  await admin.query(`CREATE DATABASE ${pgbenchDb}`);
  const procs = new Set<Proc>();
  let market: Market | undefined;
  const cleanup = async (): Promise<void> => {
    await Promise.allSettled([...procs].map((p) => p.stop()));
    if (market) await closeMarket(admin, market);
    await admin.query(`DROP DATABASE IF EXISTS ${pgbenchDb} WITH (FORCE)`).catch(() => undefined);
    await admin.end().catch(() => undefined);
    await dropRedisKeys(REDIS_URL, [`${prefix}*`]);
  };
  process.once('SIGINT', () => void cleanup().finally(() => process.exit(130)));
  try {
    log(`e2e bench${quick ? ' (quick)' : ''}: node ${process.version}, ${cpus().length} cores (shared with whatever else runs), PostgreSQL ${ADMIN_URL.replace(/\/\/[^@]*@/, '//')}, Redis ${REDIS_URL}`);
    await pgbenchInit(new URL(withDb(ADMIN_URL, pgbenchDb)), 10);
    const reps: Rep[] = [];
    const audits: Audit[] = [];
    for (let r = 1; r <= REPS; r++) {
      market = await freshMarket(admin, `cloudloom_bench_${id}_${r}`);
      const { dbName, databaseUrl, db, watcher, brands } = market;
      reps.push(await repetition(r, { databaseUrl, dbName, prefix: `${prefix}_${r}`, db, brands, procs, watcher, pgbenchUrl: new URL(withDb(ADMIN_URL, pgbenchDb)), admin: db }));
      audits.push(await audit(db));
      await closeMarket(admin, market);
      market = undefined;
    }
    report(reps, sumAudits(audits));
  } finally {
    await cleanup();
  }
}

interface Context {
  databaseUrl: string;
  dbName: string;
  prefix: string;
  db: Pool;
  admin: Pool;
  brands: readonly SeededKey[];
  procs: Set<Proc>;
  watcher: OutcomeWatcher;
  pgbenchUrl: URL;
}

async function repetition(r: number, c: Context): Promise<Rep> {
  const env = {
    NODE_ENV: 'production', DATABASE_URL: c.databaseUrl, REDIS_URL, QUEUE_PREFIX: c.prefix, OPERATOR_API_KEY: OPERATOR_KEY,
    LOG_LEVEL: 'warn', RATE_LIMIT_PER_KEY: '1000000', RATE_LIMIT_ANONYMOUS: '1000000', RATE_LIMIT_AUTH_FAILURES: '1000000', MATCH_PARTITIONS: String(PARTITIONS),
  };
  const port = await freePort();
  const baseUrl = `http://127.0.0.1:${port}/api/v1`;
  const startedAt = performance.now();
  const api = track(c, startProcess(API_MAIN, { ...env, PORT: String(port), RUN_WORKER: 'false' }, profFlags('api', r)));
  const readyMs = await waitReady(baseUrl, api, startedAt);
  const brands = new Brands(baseUrl, c.brands, 1000 + r);
  const watcher = c.watcher;
  let workerRss = 0;
  const idle = new Map<number, { workers: number; postgres: number; xacts: number }>();

  // At the maximum rate: a steady backlog of orders for 1, 2, 4 workers; matched orders per second,
  // posted one per request and then, by the same workers, BULK per request.
  const max: Record<Posting, MaxRate> = {
    single: { matchedPerSecond: new Map(), xactsPerMatch: new Map(), cpuPerMatch: new Map(), lostPer1000: new Map(), walPerMatch: NaN },
    bulk: { matchedPerSecond: new Map(), xactsPerMatch: new Map(), cpuPerMatch: new Map(), lostPer1000: new Map(), walPerMatch: NaN },
  };
  for (const n of WORKERS) {
    const workers = Array.from({ length: n }, (_, i) => track(c, startProcess(WORKER_MAIN, { ...env, RUN_WORKER: 'true' }, profFlags(`worker${n}-${i}`, r))));
    await settled(c, n, workers);
    await warmUp(brands, watcher, n, workers);
    // What the workers cost doing nothing (polls, timers, blocking reads), measured before the load.
    const idleBefore = await cpuReading(c, api, workers);
    const idleXacts = await xacts(c);
    await sleep(IDLE_SECONDS * 1000);
    const idleUsed = cpuBetween(idleBefore, await cpuReading(c, api, workers));
    idle.set(n, { workers: idleUsed.workers / IDLE_SECONDS, postgres: idleUsed.postgres / IDLE_SECONDS, xacts: ((await xacts(c)) - idleXacts) / IDLE_SECONDS });
    log(`  rep ${r}: ${n} worker(s) idle for ${IDLE_SECONDS} s: CPU ms per second: workers ${idle.get(n)!.workers.toFixed(1)}, PostgreSQL ${idle.get(n)!.postgres.toFixed(1)}; ${idle.get(n)!.xacts.toFixed(1)} transactions/s`);
    for (const posting of postings) {
      const xactsBefore = await xacts(c);
      const lsn = await walMark(c.admin);
      const lostBefore = await racesLost(c.admin);
      const cpuBefore = await cpuReading(c, api, workers);
      const { matched, seconds } = await maxRate(brands, watcher, n, posting === 'bulk' ? BULK : 1);
      const used = cpuBetween(cpuBefore, await cpuReading(c, api, workers));
      const committed = (await xacts(c)) - xactsBefore;
      const wal = await walOfDatabase(c.admin, lsn, c.dbName);
      // Read after the drain: a race of the window's last orders is counted with them.
      const lost = (await racesLost(c.admin)) - lostBefore;
      const per = (k: keyof CpuSplit): number => used[k] / Math.max(matched, 1);
      const perMatch: CpuSplit = { api: per('api'), workers: per('workers'), postgres: per('postgres'), load: per('load') };
      const into = max[posting];
      into.cpuPerMatch.set(n, perMatch);
      into.matchedPerSecond.set(n, matched / seconds);
      into.lostPer1000.set(n, (lost * 1000) / Math.max(matched, 1));
      into.xactsPerMatch.set(n, committed / Math.max(matched, 1));
      if (n === WORKERS[0]) into.walPerMatch = wal / Math.max(matched, 1);
      const how = posting === 'bulk' ? `posted ${BULK} per request` : 'posted one per request';
      log(`  rep ${r}: ${n} worker(s), ${how}: ${(matched / seconds).toFixed(1)} matched orders/s over ${seconds.toFixed(0)} s${n === WORKERS[0] ? `, ${Math.round(into.walPerMatch)} WAL bytes per match` : ''}; ${lost} lost races (${into.lostPer1000.get(n)!.toFixed(1)} per 1,000); ${into.xactsPerMatch.get(n)!.toFixed(2)} database transactions per match; CPU ms per match: ${cpuText(perMatch)}`);
    }
    workerRss = Math.max(workerRss, ...workers.map((w) => w.peakRss()));
    await Promise.all(workers.map((w) => stop(c, w)));
  }

  // At a fixed rate: time from POST to the committed offer.
  const workers = Array.from({ length: FIXED_WORKERS }, () => track(c, startProcess(WORKER_MAIN, { ...env, RUN_WORKER: 'true' })));
  await settled(c, FIXED_WORKERS, workers);
  await warmUp(brands, watcher, FIXED_WORKERS, workers);
  await watcher.listen(c.databaseUrl);
  const posted = (await atFixedRate(RATE, FIXED_SECONDS, () => brands.post())).filter((p): p is Posted => p !== undefined);
  const late = await drain(watcher, posted, 30_000);
  await watcher.unlisten();
  // Time to match from "POST accepted" (its 202: the order stored and queued) to the committed
  // offer, as the issue defines it; from sending the POST too, which adds the API's own work.
  const matchedAfter = (from: (p: Posted) => number): number[] =>
    posted.flatMap((p) => {
      const seen = watcher.seen.get(p.id);
      return seen?.matched ? [Math.max(0, seen.at - from(p))] : [];
    }).sort((a, b) => a - b);
  const times = matchedAfter((p) => p.acceptedAt);
  const fromSend = matchedAfter((p) => p.sentAt);
  const unmatched = posted.filter((p) => watcher.seen.get(p.id)?.matched === false).length;
  workerRss = Math.max(workerRss, ...workers.map((w) => w.peakRss()));
  await Promise.all(workers.map((w) => stop(c, w)));
  await stop(c, api);
  brands.close();
  const ttm = {
    p50: percentile(times, 50), p95: percentile(times, 95), p99: percentile(times, 99), sendP50: percentile(fromSend, 50), sendP99: percentile(fromSend, 99),
    n: times.length, unmatched, late,
  };
  log(`  rep ${r}: ${RATE} orders/s for ${FIXED_SECONDS} s, ${FIXED_WORKERS} workers: time to match (202 -> offer committed) p50 ${ttm.p50.toFixed(1)} ms, p95 ${ttm.p95.toFixed(1)} ms, p99 ${ttm.p99.toFixed(1)} ms; from sending the POST p50 ${ttm.sendP50.toFixed(1)} ms, p99 ${ttm.sendP99.toFixed(1)} ms (${ttm.n} matched, ${unmatched} unmatched, ${late} without outcome)${brands.errors.length ? `; errors: ${brands.errors.join(' | ')}` : ''}`);

  // The anchors: bare BullMQ at the same rate, pgbench TPC-B at 16 clients.
  const bareTimes = (await bareBullmq(REDIS_URL, `${c.prefix}_bare`, RATE, FIXED_SECONDS)).sort((a, b) => a - b);
  const bare = { p50: percentile(bareTimes, 50), p95: percentile(bareTimes, 95), p99: percentile(bareTimes, 99) };
  const pg = await pgbench(c.pgbenchUrl, c.admin, 16, PGBENCH_SECONDS);
  log(`  rep ${r}: bare BullMQ add->completed p50 ${bare.p50.toFixed(1)} ms, p99 ${bare.p99.toFixed(1)} ms; pgbench TPC-B ${pg.tps.toFixed(0)} tps, ${Math.round(pg.walBytes / pg.transactions)} WAL bytes/tx; API ready in ${(readyMs / 1000).toFixed(1)} s; worker peak RSS ${(workerRss / 2 ** 20).toFixed(0)} MB`);
  return { readyMs, idle, ttm, bare, max, tps: pg.tps, walPerTx: pg.walBytes / pg.transactions, workerRssMb: workerRss / 2 ** 20 };
}

/**
 * Every worker loads the market into memory on its first job, and compiles its planning paths on
 * its first few dozen orders: that is start-up, not matching, and not counted.
 */
async function warmUp(brands: Brands, watcher: OutcomeWatcher, workers: number, procs: readonly Proc[]): Promise<void> {
  const posted = (await Promise.all(Array.from({ length: 32 * workers }, () => brands.post()))).filter((p): p is Posted => p !== undefined);
  const waiting = await drain(watcher, posted, 120_000);
  if (waiting > 0) throw new Error(`${waiting} warm-up orders got no outcome in 120 s${brands.errors.length ? `; posting: ${brands.errors.join(' | ')}` : ''}; a worker said:\n${procs[0]?.output().slice(-3000)}`);
}

/**
 * Waits until every worker has started and, with partitions, until leadership has settled: every
 * worker present and leading its fair share. Before, the warm-up could be matched by the first
 * worker up while the others were still loading their code, and the measured window then counted
 * their start-up and the partitions changing hands as matching CPU.
 */
async function settled(c: Context, n: number, procs: readonly Proc[]): Promise<void> {
  if (PARTITIONS === 0) return;
  const spaces = leadershipLockSpaces(c.prefix);
  // Fair shares are ceil(P / n) at most: every leader holds at least the floor of it.
  const share = Math.max(1, Math.floor(PARTITIONS / n));
  const until = performance.now() + 120_000;
  while (performance.now() < until) {
    const { rows } = await c.admin.query<{ members: number; led: number; leaders: number; least: number }>(
      `SELECT (SELECT count(*) FROM pg_locks WHERE locktype = 'advisory' AND granted AND objsubid = 2 AND classid::bigint = $1)::int AS members,
              count(*)::int AS led, count(DISTINCT pid)::int AS leaders, coalesce(min(n), 0)::int AS least
       FROM (SELECT pid, count(*) OVER (PARTITION BY pid) AS n FROM pg_locks WHERE locktype = 'advisory' AND granted AND objsubid = 2 AND classid::bigint = $2) l`,
      [spaces.members, spaces.partitions],
    );
    const r = rows[0]!;
    if (r.members === n && r.led === PARTITIONS && r.leaders === Math.min(n, PARTITIONS) && r.least >= share) return;
    await sleep(100);
  }
  throw new Error(`leadership did not settle over ${n} workers in 120 s; a worker said:\n${procs[0]?.output().slice(-3000)}`);
}

/**
 * Keeps POST_CONCURRENCY requests in flight while fewer than the backlog's orders wait (per
 * worker: BACKLOG_PER_WORKER posted one by one, BULK_BACKLOG_PER_WORKER in bulk).
 */
async function maxRate(brands: Brands, watcher: OutcomeWatcher, workers: number, perPost: number): Promise<{ matched: number; seconds: number }> {
  const posted: Posted[] = [];
  const started = performance.now();
  const until = started + MAX_SECONDS * 1000;
  const unsettled = new Set<string>();
  const backlog = workers * (perPost > 1 ? BULK_BACKLOG_PER_WORKER : BACKLOG_PER_WORKER);
  const waiting = (): number => {
    for (const id of unsettled) if (watcher.seen.has(id)) unsettled.delete(id);
    return unsettled.size;
  };
  const poster = async (): Promise<void> => {
    while (performance.now() < until) {
      if (waiting() >= backlog) {
        await sleep(5);
        continue;
      }
      const batch = perPost > 1 ? await brands.postMany(perPost) : [await brands.post()].filter((p): p is Posted => p !== undefined);
      for (const p of batch) {
        posted.push(p);
        unsettled.add(p.id);
      }
    }
  };
  const inWindow = (): number => [...watcher.seen.values()].filter((s) => s.matched && s.at >= started && s.at < until).length;
  await Promise.all(Array.from({ length: POST_CONCURRENCY }, poster));
  const matched = inWindow();
  await drain(watcher, posted, 60_000);
  return { matched, seconds: MAX_SECONDS };
}

/** Transactions committed in the bench database so far (every client: API, workers, this process). */
async function xacts(c: Context): Promise<number> {
  const { rows } = await c.admin.query<{ n: string }>(`SELECT xact_commit::text AS n FROM pg_stat_database WHERE datname = current_database()`);
  return Number(rows[0]!.n);
}

/** Orders that lost a race at commit so far (the workers count them in `metric_deltas`, the sweep folds them into `metric_totals`). */
async function racesLost(db: Pool): Promise<number> {
  const { rows } = await db.query<{ n: number }>(
    `SELECT coalesce(sum(value), 0)::float8 AS n FROM (SELECT value FROM metric_totals WHERE metric = 'match_races_lost' UNION ALL SELECT value FROM metric_deltas WHERE metric = 'match_races_lost') v`,
  );
  return rows[0]!.n;
}

/** Where the CPU goes, per process: the API, the workers, this load generator, and the PostgreSQL backends of the bench database. */
interface CpuSplit {
  api: number;
  workers: number;
  postgres: number;
  load: number;
}

/**
 * CPU used so far by the API, the workers, this process and each PostgreSQL backend of the bench
 * database (by pid): the platform's, and this process's own (its outcome watcher), which is load.
 */
interface CpuReading {
  api: number;
  workers: number;
  load: number;
  backends: Map<number, number>;
  benchBackends: Map<number, number>;
}

async function cpuReading(c: Context, api: Proc, workers: readonly Proc[]): Promise<CpuReading> {
  const { rows } = await c.admin.query<{ pid: number; bench: boolean }>(`SELECT pid, application_name = $1 AS bench FROM pg_stat_activity WHERE datname = current_database()`, [BENCH_APP]);
  const own = process.cpuUsage();
  return {
    api: cpuMs(api.child.pid),
    workers: workers.reduce((s, w) => s + cpuMs(w.child.pid), 0),
    backends: new Map(rows.filter((r) => !r.bench).map((r) => [r.pid, cpuMs(r.pid)])),
    benchBackends: new Map(rows.filter((r) => r.bench).map((r) => [r.pid, cpuMs(r.pid)])),
    load: (own.user + own.system) / 1000,
  };
}

/**
 * What each part used between two readings. Backends are compared pid by pid: one that a pool
 * opened meanwhile counts from zero, and one it closed meanwhile cannot be read any more (its
 * share is missed, where a plain sum would have gone negative).
 */
function cpuBetween(before: CpuReading, after: CpuReading): CpuSplit {
  const used = (now: Map<number, number>, then: Map<number, number>): number => [...now].reduce((sum, [pid, ms]) => sum + ms - (then.get(pid) ?? 0), 0);
  const postgres = used(after.backends, before.backends);
  return { api: after.api - before.api, workers: after.workers - before.workers, postgres, load: after.load - before.load + used(after.benchBackends, before.benchBackends) };
}

const cpuText = (x: CpuSplit): string =>
  `API ${x.api.toFixed(1)}, workers ${x.workers.toFixed(1)}, PostgreSQL ${x.postgres.toFixed(1)}, load generator ${x.load.toFixed(1)}; total ${(x.api + x.workers + x.postgres + x.load).toFixed(1)}`;

function profFlags(name: string, rep: number): string[] {
  return CPU_PROF && rep === 1 ? ['--cpu-prof', `--cpu-prof-dir=${CPU_PROF}`, `--cpu-prof-name=${name}.cpuprofile`] : [];
}

function track(c: Context, p: Proc): Proc {
  c.procs.add(p);
  return p;
}

async function stop(c: Context, p: Proc): Promise<void> {
  await p.stop();
  c.procs.delete(p);
}

/** Matched orders/s against the TPC-B anchor, and where each order's CPU went, per worker count. */
function maxRateLines(reps: readonly Rep[], posting: Posting, tps: number): string[] {
  const m = (f: (r: Rep) => number): number => median(reps.map(f));
  const how = posting === 'bulk' ? `posted ${BULK} per request` : 'posted one per request';
  const verdict = (ok: boolean): string => (ok ? 'meets' : 'misses');
  return [
    ...WORKERS.map((n) => {
      const v = m((r) => r.max[posting].matchedPerSecond.get(n) ?? 0);
      return `  matched orders/s at max rate, ${how}, ${n} worker(s): ${v.toFixed(1)}; / (${GOALS.matchedVsTpcb} x TPC-B tps) = ${(v / (GOALS.matchedVsTpcb * tps)).toFixed(2)} (${verdict(v >= GOALS.matchedVsTpcb * tps)})`;
    }),
    ...WORKERS.map((n) => {
      const part = (k: keyof CpuSplit): number => m((r) => r.max[posting].cpuPerMatch.get(n)?.[k] ?? 0);
      const split: CpuSplit = { api: part('api'), workers: part('workers'), postgres: part('postgres'), load: part('load') };
      const total = split.api + split.workers + split.postgres + split.load;
      return `    CPU per matched order, ${how}, ${n} worker(s): ${cpuText(split)} ms: ${cpus().length} cores allow at most ${((cpus().length * 1000) / total).toFixed(0)} orders/s`;
    }),
    `    database transactions per matched order, ${how}: ${WORKERS.map((n) => `${n} worker(s) ${m((r) => r.max[posting].xactsPerMatch.get(n) ?? 0).toFixed(2)}`).join(', ')}`,
    `    lost races per 1,000 matched orders, ${how}: ${WORKERS.map((n) => `${n} worker(s) ${m((r) => r.max[posting].lostPer1000.get(n) ?? 0).toFixed(1)}`).join(', ')}`,
    ...cpuScaleLine(reps, posting, how),
    ...(posting === 'bulk' ? [`    WAL per match, ${how}: ${Math.round(m((r) => r.max.bulk.walPerMatch))} B`] : []),
  ];
}

/** CPU per matched order (all processes) with the most workers against one worker: what predicts throughput on more machines. */
function cpuScaleLine(reps: readonly Rep[], posting: Posting, how: string): string[] {
  const most = Math.max(...WORKERS);
  if (!WORKERS.includes(1) || most === 1) return [];
  const total = (n: number): number => median(reps.map((r) => {
    const x = r.max[posting].cpuPerMatch.get(n);
    return x ? x.api + x.workers + x.postgres + x.load : NaN;
  }));
  const ratio = total(most) / total(1);
  return [`    CPU per matched order, ${how}, ${most} workers / 1 worker: ${ratio.toFixed(2)}; / ${GOALS.cpuFourVsOne} = ${(ratio / GOALS.cpuFourVsOne).toFixed(2)} (${ratio <= GOALS.cpuFourVsOne ? 'meets' : 'misses'})`];
}

function report(reps: readonly Rep[], result: Awaited<ReturnType<typeof audit>>): void {
  const m = (f: (r: Rep) => number): number => median(reps.map(f));
  const tps = m((r) => r.tps);
  const bareP50 = m((r) => r.bare.p50);
  const bareP99 = m((r) => r.bare.p99);
  const p50 = m((r) => r.ttm.p50);
  const p99 = m((r) => r.ttm.p99);
  const walMatch = m((r) => r.max.single.walPerMatch);
  const walTx = m((r) => r.walPerTx);
  const rss = m((r) => r.workerRssMb);
  const ready = m((r) => r.readyMs) / 1000;
  const verdict = (ok: boolean): string => (ok ? 'meets' : 'misses');
  const lines = [
    '',
    `median of ${reps.length} repetitions (the machine is shared: figures are noisy); matcher partitions: ${PARTITIONS === 0 ? 'none (every worker takes every match job)' : PARTITIONS}`,
    `  time to match at ${RATE} orders/s (${FIXED_WORKERS} workers), 202 -> offer committed: p50 ${p50.toFixed(1)} ms, p95 ${m((r) => r.ttm.p95).toFixed(1)} ms, p99 ${p99.toFixed(1)} ms; from sending the POST: p50 ${m((r) => r.ttm.sendP50).toFixed(1)} ms, p99 ${m((r) => r.ttm.sendP99).toFixed(1)} ms`,
    `  bare BullMQ add->completed at ${RATE}/s: p50 ${bareP50.toFixed(1)} ms, p99 ${bareP99.toFixed(1)} ms`,
    `    p50 / (${GOALS.p50VsBare} x bare p50) = ${(p50 / (GOALS.p50VsBare * bareP50)).toFixed(2)} (${verdict(p50 <= GOALS.p50VsBare * bareP50)}); p99 / (${GOALS.p99VsBare} x bare p99) = ${(p99 / (GOALS.p99VsBare * bareP99)).toFixed(2)} (${verdict(p99 <= GOALS.p99VsBare * bareP99)})`,
    `  pgbench TPC-B, 16 clients, scale 10: ${tps.toFixed(0)} tps`,
    `  idle (no orders), CPU ms per second, workers / PostgreSQL: ${WORKERS.map((n) => `${n} worker(s) ${m((r) => r.idle.get(n)?.workers ?? 0).toFixed(1)} / ${m((r) => r.idle.get(n)?.postgres ?? 0).toFixed(1)} (${m((r) => r.idle.get(n)?.xacts ?? 0).toFixed(1)} transactions/s)`).join(', ')}`,
    ...postings.flatMap((posting) => maxRateLines(reps, posting, tps)),
    `  WAL per match ${Math.round(walMatch)} B vs per TPC-B transaction ${Math.round(walTx)} B: / (${GOALS.walVsTpcb} x) = ${(walMatch / (GOALS.walVsTpcb * walTx)).toFixed(2)} (${verdict(walMatch <= GOALS.walVsTpcb * walTx)})`,
    `  worker peak RSS ${rss.toFixed(0)} MB: / ${GOALS.rssMb} MB = ${(rss / GOALS.rssMb).toFixed(2)} (${verdict(rss <= GOALS.rssMb)})`,
    `  API process start to ready ${ready.toFixed(1)} s: / ${GOALS.readySeconds} s = ${(ready / GOALS.readySeconds).toFixed(2)} (${verdict(ready <= GOALS.readySeconds)})`,
    `  after each repetition, summed (${result.orders} orders, ${result.allocations} allocations): ${result.overReserved} line-days over-reserved, ${result.ledgerMismatch} line-days not matching their allocations, ${result.duplicateAllocations} orders with duplicate allocations (${verdict(result.overReserved + result.ledgerMismatch + result.duplicateAllocations === 0)})`,
  ];
  log(lines.join('\n'));
}

main().catch((error: unknown) => {
  process.stderr.write(`${error instanceof Error ? (error.stack ?? error.message) : String(error)}\n`);
  process.exit(1);
});
