import { WAKE_LIMIT } from '@cloudloom/market';
import { startTestApp, type TestApp } from '../support/harness';
import { FAST_RECOVERY, linenOrders } from '../support/faults';
import { addLine, signup } from '../support/market';

/**
 * A brand's orders wait for a kind of line nobody runs yet; then a mill publishes one. Every order
 * must be planned again on it: the platform's first line is part of the market at once (the
 * snapshot's change cursor once skipped change number 1, so the first line of a platform stayed
 * invisible to the matcher until its next full reload), and a backlog larger than one wake-up's
 * bound (WAKE_LIMIT) is worked through in steps instead of waiting for the line's next change.
 */
describe('a backlog waiting for the first line of its kind', () => {
  let t: TestApp;
  beforeAll(async () => {
    t = await startTestApp(FAST_RECOVERY);
  });
  afterAll(async () => {
    await t.close();
  });

  it('is planned again on the new line, all of it, in steps of the bound', async () => {
    const backlog = WAKE_LIMIT + 100;
    const brand = await signup(t, { kind: 'brand', name: 'Panyu Studio' });
    const orders = linenOrders(backlog, 7);
    for (let i = 0; i < orders.length; i += 100) {
      const res = await t.request('POST', '/orders/batch', { key: brand.key, body: { orders: orders.slice(i, i + 100) } });
      expect(res.status).toBe(202);
    }
    await expect.poll(async () => (await t.sql<{ n: number }>(`SELECT count(*)::int AS n FROM orders WHERE status = 'unmatched'`))[0]!.n, { timeout: 60_000, interval: 100 }).toBe(backlog);
    const [{ before }] = (await t.sql<{ before: Date }>('SELECT clock_timestamp() AS before')) as [{ before: Date }];

    const mill = await signup(t, { kind: 'factory', name: 'Haining Linen Mill' });
    await addLine(t, mill.key, { kind: 'weaving', name: 'rapiers', machineType: 'rapier', machines: 80, rpm: 500, maxWidthCm: 220, ratePerUnit: 0.01 });

    // Every order the line has a free day for is planned again: none keeps a verdict older than the line.
    const stale = async (): Promise<number> =>
      (
        await t.sql<{ n: number }>(
          `SELECT count(*)::int AS n FROM orders o WHERE o.updated_at < $1 AND o.status IN ('unmatched', 'partial')
             AND EXISTS (SELECT 1 FROM capacity_days c WHERE c.capacity > c.reserved AND c.day BETWEEN o.earliest_start AND o.due_date)`,
          [before],
        )
      )[0]!.n;
    await expect.poll(stale, { timeout: 60_000, interval: 200 }).toBe(0);
    // The line is large enough for most of the backlog, so the first wake-up meets its bound and
    // its continuation must take the rest.
    const [counts] = await t.sql<{ matched: number; fresh: number; noLine: number }>(
      `SELECT count(*) FILTER (WHERE status <> 'unmatched')::int AS matched,
              count(*) FILTER (WHERE updated_at >= $1)::int AS fresh,
              count(*) FILTER (WHERE explanation->'reasons' @> '[{"code": "NO_CAPABLE_LINE"}]')::int AS "noLine"
         FROM orders`,
      [before],
    );
    console.log(`first line: ${backlog} orders waiting; after it ${counts!.fresh} planned again, ${counts!.matched} matched, ${counts!.noLine} still told no line weaves them`);
    expect(counts!.fresh).toBeGreaterThan(WAKE_LIMIT);
    expect(counts!.matched).toBeGreaterThan(0);
    expect(counts!.noLine).toBe(0);
  }, 180_000);
});
