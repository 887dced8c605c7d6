import { Pool, type PoolClient } from 'pg';
import { generateApiKey, hashApiKey } from '../identity/api-key';
import type { SeedLine, SeedMarket, SeedOrganization } from './generate-market';

export interface SeededKey {
  readonly organizationId: string;
  readonly kind: 'brand' | 'factory';
  readonly name: string;
  readonly apiKey: string;
}

export interface LoadResult {
  readonly organizations: number;
  readonly lines: number;
  readonly ledgerDays: number;
  readonly keys: readonly SeededKey[];
  readonly ms: number;
}

export interface LoadOptions {
  /** Empty the market's tables first; without it a database that already has lines is refused. */
  readonly reset?: boolean;
  /** Parallel connections for the ledger, the bulk of the rows. */
  readonly connections?: number;
}

const ORG_BATCH = 5000;
const LINE_BATCH = 2000;
/** Lines per ledger statement: 500 lines x 60 days = 30,000 rows. */
const LEDGER_BATCH = 500;
const MARKET_TABLES = ['events', 'allocation_days', 'allocations', 'orders', 'capacity_days', 'lines', 'api_keys', 'organizations'];

/**
 * Loads a generated market through bulk paths: multi-row INSERT ... SELECT FROM unnest() of
 * column arrays, one statement per few thousand rows; the ledger is expanded on the server
 * (generate_series over the horizon), so only lines and their exceptions cross the wire.
 * Every organization gets one API key (hashed exactly as signup does); the keys are returned.
 */
export async function loadMarket(databaseUrl: string, market: SeedMarket, options: LoadOptions = {}): Promise<LoadResult> {
  const started = Date.now();
  const connections = Math.max(1, options.connections ?? 2);
  const pool = new Pool({ connectionString: databaseUrl, max: connections });
  try {
    const client = await pool.connect();
    let held = true;
    try {
      await fast(client);
      // CASCADE: tables added later that hang off the market (telemetry, ...) are emptied with it.
      if (options.reset) await client.query(`TRUNCATE ${MARKET_TABLES.join(', ')} CASCADE`);
      else {
        const [{ n } = { n: 0 }] = (await client.query<{ n: number }>(`SELECT count(*)::int AS n FROM lines`)).rows;
        if (n > 0) throw new Error(`the database already has ${n} lines: seed an empty database, or pass --reset to replace its market`);
      }
      const keys = market.organizations.map((o): SeededKey => ({ organizationId: o.id, kind: o.kind, name: o.name, apiKey: generateApiKey() }));
      for (let i = 0; i < market.organizations.length; i += ORG_BATCH) await insertOrganizations(client, market.organizations.slice(i, i + ORG_BATCH));
      for (let i = 0; i < keys.length; i += ORG_BATCH) await insertKeys(client, keys.slice(i, i + ORG_BATCH));
      for (let i = 0; i < market.lines.length; i += LINE_BATCH) await insertLines(client, market.lines.slice(i, i + LINE_BATCH));
      client.release();
      held = false;
      const ledgerDays = await insertLedger(pool, market, connections);
      const analyzer = await pool.connect();
      try {
        await analyzer.query(`ANALYZE organizations, api_keys, lines, capacity_days`);
      } finally {
        analyzer.release();
      }
      return { organizations: market.organizations.length, lines: market.lines.length, ledgerDays, keys, ms: Date.now() - started };
    } catch (error) {
      // Released once: an error after the first release (the ledger, ANALYZE) must not hide behind a double release.
      if (held) client.release();
      throw error;
    }
  } finally {
    await pool.end();
  }
}

/** A seed can be re-run if the machine dies, so it need not wait for each commit to reach disk. */
async function fast(client: PoolClient): Promise<void> {
  await client.query(`SET synchronous_commit = off`);
}

async function insertOrganizations(client: PoolClient, orgs: readonly SeedOrganization[]): Promise<void> {
  await client.query(
    `INSERT INTO organizations (id, kind, name, city, province, certifications, auto_accept, verified)
     SELECT id, kind, name, city, province, CASE WHEN certs = '' THEN '{}'::text[] ELSE string_to_array(certs, '|') END, auto_accept, verified
     FROM unnest($1::uuid[], $2::text[], $3::text[], $4::text[], $5::text[], $6::text[], $7::bool[], $8::bool[])
       AS o(id, kind, name, city, province, certs, auto_accept, verified)`,
    [
      orgs.map((o) => o.id), orgs.map((o) => o.kind), orgs.map((o) => o.name), orgs.map((o) => o.city), orgs.map((o) => o.province),
      orgs.map((o) => o.certifications.join('|')), orgs.map((o) => o.autoAccept), orgs.map((o) => o.verified),
    ],
  );
}

