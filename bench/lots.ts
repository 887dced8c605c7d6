import { randomBytes } from 'node:crypto';
import type { Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { Client } from 'pg';
import { createApiApp } from '@cloudloom/market';
import { loadConfig } from '@cloudloom/platform';
import { dropRedisKeys, parseFlags } from './support/cli';
import { scratchDatabase } from './support/scratch-database';
import { median, ms, percentile } from './support/stats';

/**
 * Resolution at scale: `GET /id/:identifier` on a market of millions of lots, through the real
 * API (one process) on a scratch database. The lots are written by SQL generate_series, 100 to
 * an order: 60 rolls on a weaving allocation, 30 bundles each made from 2 of its rolls, and 10
 * cartons each packing 3 of its bundles (a carton's chain: 1 + 3 + up to 6 lots, two levels of
 * recursion). Each request asks for a random lot as the order's brand (the whole chain: the
 * recursive query, the machines' windows) and as nobody (the public part).
 *
 *   npm run bench:lots -- [--lots 10000000] [--requests 2000] [--parallel 4] [--keep]
 *                         [--database-url postgres://postgres@127.0.0.1:5432/postgres]
 * `--quick` is 1,000,000 lots and 1,000 requests.
 */

const args = parseFlags(process.argv.slice(2));
const QUICK = args.has('quick');
const LOTS = Number(args.get('lots') ?? (QUICK ? 1_000_000 : 10_000_000));
const REQUESTS = Number(args.get('requests') ?? (QUICK ? 1000 : 2000));
const PARALLEL = Number(args.get('parallel') ?? 4);
const ADMIN_URL = args.get('database-url') ?? process.env.BENCH_DATABASE_URL ?? 'postgres://postgres@127.0.0.1:5432/postgres';
const REDIS_URL = process.env.REDIS_URL || undefined;
const PER_ORDER = 100;
const FACTORIES = 100;
const MACHINES_PER_LINE = 8;

/** ISO 7064 MOD 37-2, as the server computes it (libs/market/src/lots/identifier.ts). */
function checkOf(code: string): string {
  const chars = '0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZ*';
  let p = 0;
  for (const ch of code) p = ((p + chars.indexOf(ch)) * 2) % 37;
  return chars[(38 - p) % 37]!;
}

async function timed(label: string, work: () => Promise<unknown>): Promise<void> {
  const started = Date.now();
  await work();
  console.log(`  ${label}: ${((Date.now() - started) / 1000).toFixed(1)} s`);
}

async function main(): Promise<void> {
  const id = randomBytes(4).toString('hex');
  const scratch = await scratchDatabase(ADMIN_URL, `cloudloom_bench_lots_${id}`);
  const databaseUrl = scratch.url;
  const prefix = `bench_lots_${id}`;
  const config = loadConfig({ NODE_ENV: 'test', DATABASE_URL: databaseUrl, ...(REDIS_URL ? { REDIS_URL } : {}), QUEUE_PREFIX: prefix, LOG_LEVEL: 'error', RATE_LIMIT_ANONYMOUS: '1000000', RATE_LIMIT_PER_KEY: '1000000' });
  const app = await createApiApp({ ...config, databaseUrl });
  await app.listen(0, '127.0.0.1');
  const base = `http://127.0.0.1:${((app.getHttpServer() as Server).address() as AddressInfo).port}/api/v1`;
  const db = new Client({ connectionString: databaseUrl });
  await db.connect();
  try {
    const signup = await fetch(`${base}/signup`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ kind: 'brand', name: 'Bench brand' }) });
    const { organization, apiKey } = (await signup.json()) as { organization: { id: string }; apiKey: string };
    const orders = Math.ceil(LOTS / PER_ORDER);
    console.log(`bench:lots: ${orders.toLocaleString()} orders x ${PER_ORDER} lots = ${(orders * PER_ORDER).toLocaleString()} lots (machine load now: ${(await import('node:os')).loadavg()[0]!.toFixed(1)})`);
    await timed('factories, lines, machines', async () => {
      await db.query(`INSERT INTO organizations (id, kind, name, city, verified) SELECT ('00000000-0000-4000-8000-' || lpad(to_hex(f), 12, '0'))::uuid, 'factory', 'Mill ' || f, 'Suzhou', true FROM generate_series(1, $1) f`, [FACTORIES]);
      await db.query(`INSERT INTO lines (id, factory_id, name, kind, spec, rate_per_unit, daily_capacity)
        SELECT ('00000000-0000-4000-9000-' || lpad(to_hex(f * 2 + k), 12, '0'))::uuid, ('00000000-0000-4000-8000-' || lpad(to_hex(f), 12, '0'))::uuid,
               CASE k WHEN 0 THEN 'Looms ' ELSE 'Sewing ' END || f, CASE k WHEN 0 THEN 'weaving' ELSE 'sewing' END,
               CASE k WHEN 0 THEN '{"kind":"weaving","machineType":"air_jet","machines":8,"rpm":700,"efficiency":0.85,"hoursPerDay":22,"maxWidthCm":190}'::jsonb
                      ELSE '{"kind":"sewing","operators":30,"minutesPerDay":480,"efficiency":0.6,"categories":["jeans"],"fabricTypes":["woven"],"moq":10}'::jsonb END,
               0.01, 1000000
          FROM generate_series(1, $1) f, generate_series(0, 1) k`, [FACTORIES]);
      await db.query(`INSERT INTO machines (factory_id, line_id, external_id) SELECT l.factory_id, l.id, l.kind || '-' || m FROM lines l, generate_series(1, $1) m`, [MACHINES_PER_LINE]);
    });
    await timed('orders and allocations', async () => {
      await db.query(`INSERT INTO orders (id, brand_id, kind, status, spec, quantity, earliest_start, due_date, max_splits)
        SELECT ('00000000-0000-4000-a000-' || lpad(to_hex(o), 12, '0'))::uuid, $2, 'garment', 'in_production',
               '{"kind":"garment","garment":{"category":"jeans","fabricType":"woven","samMinutes":10},"fabric":{"fiber":"cotton","weave":"twill","widthCm":150,"picksPerCm":30}}'::jsonb,
               1000, current_date - 10, current_date + 20, 2 FROM generate_series(1, $1) o`, [orders, organization.id]);
      await db.query(`INSERT INTO allocations (id, order_id, factory_id, line_id, quantity, demand, start_date, end_date, status, score, score_parts, price, produced_quantity)
        SELECT ('00000000-0000-4000-b000-' || lpad(to_hex(o * 2 + k), 12, '0'))::uuid, ('00000000-0000-4000-a000-' || lpad(to_hex(o), 12, '0'))::uuid,
               ('00000000-0000-4000-8000-' || lpad(to_hex(1 + o % $2), 12, '0'))::uuid, ('00000000-0000-4000-9000-' || lpad(to_hex((1 + o % $2) * 2 + k), 12, '0'))::uuid,
               1000, 1000, current_date - 10, current_date + 5, 'in_production', 1, '{}'::jsonb, 100, 0
          FROM generate_series(1, $1) o, generate_series(0, 1) k`, [orders, FACTORIES]);
    });
    // A bulk load, not the app's path: the scratch tables take their rows without foreign-key
    // checks and index upkeep per row, then get the unique constraint, the primary key and the
    // index back (the read path uses exactly those; the foreign keys are left off here).
    await db.query(`ALTER TABLE lot_inputs DROP CONSTRAINT lot_inputs_lot_id_fkey, DROP CONSTRAINT lot_inputs_input_id_fkey, DROP CONSTRAINT lot_inputs_pkey`);
    await db.query(`ALTER TABLE lots DROP CONSTRAINT lots_allocation_id_fkey, DROP CONSTRAINT lots_order_id_fkey, DROP CONSTRAINT lots_factory_id_fkey, DROP CONSTRAINT lots_line_id_fkey, DROP CONSTRAINT lots_identifier`);
    await db.query(`DROP INDEX lots_allocation`);
    // Lot j (0-based) of order o has id o*100 + j: rolls 0-59, bundles 60-89, cartons 90-99.
    await timed('lots (generate_series)', () => db.query(`INSERT INTO lots (id, identifier, kind, allocation_id, order_id, factory_id, line_id, quantity, unit, counted, made_at)
      OVERRIDING SYSTEM VALUE
      SELECT o * 100 + j, 'CL/' || kd || '.' || upper(substr(md5((o * 100 + j)::text), 1, 16)) || '0', kd,
             ('00000000-0000-4000-b000-' || lpad(to_hex(o * 2 + k), 12, '0'))::uuid, ('00000000-0000-4000-a000-' || lpad(to_hex(o), 12, '0'))::uuid,
             ('00000000-0000-4000-8000-' || lpad(to_hex(1 + o % $2), 12, '0'))::uuid, ('00000000-0000-4000-9000-' || lpad(to_hex((1 + o % $2) * 2 + k), 12, '0'))::uuid,
             10, CASE k WHEN 0 THEN 'm' ELSE 'pcs' END, kd <> 'carton', now() - interval '9 days' + j * interval '2 hours'
        FROM generate_series(1, $1) o, generate_series(0, 99) j,
             LATERAL (SELECT CASE WHEN j < 60 THEN 'roll' WHEN j < 90 THEN 'bundle' ELSE 'carton' END AS kd, CASE WHEN j < 60 THEN 0 ELSE 1 END AS k) x`, [orders, FACTORIES]));
    await timed('lot inputs', async () => {
      await db.query(`INSERT INTO lot_inputs (lot_id, input_id) SELECT o * 100 + 60 + b, o * 100 + (b * 2 + i) % 60 FROM generate_series(1, $1) o, generate_series(0, 29) b, generate_series(0, 1) i`, [orders]);
      await db.query(`INSERT INTO lot_inputs (lot_id, input_id) SELECT o * 100 + 90 + c, o * 100 + 60 + c * 3 + i FROM generate_series(1, $1) o, generate_series(0, 9) c, generate_series(0, 2) i`, [orders]);
    });
    await timed('indexes', async () => {
      await db.query(`ALTER TABLE lots ADD CONSTRAINT lots_identifier UNIQUE (identifier)`);
      await db.query(`CREATE INDEX lots_allocation ON lots (allocation_id, made_at, id)`);
      await db.query(`ALTER TABLE lot_inputs ADD PRIMARY KEY (lot_id, input_id)`);
    });
    await timed('analyze', () => db.query(`ANALYZE lots; ANALYZE lot_inputs; ANALYZE allocations; ANALYZE orders; ANALYZE machines`));

    // Give the sampled lots their right check characters (generate_series wrote a placeholder).
    const { rows: picked } = await db.query<{ id: string; identifier: string }>(`SELECT id::text, identifier FROM lots WHERE id IN (SELECT (1 + floor(random() * $1)::bigint) * 100 + floor(random() * 100)::bigint FROM generate_series(1, $2))`, [orders, REQUESTS]);
    const sample = picked.map((p) => {
      const body = p.identifier.slice(0, -1);
      return { id: p.id, identifier: body + checkOf(body.split('.')[1]!) };
    });
    await db.query(`UPDATE lots l SET identifier = s.identifier FROM unnest($1::bigint[], $2::text[]) AS s(id, identifier) WHERE l.id = s.id`, [sample.map((s) => s.id), sample.map((s) => s.identifier)]);

    const measure = async (key: string | undefined): Promise<number[]> => {
      const times: number[] = [];
      let next = 0;
      await Promise.all(Array.from({ length: PARALLEL }, async () => {
        while (next < sample.length) {
          const lot = sample[next++]!;
          const started = performance.now();
          const res = await fetch(`${base}/id/${encodeURIComponent(lot.identifier)}`, { headers: key ? { authorization: `Bearer ${key}` } : {} });
          const body = (await res.json()) as { chain?: { lots: unknown[] } };
          times.push(performance.now() - started);
          if (res.status !== 200 || (key !== undefined) !== (body.chain !== undefined)) throw new Error(`unexpected answer ${res.status} for ${lot.identifier}`);
        }
      }));
      return times.sort((a, b) => a - b);
    };
    await measure(undefined); // warm-up: the first pass reads the sampled pages from disk
    for (const [who, key] of [['brand (whole chain)', apiKey], ['anyone (public part)', undefined]] as const) {
      const times = await measure(key);
      console.log(`  ${who}: ${times.length} requests, ${PARALLEL} at a time: p50 ${ms(median(times))} ms, p99 ${ms(percentile(times, 99))} ms, max ${ms(times.at(-1)!)} ms`);
    }
    // The plan of the recursive walk: each step an index scan of lot_inputs' primary key.
    const { rows: explain } = await db.query<{ 'QUERY PLAN': string }>(`EXPLAIN WITH RECURSIVE tree(id) AS (SELECT $1::bigint UNION SELECT e.input_id FROM tree t JOIN lot_inputs e ON e.lot_id = t.id) SELECT count(*) FROM tree`, [sample[0]!.id]);
    for (const line of explain) console.log(`    ${line['QUERY PLAN']}`);
  } finally {
    await db.end();
    await app.close();
    await scratch.drop({ keep: args.has('keep') });
    if (REDIS_URL) await dropRedisKeys(REDIS_URL, [`${prefix}:*`]);
  }
}

main().catch((error: unknown) => {
  console.error(error);
  process.exitCode = 1;
});
