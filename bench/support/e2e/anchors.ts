import { execFile } from 'node:child_process';
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
  const before = await walLsn(admin);
  const { stdout } = await run('pgbench', [...connArgs(url), '-n', '-c', String(clients), '-j', '2', '-T', String(seconds)], { maxBuffer: 1 << 24 });
  const walBytes = await walSince(admin, before);
  const tps = Number(/tps = ([\d.]+) \(without initial connection time\)/.exec(stdout)?.[1] ?? /tps = ([\d.]+)/.exec(stdout)?.[1] ?? NaN);
  const transactions = Number(/number of transactions actually processed: (\d+)/.exec(stdout)?.[1] ?? NaN);
  return { tps, transactions, walBytes };
}

function connArgs(url: URL): string[] {
  return ['-h', url.hostname, '-p', url.port || '5432', '-U', decodeURIComponent(url.username || 'postgres'), url.pathname.slice(1)];
}

export async function walLsn(admin: Pool): Promise<string> {
  const { rows } = await admin.query<{ lsn: string }>(`SELECT pg_current_wal_lsn()::text AS lsn`);
  return rows[0]!.lsn;
}

export async function walSince(admin: Pool, lsn: string): Promise<number> {
  const { rows } = await admin.query<{ bytes: string }>(`SELECT pg_wal_lsn_diff(pg_current_wal_lsn(), $1::pg_lsn)::text AS bytes`, [lsn]);
  return Number(rows[0]!.bytes);
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
