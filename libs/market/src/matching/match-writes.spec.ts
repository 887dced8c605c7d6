import { randomBytes, randomUUID } from 'node:crypto';
import type { PlannedAllocation } from '@cloudloom/matching';
import { migrate } from '@cloudloom/persistence';
import { Client } from 'pg';
import { DataSource } from 'typeorm';
import { inject } from 'vitest';
import { addDays } from '../core/clock';
import { type NewAllocation, reserveOrders } from './match-writes';

/**
 * The ledger step of a matching batch on a real PostgreSQL (its own database): orders that lost
 * a cell to another matcher hold nothing afterwards, the others keep exactly theirs.
 */
const TODAY = '2026-12-01';
const admin = async (url: string, sql: string): Promise<void> => {
  const client = new Client({ connectionString: url });
  await client.connect();
  try {
    await client.query(sql);
  } finally {
    await client.end();
  }
};

describe('reserveOrders', () => {
  const adminUrl = inject('adminDatabaseUrl');
  const database = `cloudloom_ledger_${randomBytes(4).toString('hex')}`;
  let db: DataSource;
  let lineId: string;

  beforeAll(async () => {
    await admin(adminUrl, `CREATE DATABASE ${database}`);
    const url = Object.assign(new URL(adminUrl), { pathname: `/${database}` }).toString();
    await migrate(url);
    db = await new DataSource({ type: 'postgres', url }).initialize();
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

  function allocation(orderId: string, days: readonly { day: number; units: number }[]): NewAllocation {
    const plan: PlannedAllocation = {
      lineId,
      factoryId: randomUUID(),
      quantity: 1,
      demand: days.reduce((s, d) => s + d.units, 0),
      days,
      startDay: days[0]!.day,
      endDay: days[days.length - 1]!.day,
      price: 1,
      score: 0.5,
      scoreParts: { splits: 1, slack: 0.5, price: 0.5, record: 0.5, loadSpread: 0.5 },
    };
    return { id: randomUUID(), orderId, plan, status: 'offered', expiresAt: null };
  }

  it('keeps the orders whose cells were free and gives back everything of the one that lost a cell', async () => {
    await line([20, 100, 4]);
    const before = await reservedNow();
    const lost = await db.transaction((m) =>
      reserveOrders(m, TODAY, [allocation('A', [{ day: 0, units: 10 }]), allocation('B', [{ day: 1, units: 30 }, { day: 2, units: 5 }])]),
    );
    expect([...lost]).toEqual(['B']);
    // A holds its 10 on day 0; B's 30 on day 1 were taken and given back; day 2 never moved.
    expect(await reservedNow()).toEqual([before[0]! + 10, before[1]!, before[2]!]);
  });

  it('lets two orders of a batch on one cell keep it together when their sum fits, and lose it together when not', async () => {
    await line([50, 50, 50]);
    const before = await reservedNow();
    const fits = await db.transaction((m) => reserveOrders(m, TODAY, [allocation('A', [{ day: 0, units: 20 }]), allocation('B', [{ day: 0, units: 30 }])]));
    expect(fits.size).toBe(0);
    expect(await reservedNow()).toEqual([before[0]! + 50, before[1]!, before[2]!]);

    const lost = await db.transaction((m) =>
      reserveOrders(m, TODAY, [allocation('C', [{ day: 0, units: 1 }, { day: 1, units: 10 }]), allocation('D', [{ day: 0, units: 1 }]), allocation('E', [{ day: 2, units: 50 }])]),
    );
    expect([...lost].sort()).toEqual(['C', 'D']);
    expect(await reservedNow()).toEqual([before[0]! + 50, before[1]!, before[2]! + 50]);
  });
});
