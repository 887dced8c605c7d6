import { randomBytes } from 'node:crypto';
import { Pool } from 'pg';
import { dropRedisKeys, parseFlags } from './support/cli';
import { scratchDatabase } from './support/scratch-database';
import { API_MAIN, freePort, startProcess, waitReady } from './support/e2e/processes';
import { median, percentile } from './support/stats';
import { httpStormApi, toggleStorm } from './support/storm';

/**
 * The availability toggle storm of docs/security.md at the size it was reported: one factory
 * flips one day of its line between 0.5 and 1 (305 requests in 40 s, inside the rate limit) while
 * 2,000 unmatched orders wait for that line, and another brand posts fresh orders elsewhere. Prints
 * the other brand's time to match during the storm against the goal, and how often the waiting
 * orders were planned again. The API (with its worker) runs from dist/ as its own process.
 *
 *   npm run bench:storm -- [--backlog 2000] [--toggles 305] [--rate 7.6] [--fresh 40]
 */

const args = parseFlags(process.argv.slice(2));
const BACKLOG = Number(args.get('backlog') ?? 2000);
const TOGGLES = Number(args.get('toggles') ?? 305);
const RATE = Number(args.get('rate') ?? 7.6);
const FRESH = Number(args.get('fresh') ?? 40);
/** The other brand's slowest time to match during the storm; quiet, it was 14–86 ms; the report saw 16–18 s. */
const GOAL_MAX_MS = 1_000;

const ADMIN_URL = process.env.DATABASE_URL ?? 'postgres://postgres@127.0.0.1:5432/postgres';
const REDIS_URL = process.env.REDIS_URL ?? 'redis://127.0.0.1:6379';

async function main(): Promise<void> {
  const id = randomBytes(4).toString('hex');
  const prefix = `storm_${id}`;
  const scratch = await scratchDatabase(ADMIN_URL, `cloudloom_storm_${id}`);
  const databaseUrl = scratch.url;
  const operatorKey = `cl_bench_${randomBytes(16).toString('hex')}`;
  const port = await freePort();
  const api = startProcess(API_MAIN, {
    DATABASE_URL: databaseUrl, REDIS_URL, QUEUE_PREFIX: prefix, PORT: String(port), OPERATOR_API_KEY: operatorKey,
    AUTO_VERIFY_FACTORIES: 'true', LOG_LEVEL: 'warn', NODE_ENV: 'production', RATE_LIMIT_PER_KEY: '1000000',
  });
  const db = new Pool({ connectionString: databaseUrl, max: 2 });
  const baseUrl = `http://127.0.0.1:${port}/api/v1`;
  try {
    await waitReady(baseUrl, api, performance.now());
    const figures = await toggleStorm(
      httpStormApi(baseUrl, async <T>(text: string, params?: unknown[]) => (await db.query(text, params)).rows as T[]),
      { backlog: BACKLOG, toggles: TOGGLES, togglesPerSecond: RATE, freshOrders: FRESH, operatorKey },
    );
    const sorted = [...figures.freshMs].sort((a, b) => a - b);
    const max = sorted[sorted.length - 1] ?? 0;
    console.log(`toggle storm: ${figures.toggles} toggles in ${figures.stormSeconds.toFixed(1)} s (answers ${JSON.stringify(figures.answers)}), ${figures.backlog} orders waiting`);
    console.log(`  waiting orders planned again: ${figures.rematches} (${(figures.rematches / figures.backlog).toFixed(1)} per order, at most ${figures.maxRematchesPerOrder})`);
    console.log(`  other brand's time to match (${sorted.length} orders): p50 ${median(sorted)} ms, p99 ${percentile(sorted, 99)} ms, max ${max} ms`);
    console.log(`  goal: max <= ${GOAL_MAX_MS} ms → ${(max / GOAL_MAX_MS).toFixed(2)} of the goal (${max <= GOAL_MAX_MS ? 'met' : 'MISSED'})`);
  } finally {
    await api.stop();
    await db.end();
    await scratch.drop();
    await dropRedisKeys(REDIS_URL, [`${prefix}:*`]);
  }
}

main().catch((error: unknown) => {
  console.error(error);
  process.exitCode = 1;
});
