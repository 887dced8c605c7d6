import { randomBytes, randomUUID } from 'node:crypto';
import type { PlannedAllocation } from '@cloudloom/matching';
import { migrate } from '@cloudloom/persistence';
import { DataSource, type EntityManager } from 'typeorm';
import { inject } from 'vitest';
import { addDays } from '../core/clock';
import type { DomainEvent } from '../events/events.writer';
import { admin } from '../testing/service-fixture';
import { type NewAllocation, type SettleResult, settleMatches } from './match-writes';

/**
 * The write of a matching batch on a real PostgreSQL (its own database): orders that lost a cell
 * to another matcher hold nothing afterwards and have nothing written, the others keep exactly
 * theirs with their allocations, order updates and events.
 */
const TODAY = '2026-12-01';

describe('settleMatches', () => {
  const adminUrl = inject('adminDatabaseUrl');
  const database = `cloudloom_ledger_${randomBytes(4).toString('hex')}`;
  let db: DataSource;
  let lineId: string;
  let brandId: string;

  beforeAll(async () => {
    await admin(adminUrl, `CREATE DATABASE ${database}`);
    const url = Object.assign(new URL(adminUrl), { pathname: `/${database}` }).toString();
    await migrate(url);
    db = await new DataSource({ type: 'postgres', url }).initialize();
    const [brand] = await db.query<{ id: string }[]>(`INSERT INTO organizations (kind, name, verified) VALUES ('brand', 'Brand', true) RETURNING id`);
    brandId = brand!.id;
  });
  afterAll(async () => {
    await db.destroy();
    await admin(adminUrl, `DROP DATABASE IF EXISTS ${database} WITH (FORCE)`);
  });

  /** A line whose days 0..2 have these units free (capacity 100 each). */
  async function line(free: readonly number[]): Promise<void> {
    const [factory] = await db.query<{ id: string }[]>(`INSERT INTO organizations (kind, name, verified) VALUES ('factory', 'Mill', true) RETURNING id`);
    const [row] = await db.query<{ id: string }[]>(
      `INSERT INTO lines (factory_id, name, kind, spec, rate_per_unit, daily_capacity) VALUES ($1, 'air-jets', 'weaving', '{}', 0.01, 100) RETURNING id`,
      [factory!.id],
    );
    lineId = row!.id;
    for (const [day, units] of free.entries()) {
      await db.query(`INSERT INTO capacity_days (line_id, day, capacity, reserved) VALUES ($1, $2, 100, $3)`, [lineId, addDays(TODAY, day), 100 - units]);
    }
  }

  const reservedNow = async (): Promise<number[]> =>
    (await db.query<{ reserved: string }[]>(`SELECT reserved FROM capacity_days WHERE line_id = $1 ORDER BY day`, [lineId])).map((r) => Number(r.reserved));

  /** A pending order, with the allocation it is planned to get on the line. */
  async function planned(days: readonly { day: number; units: number }[]): Promise<NewAllocation> {
    const [order] = await db.query<{ id: string }[]>(
      `INSERT INTO orders (brand_id, kind, status, spec, quantity, earliest_start, due_date, max_splits) VALUES ($1, 'fabric', 'matching', '{}', 1, $2, $3, 3) RETURNING id`,
      [brandId, TODAY, addDays(TODAY, 5)],
    );
    const plan: PlannedAllocation = {
      lineId,
      factoryId: (await db.query<{ factory_id: string }[]>(`SELECT factory_id FROM lines WHERE id = $1`, [lineId]))[0]!.factory_id,
      quantity: 1,
      demand: days.reduce((s, d) => s + d.units, 0),
      days,
      startDay: days[0]!.day,
      endDay: days[days.length - 1]!.day,
      price: 1,
      score: 0.5,
      scoreParts: { splits: 1, slack: 0.5, price: 0.5, record: 0.5, loadSpread: 0.5 },
    };
    return { id: randomUUID(), orderId: order!.id, plan, status: 'offered', expiresAt: null };
  }

  /** Settles the batch as a matching pass does: each order proposed, with an order.matched event. */
  const settle = async (batch: readonly NewAllocation[]): Promise<ReadonlySet<string>> => (await db.transaction((m) => settleWith(m, batch))).raced;

  const settleWith = (m: EntityManager, batch: readonly NewAllocation[], unlocked: readonly { orderId: string; version: string }[] = []): Promise<SettleResult> =>
    settleMatches(
      m,
      TODAY,
      batch,
      batch.map((a) => ({ orderId: a.orderId, status: 'proposed' as const, explanation: { summary: 'test', plannedAt: new Date().toISOString() } })),
      batch.map((a): DomainEvent => ({ type: 'order.matched', orderId: a.orderId, audience: [brandId], payload: { orderId: a.orderId, status: 'proposed', allocations: [] } })),
      unlocked,
    );

  /** Each order's row version now, as the matcher reads it without a lock. */
  const versions = async (batch: readonly NewAllocation[]): Promise<{ orderId: string; version: string }[]> =>
    db.query(`SELECT o.id AS "orderId", o.xmin::text AS version FROM unnest($1::uuid[]) WITH ORDINALITY AS x(id, n) JOIN orders o ON o.id = x.id ORDER BY x.n`, [batch.map((a) => a.orderId)]);

  /** What is written for each order: its status, its allocations' units, its events. */
  const written = async (batch: readonly NewAllocation[]): Promise<{ status: string; units: number; events: number }[]> =>
    db.query(
      `SELECT o.status,
              (SELECT coalesce(sum(d.units), 0)::int FROM allocations a JOIN allocation_days d ON d.allocation_id = a.id WHERE a.order_id = o.id) AS units,
              (SELECT count(*)::int FROM events e WHERE e.order_id = o.id) AS events
       FROM unnest($1::uuid[]) WITH ORDINALITY AS x(id, n) JOIN orders o ON o.id = x.id ORDER BY x.n`,
      [batch.map((a) => a.orderId)],
    );

  it('keeps the orders whose cells were free and writes nothing of the one that lost a cell', async () => {
    await line([20, 100, 4]);
    const before = await reservedNow();
    const batch = [await planned([{ day: 0, units: 10 }]), await planned([{ day: 1, units: 30 }, { day: 2, units: 5 }])];
    const lost = await settle(batch);
    expect([...lost]).toEqual([batch[1]!.orderId]);
    // A holds its 10 on day 0; B took nothing, not even day 1, which had room.
    expect(await reservedNow()).toEqual([before[0]! + 10, before[1]!, before[2]!]);
    expect(await written(batch)).toEqual([{ status: 'proposed', units: 10, events: 1 }, { status: 'matching', units: 0, events: 0 }]);
  });

  it('lets two orders of a batch on one cell keep it together when their sum fits, and lose it together when not', async () => {
    await line([50, 50, 50]);
    const before = await reservedNow();
    const fitting = [await planned([{ day: 0, units: 20 }]), await planned([{ day: 0, units: 30 }])];
    expect((await settle(fitting)).size).toBe(0);
    expect(await reservedNow()).toEqual([before[0]! + 50, before[1]!, before[2]!]);
    expect((await written(fitting)).map((w) => w.units)).toEqual([20, 30]);

    const crowded = [await planned([{ day: 0, units: 1 }, { day: 1, units: 10 }]), await planned([{ day: 0, units: 1 }]), await planned([{ day: 2, units: 50 }])];
    const lost = await settle(crowded);
    expect([...lost].sort()).toEqual([crowded[0]!.orderId, crowded[1]!.orderId].sort());
    expect(await reservedNow()).toEqual([before[0]! + 50, before[1]!, before[2]! + 50]);
    expect((await written(crowded)).map((w) => w.status)).toEqual(['matching', 'matching', 'proposed']);
  });

  it('read without locks: writes nothing for an order written since it was read, and keeps the others', async () => {
    await line([100, 100, 100]);
    const before = await reservedNow();
    const batch = [await planned([{ day: 0, units: 10 }]), await planned([{ day: 1, units: 20 }])];
    const read = await versions(batch);
    // Someone else's write to the second order after the matcher read it (a cancel, another matcher).
    await db.query(`UPDATE orders SET status = 'cancelled' WHERE id = $1`, [batch[1]!.orderId]);
    const result = await settleWith(db.manager, batch, read);
    expect([...result.changed]).toEqual([batch[1]!.orderId]);
    expect(result.raced.size).toBe(0);
    expect(await reservedNow()).toEqual([before[0]! + 10, before[1]!, before[2]!]);
    expect(await written(batch)).toEqual([{ status: 'proposed', units: 10, events: 1 }, { status: 'cancelled', units: 0, events: 0 }]);
  });

  it('read without locks: of two matchers settling the same orders at once, one writes them and the other nothing', async () => {
    await line([100, 100, 100]);
    const before = await reservedNow();
    const orders = [await planned([{ day: 0, units: 10 }]), await planned([{ day: 1, units: 10 }])];
    const read = await versions(orders);
    // The second matcher planned the same orders on other days, from the same reads.
    const rival = orders.map((a, i) => ({ ...a, id: randomUUID(), plan: { ...a.plan, days: [{ day: 2, units: 5 + i }], startDay: 2, endDay: 2 } }));
    const results = await Promise.all([settleWith(db.manager, orders, read), settleWith(db.manager, rival, read)]);
    expect(results.map((r) => r.changed.size).sort()).toEqual([0, 2]);
    const winner = results[0].changed.size === 0 ? 0 : 1;
    const after = await reservedNow();
    expect(after).toEqual(winner === 0 ? [before[0]! + 10, before[1]! + 10, before[2]!] : [before[0]!, before[1]!, before[2]! + 11]);
    expect((await written(orders)).map((w) => [w.status, w.events])).toEqual([['proposed', 1], ['proposed', 1]]);
    const [count] = await db.query<{ n: number }[]>(`SELECT count(*)::int AS n FROM allocations WHERE order_id = ANY($1::uuid[])`, [orders.map((a) => a.orderId)]);
    expect(count?.n).toBe(2);
  });
});
