import { inDays, startTestApp, type TestApp } from '../support/harness';
import { addLine, airJetLine, signup } from '../support/market';
import { auditClean, order, sewingLine, styleOrder, type StyleOrderView } from './support';

interface PostedOrder {
  id: string;
}

/**
 * Styles posted together are planned together (DESIGN.md §8, `planChainBatch`). The market is the
 * planner's own case: a cheap sewing line makes both categories but is open two days only, 6,000
 * minutes in all; a dearer one makes only the first category, every day from the third. 100 pieces
 * of the first (2,000 minutes) are due on day 6, 300 of the second (6,000 minutes) on day 8.
 * Chain by chain, the first takes the cheap line and the second finds no sewing.
 */
describe('style orders of one bulk post planned together', () => {
  let t: TestApp;
  let brand: { id: string; key: string };
  let sewer: { id: string; key: string };

  /** The two sewing lines for a pair of categories; both closed before day 2, the cheap one after day 3. */
  const market = async (small: string, large: string): Promise<{ cheap: string; dear: string }> => {
    const cheap = await addLine(t, sewer.key, { ...sewingLine(small), name: `${small} and ${large}`, categories: [small, large], operators: 10, minutesPerDay: 500, ratePerUnit: 0.3 });
    const dear = await addLine(t, sewer.key, { ...sewingLine(small), name: `${small} only` });
    expect(cheap.dailyCapacity).toBe(3000);
    const closed = (days: readonly number[]): { days: { date: string; fraction: number }[] } => ({ days: days.map((d) => ({ date: inDays(d), fraction: 0 })) });
    expect((await t.request('PUT', `/lines/${cheap.id}/availability`, { key: sewer.key, body: closed([0, 1, 4, 5, 6, 7, 8, 9, 10]) })).status).toBe(200);
    expect((await t.request('PUT', `/lines/${dear.id}/availability`, { key: sewer.key, body: closed([0, 1]) })).status).toBe(200);
    return { cheap: cheap.id, dear: dear.id };
  };
  const style = (category: string, quantity: number, due: number, over: Record<string, unknown> = {}): Record<string, unknown> => styleOrder({
    garment: { category, fabricType: 'woven', samMinutes: 20 }, fabric: { fiber: 'cotton', weave: 'plain', widthCm: 160, picksPerCm: 20 }, fabricPerPieceM: 1.2,
    finishing: undefined, quantity, dueDate: inDays(due), transitDays: 1, maxSplits: 1, ...over,
  });
  const settled = async (id: string): Promise<StyleOrderView> => {
    let last: StyleOrderView | undefined;
    await expect.poll(async () => {
      last = await order(t, brand.key, id);
      return last.status;
    }, { timeout: 20_000, interval: 50 }).not.toMatch(/^(pending|matching)$/);
    return last!;
  };
  const sewingLines = (o: StyleOrderView): string[] => o.stages.find((s) => s.kind === 'sewing')!.allocations.map((a) => a.lineId);

  beforeAll(async () => {
    t = await startTestApp();
    brand = await signup(t, { kind: 'brand', name: 'Guangzhou Batch Studio' });
    const mill = await signup(t, { kind: 'factory', name: 'Foshan Weaving' });
    sewer = await signup(t, { kind: 'factory', name: 'Panyu Garments' });
    await addLine(t, mill.key, airJetLine);
  });
  afterAll(async () => {
    await t.close();
  });

  it('one at a time, the first style takes the cheap line and the second finds no sewing', async () => {
    const lines = await market('jacket', 'coat');
    const first = await t.request<PostedOrder>('POST', '/orders', { key: brand.key, body: style('jacket', 100, 6) });
    expect(first.status).toBe(202);
    const jackets = await settled(first.body.id);
    expect(jackets.status).toBe('proposed');
    expect(sewingLines(jackets)).toEqual([lines.cheap]);
    const second = await t.request<PostedOrder>('POST', '/orders', { key: brand.key, body: style('coat', 300, 8) });
    const coats = await settled(second.body.id);
    expect(coats.status).toBe('unmatched');
    expect(coats.explanation.failedStage?.kind).toBe('sewing');
  });

  it('posted together, both styles are served: the small one on the dear line, each whole, within its target price', async () => {
    const lines = await market('shirt', 'dress');
    const res = await t.request<{ items: PostedOrder[] }>('POST', '/orders/batch', { key: brand.key, body: { orders: [style('shirt', 100, 6), style('dress', 300, 8, { targetPrice: 100_000 })] } });
    expect(res.status).toBe(202);
    const [shirtId, dressId] = res.body.items.map((o) => o.id) as [string, string];
    const [shirts, dresses] = [await settled(shirtId), await settled(dressId)];
    expect([shirts.status, dresses.status]).toEqual(['proposed', 'proposed']);
    expect(sewingLines(shirts)).toEqual([lines.dear]);
    expect(sewingLines(dresses)).toEqual([lines.cheap]);
    // Every stage held, each after the one before plus transit, by the due date.
    for (const [o, due] of [[shirts, inDays(6)], [dresses, inDays(8)]] as const) {
      expect(o.stages.map((s) => [s.kind, s.status, s.allocations.length])).toEqual([['weaving', 'offered', 1], ['sewing', 'offered', 1]]);
      expect(o.stages[1]!.startDate! > o.stages[0]!.endDate!).toBe(true);
      expect(o.stages[1]!.endDate! <= due).toBe(true);
      expect(o.explanation.summary).toMatch(/^chain planned: weaving \d{4}-\d{2}-\d{2} to \d{4}-\d{2}-\d{2}, sewing /);
    }
    const agreed = await t.sql<{ id: string; agreed: string }>(`SELECT id, agreed_price::text AS agreed FROM orders WHERE id = $1`, [dressId]);
    expect(Number(agreed[0]!.agreed)).toBeGreaterThan(0);
    expect(Number(agreed[0]!.agreed)).toBeLessThanOrEqual(100_000);
    // The events a chain planned alone tells: matched to the brand and both factories, an offer per allocation.
    const events = await t.sql<{ order_id: string; type: string; n: number }>(
      `SELECT order_id, type, count(*)::int AS n FROM events WHERE order_id = ANY($1::uuid[]) AND type IN ('order.matched', 'offer.created') GROUP BY order_id, type ORDER BY order_id, type`,
      [[shirtId, dressId]],
    );
    expect(events.map((e) => [e.order_id, e.type, e.n])).toEqual(
      [[shirtId, 'offer.created', 2], [shirtId, 'order.matched', 1], [dressId, 'offer.created', 2], [dressId, 'order.matched', 1]].sort((a, b) => String(a[0]).localeCompare(String(b[0]))),
    );
    await auditClean(t);
  });
});
