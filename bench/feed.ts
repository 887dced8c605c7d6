import { randomBytes } from 'node:crypto';
import { Client } from 'pg';
import { dropRedisKeys, parseFlags } from './support/cli';
import { flood, seedEvents, startApiProcess } from './support/feed-flood';
import { scratchDatabase } from './support/scratch-database';
import { median, percentile } from './support/stats';

/**
 * The live-feed flood of issue 22 against one API process (built dist/, no worker) on a scratch
 * database: `--events` events seeded for `--brands` brands, then every brand asks for
 * `--per-brand` streams with `Last-Event-ID: 0` and never reads, while `GET /me` and
 * `GET /health/ready` are timed; then the sockets close and the process is watched settling.
 * Prints RSS, latencies and their ratio to the goal (under 1 is within it).
 *
 *   npm run bench:feed -- [--events 69000] [--brands 8] [--per-brand 5] [--seconds 20] [--settle 10]
 *                        [--database-url postgres://postgres@127.0.0.1:5432/postgres]
 */

/** The goal: the flood costs an API process at most this much memory, and its callers this much time. */
const GOAL = { rssGrowthMb: 150, meP99Ms: 500, readyP99Ms: 500, letGoMs: 3_000 };
const OPERATOR_KEY = 'cl_bench_operator_key_0123456789abcdef';

const args = parseFlags(process.argv.slice(2));
const EVENTS = Number(args.get('events') ?? 69_000);
const BRANDS = Number(args.get('brands') ?? 8);
const PER_BRAND = Number(args.get('per-brand') ?? 5);
const SECONDS = Number(args.get('seconds') ?? 20);
const SETTLE = Number(args.get('settle') ?? 10);
const ADMIN_URL = args.get('database-url') ?? process.env.BENCH_DATABASE_URL ?? 'postgres://postgres@127.0.0.1:5432/postgres';
const REDIS_URL = process.env.REDIS_URL || undefined;

async function sql(url: string, text: string, params: unknown[] = []): Promise<void> {
  const client = new Client({ connectionString: url });
  await client.connect();
  try {
    await client.query(text, params);
  } finally {
    await client.end();
  }
}

async function main(): Promise<void> {
  const id = randomBytes(4).toString('hex');
  const database = `cloudloom_bench_feed_${id}`;
  const prefix = `bench_feed_${id}`;
  const scratch = await scratchDatabase(ADMIN_URL, database);
  const databaseUrl = scratch.url;
  let stop = (): Promise<void> => Promise.resolve();
  try {
    const api = await startApiProcess({
      NODE_ENV: 'production',
      DATABASE_URL: databaseUrl,
      ...(REDIS_URL ? { REDIS_URL } : {}),
      QUEUE_PREFIX: prefix,
      OPERATOR_API_KEY: OPERATOR_KEY,
      LOG_LEVEL: 'error',
      // Production's limits, but room for the bench's own sign-ups and probes from one address.
      RATE_LIMIT_ANONYMOUS: '100000',
      RATE_LIMIT_PER_KEY: '100000',
    });
    stop = api.stop;
    const brands: { id: string; key: string }[] = [];
    for (let i = 0; i < BRANDS; i++) {
      const res = await fetch(`${api.baseUrl}/signup`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ kind: 'brand', name: `Bench brand ${i}` }) });
      const body = (await res.json()) as { organization: { id: string }; apiKey: string };
      brands.push({ id: body.organization.id, key: body.apiKey });
    }
    const seeded = performance.now();
    await seedEvents((text, params) => sql(databaseUrl, text, params), brands.map((b) => b.id), EVENTS);
    console.log(`feed flood: ${EVENTS} events seeded in ${((performance.now() - seeded) / 1000).toFixed(1)} s for ${BRANDS} brands; each asks for ${PER_BRAND} streams with Last-Event-ID: 0 that never read; ${SECONDS} s of flood, ${SETTLE} s to settle`);
    // The first brand also asks for 40 streams at once, as one key did in the issue.
    const keys = [...Array.from({ length: 40 }, () => brands[0]!.key), ...brands.slice(1).flatMap((b) => Array.from({ length: PER_BRAND }, () => b.key))];
    const f = await flood({ baseUrl: api.baseUrl, pid: api.child.pid! }, keys, brands[0]!.key, OPERATOR_KEY, SECONDS, SETTLE);
    const sorted = (xs: number[]): number[] => [...xs].sort((a, b) => a - b);
    const me = sorted(f.meMs);
    const ready = sorted(f.readyMs);
    const growth = f.peakRssMb - f.baselineRssMb;
    const meP99 = percentile(me, 99);
    const readyP99 = percentile(ready, 99);
    console.log(`  streams: ${f.streamsOpen} open, ${f.refused} refused (429) of ${keys.length} asked; the process held ${f.streamsHeld}, and none ${f.letGoMs >= 0 ? `${Math.round(f.letGoMs)} ms` : 'never'} after the sockets closed`);
    console.log(`  RSS: ${f.baselineRssMb.toFixed(0)} MB before, ${f.peakRssMb.toFixed(0)} MB at the peak (+${growth.toFixed(0)} MB), ${f.afterCloseRssMb.toFixed(0)} MB ${SETTLE} s after the sockets closed`);
    console.log(`  GET /me: median ${median(me).toFixed(0)} ms, p99 ${meP99.toFixed(0)} ms, max ${me[me.length - 1]!.toFixed(0)} ms (${me.length} calls); after close: median ${median(f.meAfterMs).toFixed(0)} ms`);
    console.log(`  GET /health/ready: median ${median(ready).toFixed(0)} ms, p99 ${readyP99.toFixed(0)} ms, max ${ready[ready.length - 1]!.toFixed(0)} ms`);
    console.log(
      `  ratio to goal (≤ 1 is within): RSS growth ${(growth / GOAL.rssGrowthMb).toFixed(2)} of ${GOAL.rssGrowthMb} MB, /me p99 ${(meP99 / GOAL.meP99Ms).toFixed(2)} of ${GOAL.meP99Ms} ms, /health/ready p99 ${(readyP99 / GOAL.readyP99Ms).toFixed(2)} of ${GOAL.readyP99Ms} ms, let go ${(f.letGoMs / GOAL.letGoMs).toFixed(2)} of ${GOAL.letGoMs} ms`,
    );
  } finally {
    await stop();
    await scratch.drop();
    if (REDIS_URL) await dropRedisKeys(REDIS_URL, [`${prefix}:*`]);
  }
}

main().catch((error: unknown) => {
  console.error(error);
  process.exit(1);
});
