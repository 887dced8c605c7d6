import { execFile, spawn } from 'node:child_process';
import { existsSync } from 'node:fs';
import { createInterface } from 'node:readline';
import { promisify } from 'node:util';
import { Queue, Worker } from 'bullmq';
import IORedis from 'ioredis';
import type { Pool } from 'pg';
import { sleep } from './processes';

const run = promisify(execFile);

export interface PgbenchResult {
  readonly tps: number;
  readonly transactions: number;
  readonly walBytes: number;
}

/** pgbench's TPC-B-like script on a scratch database: the machine's own transaction rate. */
export async function pgbenchInit(url: URL, scale: number): Promise<void> {
  await run('pgbench', [...connArgs(url), '-i', '-q', '-s', String(scale)], { maxBuffer: 1 << 24 });
}

export async function pgbench(url: URL, admin: Pool, clients: number, seconds: number): Promise<PgbenchResult> {
  const before = await walMark(admin);
  const { stdout } = await run('pgbench', [...connArgs(url), '-n', '-c', String(clients), '-j', '2', '-T', String(seconds)], { maxBuffer: 1 << 24 });
  const walBytes = await walOfDatabase(admin, before, url.pathname.slice(1));
  const tps = Number(/tps = ([\d.]+) \(without initial connection time\)/.exec(stdout)?.[1] ?? /tps = ([\d.]+)/.exec(stdout)?.[1] ?? NaN);
  const transactions = Number(/number of transactions actually processed: (\d+)/.exec(stdout)?.[1] ?? NaN);
  return { tps, transactions, walBytes };
}

function connArgs(url: URL): string[] {
  return ['-h', url.hostname, '-p', url.port || '5432', '-U', decodeURIComponent(url.username || 'postgres'), url.pathname.slice(1)];
}

/**
 * Where a measured window's WAL starts, right after a checkpoint. The first change to a page
 * after a checkpoint writes the whole page to the WAL, so WAL per transaction depends on
 * whether a checkpoint fell inside the window: one did or did not by chance, and the ratio
 * of WAL per match to WAL per TPC-B transaction swung from 0.3 to 3.7 between runs. Every
 * window (pgbench's and each matching run's) now starts at a checkpoint, so both pay for
 * their first touches alike.
 */
export async function walMark(admin: Pool): Promise<string> {
  await admin.query('CHECKPOINT');
  return walLsn(admin);
}

async function walLsn(admin: Pool): Promise<string> {
  const { rows } = await admin.query<{ lsn: string }>(`SELECT pg_current_wal_lsn()::text AS lsn`);
  return rows[0]!.lsn;
}

/**
 * WAL written for one database between two LSNs, read back with pg_waldump: every record that
 * touches a relation of that database, and every record of a transaction that did (its commit).
 * The server is shared, so the cluster-wide LSN difference would count the neighbours' writes
 * too; that difference is the fallback when pg_waldump cannot read the WAL directory.
 */
export async function walOfDatabase(admin: Pool, from: string, database: string): Promise<number> {
  const { rows } = await admin.query<{ to: string; dir: string; oid: string; cluster: string }>(
    `SELECT pg_current_wal_lsn()::text AS to, current_setting('data_directory') AS dir, pg_wal_lsn_diff(pg_current_wal_lsn(), $1::pg_lsn)::text AS cluster,
            (SELECT oid::text FROM pg_database WHERE datname = $2) AS oid`,
    [from, database],
  );
  const { to, dir, oid, cluster } = rows[0]!;
  if (to === from) return 0;
  try {
    return await sumRecords(['-p', `${dir}/pg_wal`, '-s', from, '-e', to], `/${oid}/`);
  } catch {
    return Number(cluster);
  }
}

/** Streams pg_waldump's output (it can be large on a busy server) and sums our records' sizes. */
function sumRecords(dumpArgs: readonly string[], relationMark: string): Promise<number> {
  return new Promise((done, fail) => {
    const child = spawn(waldump(), dumpArgs, { stdio: ['ignore', 'pipe', 'ignore'] });
    const byTx = new Map<string, number>();
    const ourTx = new Set<string>();
    let untracked = 0;
    createInterface({ input: child.stdout }).on('line', (line) => {
      const m = /len \(rec\/tot\):\s*\d+\/\s*(\d+), tx:\s*(\d+),/.exec(line);
      if (!m) return;
      const bytes = Number(m[1]);
      const tx = m[2]!;
      const ours = line.includes(relationMark);
      if (tx === '0') untracked += ours ? bytes : 0;
      else {
        byTx.set(tx, (byTx.get(tx) ?? 0) + bytes);
        if (ours) ourTx.add(tx);
      }
    });
    child.once('error', fail);
    child.once('close', (code) => {
      if (code !== 0) return fail(new Error(`pg_waldump exited with ${code}`));
      done(untracked + [...ourTx].reduce((sum, tx) => sum + (byTx.get(tx) ?? 0), 0));
    });
  });
}

function waldump(): string {
  const candidates = ['/usr/lib/postgresql/17/bin/pg_waldump', '/usr/lib/postgresql/16/bin/pg_waldump', '/usr/lib/postgresql/15/bin/pg_waldump'];
  return candidates.find((p) => existsSync(p)) ?? 'pg_waldump';
}

/**
 * Bare BullMQ on the same Redis: a no-op job added at the fixed rate, timed from add() to the
 * worker's completed event. The floor under any queue-driven matcher on this machine.
 */
export async function bareBullmq(redisUrl: string, prefix: string, rate: number, seconds: number): Promise<number[]> {
  const connection = new IORedis(redisUrl, { maxRetriesPerRequest: null });
  const workerConnection = new IORedis(redisUrl, { maxRetriesPerRequest: null });
  const queue = new Queue('bare', { connection, prefix });
  const started = new Map<string, number>();
  const latencies: number[] = [];
  const worker = new Worker('bare', () => Promise.resolve(), { connection: workerConnection, prefix, concurrency: 4 });
  worker.on('completed', (job) => {
    const at = started.get(job.id ?? '');
    if (at !== undefined) latencies.push(performance.now() - at);
  });
  await worker.waitUntilReady();
  try {
    const t0 = performance.now();
    const total = Math.round(rate * seconds);
    const adds: Promise<unknown>[] = [];
    for (let i = 0; i < total; i++) {
      const wait = t0 + (i * 1000) / rate - performance.now();
      if (wait > 1) await sleep(wait);
      const id = `b${i}`;
      started.set(id, performance.now());
      adds.push(queue.add('noop', { i }, { jobId: id, removeOnComplete: true }));
    }
    await Promise.all(adds);
    const until = performance.now() + 10_000;
    while (latencies.length < total && performance.now() < until) await sleep(20);
    return latencies;
  } finally {
    await worker.close();
    await queue.obliterate({ force: true }).catch(() => undefined);
    await queue.close();
    connection.disconnect();
    workerConnection.disconnect();
  }
}
