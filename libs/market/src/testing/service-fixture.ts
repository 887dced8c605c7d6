import { randomBytes, randomUUID } from 'node:crypto';
import { Test, type TestingModule } from '@nestjs/testing';
import type { PlannedAllocation } from '@cloudloom/matching';
import { migrate } from '@cloudloom/persistence';
import type { QueueName } from '@cloudloom/contracts';
import { type AppConfig, loadConfig, type QueueBackend } from '@cloudloom/platform';
import { Client } from 'pg';
import type { DataSource } from 'typeorm';
import { getDataSourceToken } from '@nestjs/typeorm';
import { inject } from 'vitest';
import { settleMatches } from '../allocations/match-writes';
import { addDays } from '../core/clock';
import { CoreModule } from '../core/core.module';
import { QUEUE_BACKEND } from '../core/tokens';
import type { Principal } from '../identity/principal';
import { OrdersModule } from '../orders/orders.module';
import { StoreModule } from '../store.module';
import { WorkerModule } from '../worker/worker.module';

/**
 * The market's services on a real PostgreSQL, without HTTP: a database of its own, migrated,
 * and the queues on PostgreSQL's backend in that database (dropped with it). Providers are
 * built but nothing is started (no workers, no snapshot load), so a test calls a service and
 * reads the tables and the queues it wrote.
 */
export interface ServiceFixture {
  readonly module: TestingModule;
  readonly db: DataSource;
  readonly today: string;
  sql<T>(text: string, params?: unknown[]): Promise<T[]>;
  /** The jobs waiting in a queue (prioritized, waiting or delayed), by name, id and options. */
  jobs(queue: QueueName): Promise<{ name: string; id: string; priority: number; delay: number }[]>;
  /** A brand or factory, verified. */
  organization(kind: 'brand' | 'factory'): Promise<Principal>;
  /** An active weaving line of the factory with `capacity` units a day from today for `days` days. */
  line(factory: Principal, capacity?: number, days?: number): Promise<string>;
  /** A pending order of the brand, due in `dueInDays`. */
  order(brand: Principal, dueInDays?: number, quantity?: number): Promise<string>;
  /** Offers the order on the line as the matcher does (through its one statement): `units` on today's cell; the order becomes proposed. */
  offer(orderId: string, factory: Principal, lineId: string, options?: { units?: number; expiresAt?: Date }): Promise<string>;
  close(): Promise<void>;
}

/** One statement on the server's admin database (CREATE or DROP DATABASE). */
export async function admin(url: string, sql: string): Promise<void> {
  const client = new Client({ connectionString: url });
  await client.connect();
  try {
    await client.query(sql);
  } finally {
    await client.end();
  }
}

export async function serviceFixture(env: Record<string, string> = {}): Promise<ServiceFixture> {
  const adminUrl = inject('adminDatabaseUrl');
  const database = `cloudloom_s_${randomBytes(5).toString('hex')}`;
  await admin(adminUrl, `CREATE DATABASE ${database}`);
  const databaseUrl = Object.assign(new URL(adminUrl), { pathname: `/${database}` }).toString();
  await migrate(databaseUrl);
  const config: AppConfig & { databaseUrl: string } = { ...loadConfig({ NODE_ENV: 'test', DATABASE_URL: databaseUrl, QUEUE_PREFIX: 's', LOG_LEVEL: 'error', ...env }), databaseUrl };
  const module = await Test.createTestingModule({ imports: [CoreModule.forRoot(config), StoreModule, OrdersModule, WorkerModule] }).compile();
  const db = module.get<DataSource>(getDataSourceToken());
  const queues = module.get<QueueBackend>(QUEUE_BACKEND);
  const today = new Date().toISOString().slice(0, 10);
  const sql = <T>(text: string, params: unknown[] = []): Promise<T[]> => db.query<T[]>(text, params);

  return {
    module,
    db,
    today,
    sql,
    jobs: async (queue) => {
      const [bull] = queues.allQueues().filter((q) => q.name === queue);
      const jobs = await bull!.getJobs(['prioritized', 'waiting', 'delayed']);
      return jobs.map((j) => ({ name: j.name, id: j.id!, priority: j.opts.priority ?? 0, delay: j.opts.delay ?? 0 }));
    },
    organization: async (kind) => {
      const [row] = await sql<{ id: string }>(`INSERT INTO organizations (kind, name, verified) VALUES ($1, $2, true) RETURNING id`, [kind, `${kind} ${randomUUID().slice(0, 8)}`]);
      return { organizationId: row!.id, kind };
    },
    line: async (factory, capacity = 100, days = 30) => {
      const [row] = await sql<{ id: string }>(
        `INSERT INTO lines (factory_id, name, kind, spec, rate_per_unit, daily_capacity) VALUES ($1, 'air-jets', 'weaving', '{}', 0.01, $2) RETURNING id`,
        [factory.organizationId, capacity],
      );
      await sql(`INSERT INTO capacity_days (line_id, day, capacity) SELECT $1, d::date, $2 FROM generate_series($3::date, $3::date + ($4 - 1), interval '1 day') d`, [row!.id, capacity, today, days]);
      return row!.id;
    },
    order: async (brand, dueInDays = 20, quantity = 10) => {
      const [row] = await sql<{ id: string }>(
        `INSERT INTO orders (brand_id, kind, status, spec, quantity, earliest_start, due_date, max_splits)
         VALUES ($1, 'fabric', 'pending', '{"kind":"fabric","fabric":{"fiber":"cotton","weave":"plain","widthCm":150,"picksPerCm":30}}', $2, $3, $4, 3) RETURNING id`,
        [brand.organizationId, quantity, addDays(today, 1), addDays(today, dueInDays)],
      );
      return row!.id;
    },
    offer: async (orderId, factory, lineId, options = {}) => {
      const units = options.units ?? 40;
      const [order] = await sql<{ quantity: number }>(`SELECT quantity FROM orders WHERE id = $1`, [orderId]);
      const plan: PlannedAllocation = {
        lineId, factoryId: factory.organizationId, quantity: order!.quantity, demand: units, days: [{ day: 0, units }], startDay: 0, endDay: 0,
        price: 1, score: 0.5, scoreParts: { splits: 1, slack: 0.5, price: 0.5, record: 0.5, loadSpread: 0.5 },
      };
      const id = randomUUID();
      const expiresAt = options.expiresAt ?? new Date(Date.now() + 3_600_000);
      const lost = await db.transaction((m) =>
        settleMatches(m, today, [{ id, orderId, plan, status: 'offered', expiresAt }], [{ orderId, status: 'proposed', explanation: { summary: 'offered', plannedAt: new Date().toISOString() } }], []),
      );
      if (lost.raced.size > 0) throw new Error('the offer found no free units');
      return id;
    },
    close: async () => {
      await module.close();
      await admin(adminUrl, `DROP DATABASE IF EXISTS ${database} WITH (FORCE)`);
    },
  };
}