async function insertKeys(client: PoolClient, keys: readonly SeededKey[]): Promise<void> {
  await client.query(
    `INSERT INTO api_keys (organization_id, key_hash, label) SELECT org, hash, 'seed' FROM unnest($1::uuid[], $2::text[]) AS k(org, hash)`,
    [keys.map((k) => k.organizationId), keys.map((k) => hashApiKey(k.apiKey))],
  );
}

async function insertLines(client: PoolClient, lines: readonly SeedLine[]): Promise<void> {
  await client.query(
    `INSERT INTO lines (id, factory_id, name, kind, spec, rate_per_unit, daily_capacity)
     SELECT id, factory_id, name, spec->>'kind', spec, rate, daily FROM unnest($1::uuid[], $2::uuid[], $3::text[], $4::jsonb[], $5::numeric[], $6::bigint[])
       AS l(id, factory_id, name, spec, rate, daily)`,
    [lines.map((l) => l.id), lines.map((l) => l.factoryId), lines.map((l) => l.name), lines.map((l) => JSON.stringify(l.spec)), lines.map((l) => l.ratePerUnit), lines.map((l) => l.dailyCapacity)],
  );
}

/**
 * A batch can deadlock with another writer of the ledger (a running platform's sweep opening the
 * same lines' horizon in its own order, or a parallel batch); PostgreSQL aborts one side, and the
 * batch, an upsert, is simply run again.
 */
async function retryOnDeadlock<T>(run: () => Promise<T>, attempts = 5): Promise<T> {
  for (let attempt = 1; ; attempt++) {
    try {
      return await run();
    } catch (error) {
      if (attempt >= attempts || (error as { code?: string }).code !== '40P01') throw error;
    }
  }
}

/** One row per line and day of the horizon; a day's override scales its capacity as PUT availability does. */
async function insertLedger(pool: Pool, market: SeedMarket, connections: number): Promise<number> {
  const overrides = new Map<string, { day: string; fraction: number }[]>();
  for (const o of market.overrides) {
    const list = overrides.get(o.lineId) ?? [];
    list.push(o);
    overrides.set(o.lineId, list);
  }
  const batches: SeedLine[][] = [];
  for (let i = 0; i < market.lines.length; i += LEDGER_BATCH) batches.push(market.lines.slice(i, i + LEDGER_BATCH));
  let rows = 0;
  let next = 0;
  const worker = async (): Promise<void> => {
    const client = await pool.connect();
    try {
      await fast(client);
      for (let batch = batches[next++]; batch; batch = batches[next++]) {
        // A running platform's sweep may open the horizon of the lines just committed before
        // their ledger is written here: the seeded capacities (with their closed days) win.
        const exceptions = batch.flatMap((l) => (overrides.get(l.id) ?? []).map((o) => ({ lineId: l.id, ...o })));
        const result = await retryOnDeadlock(() => client.query(
          `INSERT INTO capacity_days (line_id, day, capacity, fraction)
           SELECT l.id, d.day::date, floor(l.daily * coalesce(o.fraction, 1))::bigint, coalesce(o.fraction, 1)
           FROM unnest($1::uuid[], $2::bigint[]) AS l(id, daily)
           CROSS JOIN generate_series($3::date, $3::date + ($4::int - 1), interval '1 day') AS d(day)
           LEFT JOIN unnest($5::uuid[], $6::date[], $7::numeric[]) AS o(line_id, day, fraction) ON o.line_id = l.id AND o.day = d.day::date
           ON CONFLICT (line_id, day) DO UPDATE SET capacity = EXCLUDED.capacity, fraction = EXCLUDED.fraction
             WHERE capacity_days.reserved <= EXCLUDED.capacity`,
          [batch.map((l) => l.id), batch.map((l) => l.dailyCapacity), market.today, market.horizonDays, exceptions.map((e) => e.lineId), exceptions.map((e) => e.day), exceptions.map((e) => e.fraction)],
        ));
        rows += result.rowCount ?? 0;
      }
    } finally {
      client.release();
    }
  };
  await Promise.all(Array.from({ length: Math.min(connections, batches.length) }, worker));
  return rows;
}
