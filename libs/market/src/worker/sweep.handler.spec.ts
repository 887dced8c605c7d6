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
});
