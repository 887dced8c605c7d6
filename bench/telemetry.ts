import { randomBytes } from 'node:crypto';
import type { Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { Client } from 'pg';
import { createApiApp } from '@cloudloom/market';
import { loadConfig } from '@cloudloom/platform';
import { dropRedisKeys, parseFlags } from './support/cli';
import { scratchDatabase } from './support/scratch-database';
import { median, percentile } from './support/stats';

/**
 * Sustained telemetry ingest: the platform in one process (API and worker, as `npm start` runs
 * it) on a scratch database, gateways posting batches over HTTP as fast as it answers. A run's
 * rate is readings written to `machine_readings` divided by the time from the first request
 * until the worker has drained every batch, so a backlog left behind counts against it. The
 * worker's own rate is what it writes while draining that backlog, when the API is idle.
 * The reference market reporting once a minute per loom is 540,000 / 60 = 9,000 readings/s.
 *
 *   npm run bench:telemetry -- [--runs 3] [--seconds 20] [--looms 9000] [--batch 1000] [--parallel 4]
 *                              [--database-url postgres://postgres@127.0.0.1:5432/postgres]
 * Queues on Redis when REDIS_URL is set, else on BullMQ's PostgreSQL backend.
 */

const REFERENCE_RATE = 9_000;
const LOOMS_PER_LINE = 450;

const args = parseFlags(process.argv.slice(2));
const RUNS = Math.max(3, Number(args.get('runs') ?? 3));
const SECONDS = Number(args.get('seconds') ?? 20);
const LOOMS = Number(args.get('looms') ?? 9000);
const BATCH = Math.min(Number(args.get('batch') ?? 1000), 5000);
const PARALLEL = Number(args.get('parallel') ?? 4);
const ADMIN_URL = args.get('database-url') ?? process.env.BENCH_DATABASE_URL ?? 'postgres://postgres@127.0.0.1:5432/postgres';
const REDIS_URL = process.env.REDIS_URL || undefined;

async function post(base: string, key: string, path: string, body: unknown): Promise<{ status: number; body: Record<string, unknown> }> {
  const res = await fetch(`${base}${path}`, { method: 'POST', headers: { 'content-type': 'application/json', authorization: `Bearer ${key}` }, body: JSON.stringify(body) });
  return { status: res.status, body: (await res.json()) as Record<string, unknown> };
}

interface Run {
  written: number;
  seconds: number;
  rate: number;
  acceptedRate: number;
  p50: number;
  p99: number;
  drainSeconds: number;
  /** Readings/s the worker wrote while draining the backlog, with the API idle. */
  workerRate: number;
}

async function main(): Promise<void> {
  const id = randomBytes(4).toString('hex');
  const database = `cloudloom_bench_telemetry_${id}`;
  const scratch = await scratchDatabase(ADMIN_URL, database);
  const databaseUrl = scratch.url;
  const prefix = `bench_tel_${id}`;
  const db = new Client({ connectionString: databaseUrl });
  let app: Awaited<ReturnType<typeof createApiApp>> | undefined;
  try {
    const config = loadConfig({
      NODE_ENV: 'development', DATABASE_URL: databaseUrl, ...(REDIS_URL ? { REDIS_URL } : {}), QUEUE_PREFIX: prefix, LOG_LEVEL: 'error',
      OPERATOR_API_KEY: randomBytes(24).toString('hex'), RATE_LIMIT_PER_KEY: '1000000', AUTO_VERIFY_FACTORIES: 'true',
    });
    app = await createApiApp({ ...config, databaseUrl });
    await app.listen(0, '127.0.0.1');
    const base = `http://127.0.0.1:${((app.getHttpServer() as Server).address() as AddressInfo).port}/api/v1`;
    await db.connect();

    // One cluster's gateways under one key: lines of 450 looms, every loom registered.
    const signup = await fetch(`${base}/signup`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ kind: 'factory', name: 'Bench Weaving Cluster' }) });
    const key = ((await signup.json()) as { apiKey: string }).apiKey;
    const names: string[] = [];
    for (let l = 0; l * LOOMS_PER_LINE < LOOMS; l++) {
      const count = Math.min(LOOMS_PER_LINE, LOOMS - l * LOOMS_PER_LINE);
      const line = await post(base, key, '/lines', { kind: 'weaving', name: `Hall ${l}`, machineType: 'air_jet', machines: count, rpm: 700, maxWidthCm: 190, ratePerUnit: 0.012 });
      if (line.status !== 201) throw new Error(`line: ${line.status} ${JSON.stringify(line.body)}`);
      const lineNames = Array.from({ length: count }, (_, i) => `L${l}-${String(i).padStart(3, '0')}`);
      for (let i = 0; i < lineNames.length; i += 500) {
        const res = await post(base, key, `/lines/${String(line.body.id)}/machines`, { machines: lineNames.slice(i, i + 500).map((externalId) => ({ externalId })) });
        if (res.status !== 201) throw new Error(`machines: ${res.status} ${JSON.stringify(res.body)}`);
      }
      names.push(...lineNames);
    }
    console.log(`telemetry ingest: ${names.length} looms on ${Math.ceil(names.length / LOOMS_PER_LINE)} lines, batches of ${BATCH}, ${PARALLEL} gateways posting for ${SECONDS} s, ${RUNS} runs; queues on ${REDIS_URL ? 'Redis' : 'PostgreSQL'}`);

    // Simulated time: every loom reports once a simulated minute, starting two days ago (inside the
    // retention, in the daily partitions); 1% of looms are down.
    const epoch = Date.now() - 2 * 86_400_000;
    let sequence = 0;
    const reading = (): { machineId: string; at: string; state: string; picks?: number } => {
      const s = sequence++;
      const loom = s % names.length;
      const at = new Date(epoch + Math.floor(s / names.length) * 60_000).toISOString();
      return loom % 100 === 0 ? { machineId: names[loom]!, at, state: 'down' } : { machineId: names[loom]!, at, state: 'running', picks: 35_700 };
    };
    const count = async (): Promise<number> => Number((await db.query<{ n: string }>(`SELECT count(*)::text AS n FROM machine_readings`)).rows[0]!.n);
    const pending = async (): Promise<number> => Number((await db.query<{ n: string }>(`SELECT count(*)::text AS n FROM telemetry_batches`)).rows[0]!.n);

    const runs: Run[] = [];
    for (let r = 0; r < RUNS; r++) {
      const before = await count();
      const latencies: number[] = [];
      let sent = 0;
      const started = performance.now();
      const deadline = started + SECONDS * 1000;
      const lane = async (): Promise<void> => {
        while (performance.now() < deadline) {
          const readings = Array.from({ length: BATCH }, reading);
          const t0 = performance.now();
          const res = await post(base, key, '/telemetry', { readings });
          if (res.status !== 202) throw new Error(`telemetry: ${res.status} ${JSON.stringify(res.body).slice(0, 300)}`);
          latencies.push(performance.now() - t0);
          sent += readings.length;
        }
      };
      await Promise.all(Array.from({ length: PARALLEL }, lane));
      const sentAt = performance.now();
      const writtenAtSent = await count();
      while ((await pending()) > 0) await new Promise((resolve) => setTimeout(resolve, 100));
      const done = performance.now();
      const written = (await count()) - before;
      if (written !== sent) throw new Error(`run ${r + 1}: ${sent} readings accepted but ${written} written`);
      const sorted = [...latencies].sort((a, b) => a - b);
      const run: Run = {
        written,
        seconds: (done - started) / 1000,
        rate: written / ((done - started) / 1000),
        acceptedRate: sent / ((sentAt - started) / 1000),
        p50: percentile(sorted, 50),
        p99: percentile(sorted, 99),
        drainSeconds: (done - sentAt) / 1000,
        workerRate: (written + before - writtenAtSent) / ((done - sentAt) / 1000),
      };
      runs.push(run);
      console.log(
        `  run ${r + 1}: ${run.written} readings written in ${run.seconds.toFixed(1)} s → ${Math.round(run.rate)} readings/s ` +
          `(accepted ${Math.round(run.acceptedRate)}/s, 202 in p50 ${run.p50.toFixed(0)} ms / p99 ${run.p99.toFixed(0)} ms, backlog drained in ${run.drainSeconds.toFixed(1)} s at ${Math.round(run.workerRate)}/s)`,
      );
    }
    const rate = median(runs.map((r) => r.rate));
    console.log(`sustained ingest: ${Math.round(rate)} readings/s (median of ${RUNS} runs) = ${(rate / REFERENCE_RATE).toFixed(2)} × the reference market's ${REFERENCE_RATE}/s`);
    console.log(`  API acceptance alone: ${Math.round(median(runs.map((r) => r.acceptedRate)))} readings/s; 202 p50 ${median(runs.map((r) => r.p50)).toFixed(0)} ms`);
    console.log(`  worker alone (draining the backlog, API idle): ${Math.round(median(runs.map((r) => r.workerRate)))} readings/s`);
  } finally {
    await app?.close();
    await db.end().catch(() => undefined);
    await scratch.drop();
    if (REDIS_URL) await dropRedisKeys(REDIS_URL, [`${prefix}:*`]);
  }
}

main().then(
  () => process.exit(0),
  (error: unknown) => {
    console.error(error);
    process.exit(1);
  },
);
