import { addDays } from '../core/clock';
import type { Principal } from '../identity/principal';
import { serviceFixture, type ServiceFixture } from '../testing/service-fixture';
import { SweepHandler } from './sweep.handler';

/** The sweep on a real PostgreSQL: what the queue may have lost is found in the tables and put back. */
describe('SweepHandler', () => {
  let f: ServiceFixture;
  let sweep: SweepHandler;
  let brand: Principal;

  beforeAll(async () => {
    f = await serviceFixture();
    sweep = f.module.get(SweepHandler);
    brand = await f.organization('brand');
  });
  afterAll(() => f.close());

  it('re-queues orders left waiting, expires overdue ones and offers past their time, and opens the ledger horizon', async () => {
    const waiting = await f.order(brand, 10);
    const fresh = await f.order(brand, 10);
    await f.sql(`UPDATE orders SET updated_at = now() - interval '1 minute' WHERE id = $1`, [waiting]);
    const overdue = await f.order(brand, 10);
    await f.sql(`UPDATE orders SET status = 'unmatched', earliest_start = $2, due_date = $2 WHERE id = $1`, [overdue, addDays(f.today, -1)]);
    const factory = await f.organization('factory');
    const line = await f.line(factory, 100, 3);
    const offered = await f.order(brand, 10);
    const offer = await f.offer(offered, factory, line, { units: 25, expiresAt: new Date(Date.now() - 1_000) });

    const report = await sweep.run(30);

    expect(report).toMatchObject({ requeued: 1, ordersExpired: 1, offersExpired: 1 });
    expect(report.ledgerDaysAdded).toBeGreaterThan(0);
    const ids = (await f.jobs('matching')).map((j) => j.id);
    expect(ids).toContain(`match.${waiting}`);
    expect(ids).not.toContain(`match.${fresh}`);
    expect(await f.sql(`SELECT status FROM orders WHERE id = $1`, [overdue])).toEqual([{ status: 'expired' }]);
    expect(await f.sql(`SELECT type FROM events WHERE order_id = $1`, [overdue])).toEqual([{ type: 'order.expired' }]);
    expect(await f.sql(`SELECT status FROM allocations WHERE id = $1`, [offer])).toEqual([{ status: 'expired' }]);
    expect(await f.sql(`SELECT reserved::int FROM capacity_days WHERE line_id = $1 AND day = $2`, [line, f.today])).toEqual([{ reserved: 0 }]);
    const [{ days }] = (await f.sql<{ days: number }>(`SELECT count(*)::int AS days FROM capacity_days WHERE line_id = $1`, [line])) as [{ days: number }];
    expect(days).toBeGreaterThan(3);
  });

  it('does nothing a second time', async () => {
    const report = await sweep.run(30);
    expect(report).toMatchObject({ ordersExpired: 0, offersExpired: 0, ledgerDaysAdded: 0 });
  });

  /** A proposed style of 100 dresses: its weaving running today with `woven` of 206 m reported, its sewing offered in two days. */
  async function styleUnderway(woven: number): Promise<{ orderId: string; weaving: string; sewing: string }> {
    const factory = await f.organization('factory');
    const [looms, sewingLine] = [await f.line(factory, 1000, 10), await f.line(factory, 1000, 10)];
    const [row] = await f.sql<{ id: string }>(
      `INSERT INTO orders (brand_id, kind, status, spec, style, quantity, earliest_start, due_date, max_splits)
       VALUES ($1, 'style', 'proposed', $2, $3, 100, $4, $5, 2) RETURNING id`,
      [
        brand.organizationId, { kind: 'garment', garment: { category: 'dress', fabricType: 'woven', samMinutes: 40 } },
        { fabric: { fiber: 'cotton', weave: 'plain', widthCm: 150, picksPerCm: 30 }, fabricPerPieceM: 2, wastagePct: 3, transitDays: 2, maxSplits: null }, f.today, addDays(f.today, 30),
      ],
    );
    const orderId = row!.id;
    const weaving = await f.offer(orderId, factory, looms, { units: 100 });
    const sewing = await f.offer(orderId, factory, sewingLine, { units: 100 });
    await f.sql(`UPDATE allocations SET stage = 'weaving', quantity = 206, status = 'in_production', produced_quantity = $2, expires_at = NULL WHERE id = $1`, [weaving, woven]);
    await f.sql(`UPDATE allocations SET stage = 'sewing', quantity = 100, start_date = $2, end_date = $2 WHERE id = $1`, [sewing, addDays(f.today, 2)]);
    await f.sql(`UPDATE orders SET status = 'proposed' WHERE id = $1`, [orderId]);
    return { orderId, weaving, sewing };
  }

  it('sends back to the matcher a style whose weaving pace now ends too late for its sewing, and leaves one on pace', async () => {
    // 2 m of 206 reported since the day began: weeks to go, long past the sewing's start in two days.
    const late = await styleUnderway(2);
    // 205 of 206: done today, in time for the sewing.
    const onPace = await styleUnderway(205);

    const report = await sweep.run(30);

    expect(report.lateChains).toBe(1);
    expect(await f.sql(`SELECT id, status FROM orders WHERE id = ANY($1::uuid[]) ORDER BY status`, [[late.orderId, onPace.orderId]]))
      .toEqual([{ id: late.orderId, status: 'pending' }, { id: onPace.orderId, status: 'proposed' }]);
    const ids = (await f.jobs('matching')).map((j) => j.id);
    expect(ids).toContain(`match.${late.orderId}`);
    expect(ids).not.toContain(`match.${onPace.orderId}`);
    // The matcher re-plans; the sweep moved no work.
    expect(await f.sql(`SELECT status FROM allocations WHERE id = ANY($1::uuid[]) ORDER BY stage DESC`, [[late.weaving, late.sewing]])).toEqual([{ status: 'in_production' }, { status: 'offered' }]);
    expect((await sweep.run(30)).lateChains).toBe(0);
  });
});
