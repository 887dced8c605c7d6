import { randomBytes } from 'node:crypto';
import { loadavg } from 'node:os';
import { Client } from 'pg';
import { createApiApp, MarketRollups } from '@cloudloom/market';
import { loadConfig } from '@cloudloom/platform';
import { parseFlags } from './support/cli';
import { scratchDatabase } from './support/scratch-database';
import { median } from './support/stats';

/**
 * The radar's history at the cost of a busy market (issue 20): how long the sweep's rollup of one
 * hour takes, how many rows an hour and a day write and how many bytes a row takes, on a scratch
 * database seeded by SQL with a reference-shaped cluster market (16 clusters, 5 loom types plus
 * sewing, 30 looms a weaving line reporting, 60 days of ledger) and one busy hour (orders posted,
 * matched, offers answered, orders unmatched with reasons), plus `--history` hours of the same
 * traffic before it, to show the rollup costs the hour, not the tables' age.
 *
 *   npm run build && node dist/bench/rollups.js [--mills 1200] [--clusters 16] [--orders 20000] [--history 24] [--reps 5] [--keep]
 *                                               [--database-url postgres://postgres@127.0.0.1:5432/postgres]
 * `--quick`: 300 mills, 5,000 orders an hour, 6 hours of history, 3 repetitions.
 */

const args = parseFlags(process.argv.slice(2));
const QUICK = args.has('quick');
const MILLS = Number(args.get('mills') ?? (QUICK ? 300 : 1200));
const ORDERS = Number(args.get('orders') ?? (QUICK ? 5000 : 20_000));
const HISTORY = Number(args.get('history') ?? (QUICK ? 6 : 24));
const REPS = Number(args.get('reps') ?? (QUICK ? 3 : 5));
const ADMIN_URL = args.get('database-url') ?? process.env.BENCH_DATABASE_URL ?? 'postgres://postgres@127.0.0.1:5432/postgres';
const HOUR = 3_600_000;
const CLUSTERS = Number(args.get('clusters') ?? 16);
const LOOMS_PER_LINE = 30;
const BRAND = '00000000-0000-4000-8000-000000000000';

const uuid = (block: string, n: string): string => `('00000000-0000-4000-${block}-' || lpad(to_hex(${n}), 12, '0'))::uuid`;

async function timed<T>(label: string, work: () => Promise<T>): Promise<T> {
  const started = performance.now();
  const out = await work();
  console.log(`  ${label}: ${((performance.now() - started) / 1000).toFixed(1)} s`);
  return out;
}

/** `ORDERS` orders posted in the hour from `start`: 80 % matched in it (one allocation each, half of them answered), 15 % unmatched with two reasons. */
async function traffic(db: Client, start: Date, first: number, brand: string): Promise<void> {
  await db.query(
    `INSERT INTO orders (id, brand_id, kind, status, spec, quantity, earliest_start, due_date, max_splits, created_at, updated_at, explanation)
     SELECT ${uuid('a000', 'o')}, $2, 'fabric', CASE WHEN o % 20 < 16 THEN 'proposed' WHEN o % 20 < 19 THEN 'unmatched' ELSE 'pending' END,
            '{"kind":"fabric","fabric":{"fiber":"cotton","weave":"plain","widthCm":150,"picksPerCm":25}}'::jsonb,
            1000, current_date, current_date + 20, 3,
            $3::timestamptz + (o - $1) * ($5::float8 / $4) * interval '1 millisecond',
            $3::timestamptz + (o - $1) * ($5::float8 / $4) * interval '1 millisecond' + interval '2 seconds',
            CASE WHEN o % 20 BETWEEN 16 AND 18 THEN jsonb_build_object(
              'summary', 'no plan', 'plannedAt', to_char(($3::timestamptz + (o - $1) * ($5::float8 / $4) * interval '1 millisecond' + interval '2 seconds') AT TIME ZONE 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.MS"Z"'),
              'reasons', jsonb_build_array(jsonb_build_object('code', (ARRAY['INSUFFICIENT_CAPACITY_BEFORE_DUE','WIDTH_EXCEEDS_MAX','NO_CAPABLE_LINE','PRICE_ABOVE_TARGET'])[1 + o % 4], 'message', 'x', 'lines', 3),
                                           jsonb_build_object('code', 'CERTIFICATION_MISSING', 'message', 'x', 'lines', 1)))
            ELSE NULL END
     FROM generate_series($1::int, $1::int + $4 - 1) o`,
    [first, brand, start, ORDERS, HOUR],
  );
  await db.query(
    `INSERT INTO allocations (id, order_id, factory_id, line_id, quantity, demand, start_date, end_date, status, score, score_parts, price, created_at, answered_at)
     SELECT ${uuid('b000', 'o')}, ${uuid('a000', 'o')}, ${uuid('8000', `1 + o % ${MILLS}`)}, ${uuid('9000', `1 + o % ${MILLS}`)},
            1000, 1000, current_date, current_date + 5, CASE WHEN o % 2 = 0 THEN 'accepted' ELSE 'offered' END, 1, '{}'::jsonb, 100,
            o2.created_at + interval '2 seconds', CASE WHEN o % 2 = 0 THEN o2.created_at + interval '10 minutes' END
     FROM generate_series($1::int, $1::int + $2 - 1) o JOIN orders o2 ON o2.id = ${uuid('a000', 'o')}
     WHERE o % 20 < 16`,
    [first, ORDERS],
  );
}

