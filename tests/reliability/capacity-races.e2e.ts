import { auditLedger } from '../support/ledger';
import { inDays, startTestApp, type TestApp } from '../support/harness';
import { addLine, signup } from '../support/market';
import { loomLine } from '../telemetry/support';

/** The books are exact: nothing over-reserved, the ledger is what the allocations hold. */
async function expectCleanLedger(t: TestApp): Promise<void> {
  const audit = await auditLedger(t);
  expect({ overReserved: audit.overReserved, ledgerMismatches: audit.ledgerMismatches, allocationMismatches: audit.allocationMismatches, wrongTotals: audit.wrongTotals }).toEqual({
    overReserved: 0, ledgerMismatches: 0, allocationMismatches: 0, wrongTotals: 0,
  });
}

const fabric = (fiber: string, quantity: number, day: string): Record<string, unknown> => ({
  kind: 'fabric', fabric: { fiber, weave: 'plain', widthCm: 150, picksPerCm: 30 }, quantity, earliestStart: day, dueDate: day,
});

/**
 * Line edits racing the factory floor and the matcher on the same line. The edit locks the line
 * (without blocking the matcher's foreign-key checks on it), then the orders, then the ledger
 * cells in (line, day) order, and decides only on what it read under those locks.
 */
describe('line edits racing progress reports and the matcher', () => {
  let t: TestApp;
  beforeAll(async () => {
    t = await startTestApp({ RATE_LIMIT_PER_KEY: '1000000' });
  });
  afterAll(async () => {
    await t.close();
  });

  it('an availability edit racing progress reports never cancels running production (50 races)', async () => {
    const mill = await signup(t, { kind: 'factory', name: 'Racing Linen Mill', autoAccept: true });
    const line = await addLine(t, mill.key, loomLine(['linen'], 4));
    const brand = await signup(t, { kind: 'brand', name: 'Racing Linen Brand' });
    const perRound = 6;
    const outcomes = { edit200: 0, edit409: 0, progress200: 0, progress409: 0 };
    for (let round = 0; round < 50; round++) {
      // Six accepted allocations on one day of their own (300,000 picks each; the day holds 2,244,000).
      const day = inDays(round + 1);
      const posted = await t.request<{ items: { id: string }[] }>('POST', '/orders/batch', { key: brand.key, body: { orders: Array.from({ length: perRound }, () => fabric('linen', 100, day)) } });
      expect(posted.status).toBe(202);
      const orderIds = posted.body.items.map((o) => o.id);
      await expect.poll(async () => (await t.sql<{ n: number }>(`SELECT count(*)::int AS n FROM orders WHERE id = ANY($1::uuid[]) AND status = 'confirmed'`, [orderIds]))[0]!.n, { timeout: 15_000, interval: 20 }).toBe(perRound);
      const allocations = await t.sql<{ id: string }>(`SELECT id FROM allocations WHERE order_id = ANY($1::uuid[]) AND status = 'accepted' ORDER BY id`, [orderIds]);
      expect(allocations).toHaveLength(perRound);

      // The floor reports 5 m woven on each while the factory closes that day.
      const [edit, ...reports] = await Promise.all([
        t.request('PUT', `/lines/${line.id}/availability`, { key: mill.key, body: { days: [{ date: day, fraction: 0 }] } }),
        ...allocations.map((a) => t.request('POST', `/allocations/${a.id}/progress`, { key: mill.key, body: { producedQuantity: 5 } })),
      ]);
      expect([200, 409]).toContain(edit.status);
      outcomes[edit.status === 200 ? 'edit200' : 'edit409']++;
      for (const r of reports) {
        expect([200, 409]).toContain(r.status);
        outcomes[r.status === 200 ? 'progress200' : 'progress409']++;
      }
      // What was reported woven is still running; nothing with produced units was cancelled.
      const after = await t.sql<{ id: string; status: string; produced: number }>(
        `SELECT id, status, produced_quantity AS produced FROM allocations WHERE order_id = ANY($1::uuid[]) ORDER BY id`, [orderIds],
      );
      const reported = new Set(allocations.filter((_, i) => reports[i]!.status === 200).map((a) => a.id));
      expect(after.filter((a) => a.produced > 0 && a.status !== 'in_production')).toEqual([]);
      expect(after.filter((a) => reported.has(a.id)).map((a) => [a.status, a.produced])).toEqual([...reported].map(() => ['in_production', 5]));
      // An edit that went through released only work that had not started, and its day is closed.
      if (edit.status === 200) expect(reported.size).toBe(0);
      const orders = await t.sql<{ status: string }>(`SELECT status FROM orders WHERE id = ANY($1::uuid[])`, [orderIds]);
      expect(orders.filter((o) => o.status === 'in_production')).toHaveLength(reported.size);
    }
    console.log(`progress/availability races: 50 rounds of ${perRound} reports + 1 edit → ${JSON.stringify(outcomes)}`);
    await expect.poll(async () => (await t.sql<{ n: number }>(`SELECT count(*)::int AS n FROM orders WHERE status IN ('pending', 'matching')`))[0]!.n, { timeout: 15_000 }).toBe(0);
    await expectCleanLedger(t);
  }, 240_000);

  it('line edits while a brand floods orders only that line can make: no 5xx', async () => {
    const mill = await signup(t, { kind: 'factory', name: 'Busy Silk Mill', autoAccept: true });
    const line = await addLine(t, mill.key, loomLine(['silk'], 40));
    const brand = await signup(t, { kind: 'brand', name: 'Flooding Silk Brand' });
    // 1,000 small orders over the next three weeks, posted 100 at a time, 4 posts in flight.
    let posted = 0;
    const flood = async (): Promise<void> => {
      while (posted < 10) {
        const i = posted++;
        const res = await t.request('POST', '/orders/batch', {
          key: brand.key, body: { orders: Array.from({ length: 100 }, (_, j) => ({ ...fabric('silk', 20 + ((i * 100 + j) % 50), inDays(1 + ((i * 100 + j) % 21))), earliestStart: inDays(0) })) },
        });
        expect(res.status).toBe(202);
      }
    };
    // Meanwhile the factory edits the line: its machines and its days, three edits in flight.
    const statuses: number[] = [];
    let edits = 0;
    const edit = async (): Promise<void> => {
      while (edits < 60) {
        const i = edits++;
        const res = i % 2 === 0
          ? await t.request('PATCH', `/lines/${line.id}`, { key: mill.key, body: { machines: 40 + (i % 4) } })
          : await t.request('PUT', `/lines/${line.id}/availability`, { key: mill.key, body: { days: [{ date: inDays(1 + (i % 21)), fraction: i % 4 === 1 ? 0.5 : 1 }] } });
        statuses.push(res.status);
      }
    };
    await Promise.all([...Array.from({ length: 4 }, flood), ...Array.from({ length: 3 }, edit)]);
    const byStatus = statuses.reduce<Record<number, number>>((acc, s) => ({ ...acc, [s]: (acc[s] ?? 0) + 1 }), {});
    const [settled] = await t.sql<{ allocations: number }>(`SELECT count(*)::int AS allocations FROM allocations WHERE line_id = $1`, [line.id]);
    console.log(`edits under matcher load: ${statuses.length} edits → ${JSON.stringify(byStatus)}; ${settled!.allocations} allocations on the line by the end of the edits`);
    expect(statuses).toHaveLength(60);
    expect(statuses.filter((s) => s >= 500)).toEqual([]);
    // Nothing here runs in production, so every edit goes through.
    expect(byStatus).toEqual({ 200: 60 });
    // The matcher was really working that line while it was edited.
    expect(settled!.allocations).toBeGreaterThan(100);
    await expect.poll(async () => (await t.sql<{ n: number }>(`SELECT count(*)::int AS n FROM orders WHERE status IN ('pending', 'matching')`))[0]!.n, { timeout: 60_000, interval: 200 }).toBe(0);
    await expectCleanLedger(t);
  }, 240_000);
});