async function main(): Promise<void> {
  const id = randomBytes(4).toString('hex');
  const scratch = await scratchDatabase(ADMIN_URL, `cloudloom_bench_rollups_${id}`);
  // No worker: the bench runs the rollup itself, on hours of its choosing.
  const config = loadConfig({ NODE_ENV: 'test', DATABASE_URL: scratch.url, RUN_WORKER: 'false', LOG_LEVEL: 'error', QUEUE_PREFIX: `bench_rollups_${id}` });
  const app = await createApiApp({ ...config, databaseUrl: scratch.url });
  const rollups = app.get(MarketRollups, { strict: false });
  const db = new Client({ connectionString: scratch.url });
  await db.connect();
  try {
    const sewing = Math.round(MILLS / 8);
    console.log(`bench:rollups: ${MILLS} weaving mills (${MILLS * LOOMS_PER_LINE} looms) and ${sewing} sewing shops in ${CLUSTERS} clusters; ${ORDERS.toLocaleString()} orders an hour, ${HISTORY} h of history before it (load ${loadavg()[0]!.toFixed(1)})`);
    await timed('market (factories, lines, 60 days of ledger, looms)', async () => {
      await db.query(`INSERT INTO organizations (id, kind, name, city, province, verified) VALUES (${uuid('8000', '0')}, 'brand', 'Bench brand', 'Shanghai', 'Shanghai', true)`);
      await db.query(
        `INSERT INTO organizations (id, kind, name, city, province, verified)
         SELECT ${uuid('8000', 'f')}, 'factory', 'Mill ' || f, 'City ' || (f % $2), 'Province ' || (f % $2 % 7), true FROM generate_series(1, $1) f`,
        [MILLS + sewing, CLUSTERS],
      );
      await db.query(
        `INSERT INTO lines (id, factory_id, name, kind, spec, rate_per_unit, daily_capacity)
         SELECT ${uuid('9000', 'f')}, ${uuid('8000', 'f')}, 'Line ' || f, CASE WHEN f <= $1 THEN 'weaving' ELSE 'sewing' END,
                CASE WHEN f <= $1 THEN jsonb_build_object('kind', 'weaving', 'machineType', (ARRAY['water_jet','air_jet','rapier','projectile','jacquard'])[1 + f % 5], 'machines', $3::int, 'rpm', 700, 'efficiency', 0.85, 'hoursPerDay', 22, 'maxWidthCm', 190)
                     ELSE '{"kind":"sewing","operators":30,"minutesPerDay":480,"efficiency":0.6,"categories":["jeans","shirt"],"fabricTypes":["woven"],"moq":10}'::jsonb END,
                0.01, 1000000
         FROM generate_series(1, $2) f`,
        [MILLS, MILLS + sewing, LOOMS_PER_LINE],
      );
      await db.query(`INSERT INTO capacity_days (line_id, day, capacity, reserved) SELECT l.id, current_date + d, 1000000, (random() * 800000)::bigint FROM lines l, generate_series(-2, 57) d`);
      await db.query(
        `INSERT INTO machines (factory_id, line_id, external_id, state, state_at)
         SELECT l.factory_id, l.id, 'L-' || m, CASE WHEN random() < 0.03 THEN 'down' ELSE 'running' END, now() FROM lines l, generate_series(1, $1) m WHERE l.kind = 'weaving'`,
        [LOOMS_PER_LINE],
      );
    });
    const busy = new Date(Math.floor(Date.now() / HOUR) * HOUR - 3 * HOUR);
    await timed(`traffic: ${HISTORY + 1} hours of ${ORDERS.toLocaleString()} orders`, async () => {
      for (let h = HISTORY; h >= 0; h--) await traffic(db, new Date(busy.getTime() - h * HOUR), 1 + (HISTORY - h) * ORDERS, BRAND);
      await db.query(`ANALYZE`);
    });
    const [sizes] = (await db.query<{ orders: string; allocations: string }>(`SELECT (SELECT count(*) FROM orders)::text AS orders, (SELECT count(*) FROM allocations)::text AS allocations`)).rows;
    console.log(`  tables: ${sizes!.orders} orders, ${sizes!.allocations} allocations`);

    // The busy hour, rolled up REPS times (its rows removed between), then the hours before it and their day.
    const times: number[] = [];
    for (let r = 0; r < REPS; r++) {
      await db.query(`DELETE FROM market_rollups WHERE grain = 'hour' AND bucket = $1`, [busy]);
      const started = performance.now();
      if (!(await rollups.rollHour(busy))) throw new Error('the busy hour was not rolled up');
      times.push(performance.now() - started);
    }
    const [perHour] = (await db.query<{ n: number }>(`SELECT count(*)::int AS n FROM market_rollups WHERE grain = 'hour' AND bucket = $1`, [busy])).rows;
    const quiet = new Date(busy.getTime() + HOUR);
    const quietStarted = performance.now();
    await rollups.rollHour(quiet);
    const quietMs = performance.now() - quietStarted;
    for (let h = 1; h <= Math.min(HISTORY, 23); h++) await rollups.rollHour(new Date(busy.getTime() - h * HOUR));
    const day = new Date(Math.floor(busy.getTime() / (24 * HOUR)) * 24 * HOUR);
    const dayStarted = performance.now();
    await rollups.rollDay(day);
    const dayMs = performance.now() - dayStarted;
    await db.query(`VACUUM ANALYZE market_rollups`);
    const [size] = (await db.query<{ rows: number; bytes: string; perDay: number }>(
      `SELECT count(*)::int AS rows, pg_total_relation_size('market_rollups')::text AS bytes,
              (SELECT count(*)::int FROM market_rollups WHERE grain = 'day' AND bucket = $1) AS "perDay" FROM market_rollups`,
      [day],
    )).rows;
    const bytesPerRow = Number(size!.bytes) / size!.rows;
    const yearHourly = perHour!.n * 24 * 365 * bytesPerRow;
    const yearDaily = size!.perDay * 365 * bytesPerRow;
    console.log(`  rollHour, busy hour (${ORDERS.toLocaleString()} orders): median ${median(times).toFixed(0)} ms of ${times.map((t) => t.toFixed(0)).join(', ')}`);
    console.log(`  rollHour, an hour with no orders (ledger and looms only): ${quietMs.toFixed(0)} ms; rollDay from its hours: ${dayMs.toFixed(0)} ms`);
    console.log(`  rows: ${perHour!.n} an hour, ${size!.perDay} a day; ${size!.rows} rows take ${size!.bytes} bytes with the primary key: ${bytesPerRow.toFixed(0)} B a row`);
    console.log(`  a year: hourly ${(yearHourly / 1e6).toFixed(0)} MB, daily ${(yearDaily / 1e6).toFixed(1)} MB; with hours kept 90 days: ${((perHour!.n * 24 * 90 * bytesPerRow + yearDaily) / 1e6).toFixed(0)} MB`);
  } finally {
    await db.end();
    await app.close();
    await scratch.drop({ keep: args.has('keep') });
  }
}

main().catch((error: unknown) => {
  console.error(error);
  process.exit(1);
});
