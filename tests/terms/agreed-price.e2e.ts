import { inDays, OPERATOR_KEY, startTestApp, type TestApp } from '../support/harness';
import { addLine, airJetLine, orderSettled, signup } from '../support/market';

/**
 * DESIGN.md §9: the price a brand agreed holds. Each test weaves its own fibre on its own mills
 * (rapier looms narrowed to that fibre), so the tests share the app but not a market.
 */
interface Order {
  id: string;
  status: string;
  agreedPrice?: number;
  priceTolerancePct: number;
  approval?: { price: number; agreedPrice: number; completes: string; reason: string; expiresAt: string };
  allocations: { id: string; lineId: string; status: string; price: number }[];
  explanation: { summary: string; reasons?: { code: string; message: string }[]; closestMiss?: { cheapestPrice?: number } } | null;
}

// 2,000 m at 30 picks/cm: 6,000,000 picks, so CNY 60 at 0.01 and CNY 180 at 0.03 per 1,000 picks.
const order = (fiber: string, extra: Record<string, unknown> = {}) => ({
  kind: 'fabric', fabric: { fiber, weave: 'plain', widthCm: 150, picksPerCm: 30 }, quantity: 2000, dueDate: inDays(20), ...extra,
});

async function market(t: TestApp, fiber: string, dearRate = 0.03) {
  const cheap = await signup(t, { kind: 'factory', name: `Cheap ${fiber} mill` });
  const dear = await signup(t, { kind: 'factory', name: `Dear ${fiber} mill` });
  const line = { ...airJetLine, machineType: 'rapier', fibers: [fiber] };
  const cheapLine = await addLine(t, cheap.key, { ...line, ratePerUnit: 0.01 });
  const dearLine = await addLine(t, dear.key, { ...line, ratePerUnit: dearRate });
  const brand = await signup(t, { kind: 'brand', name: `${fiber} brand` });
  return { cheap, dear, cheapLine, dearLine, brand };
}

const get = async (t: TestApp, key: string, id: string): Promise<Order> => (await t.request<Order>('GET', `/orders/${id}`, { key })).body;

async function settled(t: TestApp, key: string, id: string, waiting: readonly string[] = ['pending', 'matching']): Promise<Order> {
  return (await orderSettled(t, key, id, waiting)) as unknown as Order;
}

/** Posts an order, sees it offered on the cheap line, and has that mill reject it. */
async function rejectedOnce(t: TestApp, m: Awaited<ReturnType<typeof market>>, body: Record<string, unknown>): Promise<{ id: string; first: Order }> {
  const posted = await t.request<Order>('POST', '/orders', { key: m.brand.key, body });
  expect(posted.status).toBe(202);
  const first = await settled(t, m.brand.key, posted.body.id);
  expect(first.allocations.map((a) => [a.lineId, a.status])).toEqual([[m.cheapLine.id, 'offered']]);
  expect((await t.request('POST', `/offers/${first.allocations[0]!.id}/reject`, { key: m.cheap.key, body: { reason: 'looms booked' } })).status).toBe(200);
  return { id: posted.body.id, first };
}

const eventsOf = (t: TestApp, orderId: string) =>
  t.sql<{ type: string; payload: Record<string, unknown> }>(`SELECT type, payload FROM events WHERE order_id = $1 ORDER BY id`, [orderId]);

const reservedOn = async (t: TestApp, lineId: string): Promise<number> =>
  Number((await t.sql<{ r: string }>(`SELECT coalesce(sum(reserved), 0)::text AS r FROM capacity_days WHERE line_id = $1`, [lineId]))[0]!.r);

describe('agreed price', () => {
  let t: TestApp;
  beforeAll(async () => {
    // A sweep every second, so a lapsed approval is seen within the poll.
    t = await startTestApp({ SWEEP_EVERY_MS: '1000' });
  });
  afterAll(async () => {
    await t.close();
  });

  it('holds a target price as a ceiling: a dearer line is never offered, and the miss names the cheapest price', async () => {
    const m = await market(t, 'wool');
    const { id } = await rejectedOnce(t, m, order('wool', { targetPrice: 100 }));
    const after = await settled(t, m.brand.key, id, ['pending', 'matching', 'proposed']);
    expect(after.status).toBe('unmatched');
    expect(after.agreedPrice).toBe(100);
    expect(after.explanation?.reasons?.map((r) => r.code)).toEqual(['PRICE_ABOVE_TARGET']);
    expect(after.explanation?.closestMiss?.cheapestPrice).toBe(180);
    expect(after.allocations.filter((a) => a.lineId === m.dearLine.id)).toEqual([]);
    expect(await reservedOn(t, m.dearLine.id)).toBe(0);

    // Below every line from the start: unmatched at once; a quote says the same.
    const low = await t.request<Order>('POST', '/orders', { key: m.brand.key, body: order('wool', { targetPrice: 50 }) });
    const lowSettled = await settled(t, m.brand.key, low.body.id);
    expect(lowSettled.status).toBe('unmatched');
    expect(lowSettled.explanation?.closestMiss?.cheapestPrice).toBe(60);
    const quote = await t.request<{ feasible: boolean; reasons: { code: string }[]; closestMiss: { cheapestPrice?: number } }>('POST', '/quotes', { key: m.brand.key, body: order('wool', { targetPrice: 50 }) });
    expect(quote.body).toMatchObject({ feasible: false, reasons: [{ code: 'PRICE_ABOVE_TARGET' }], closestMiss: { cheapestPrice: 60 } });
  });

  it('asks the brand before a dearer re-plan: awaiting_approval with price, date and reason, then approve offers it', async () => {
    const m = await market(t, 'silk');
    const { id, first } = await rejectedOnce(t, m, order('silk'));
    expect(first.agreedPrice).toBe(60);
    const waiting = await settled(t, m.brand.key, id);
    expect(waiting.status).toBe('awaiting_approval');
    expect(waiting.approval).toMatchObject({ price: 180, agreedPrice: 60, reason: '1 factory declined', reasonCode: 'WORK_LOST', reasonParams: { declined: 1, expired: 0, released: 0 } });
    expect(waiting.approval!.completes <= inDays(20)).toBe(true);
    // Nothing reserved or offered while the brand decides.
    expect(await reservedOn(t, m.dearLine.id)).toBe(0);
    expect((await t.request<{ items: unknown[] }>('GET', '/offers', { key: m.dear.key })).body.items).toEqual([]);

    // Only the order's brand answers.
    const stranger = await signup(t, { kind: 'brand', name: 'Stranger' });
    expect((await t.request('POST', `/orders/${id}/approve`, { key: stranger.key })).status).toBe(404);
    expect((await t.request('POST', `/orders/${id}/approve`, { key: m.dear.key })).status).toBe(404);
    expect((await t.request('POST', `/orders/${id}/approve`, { key: OPERATOR_KEY })).status).toBe(404);

    const approved = await t.request<Order>('POST', `/orders/${id}/approve`, { key: m.brand.key });
    expect(approved.status).toBe(200);
    expect(approved.body.agreedPrice).toBe(180);
    const offered = await settled(t, m.brand.key, id);
    expect(offered.status).toBe('proposed');
    expect(offered.allocations.filter((a) => a.status === 'offered').map((a) => [a.lineId, a.price])).toEqual([[m.dearLine.id, 180]]);
    const types = (await eventsOf(t, id)).map((e) => e.type);
    expect(types.indexOf('order.price_approved')).toBeGreaterThan(types.indexOf('order.awaiting_approval'));
    expect(types.lastIndexOf('offer.created')).toBeGreaterThan(types.indexOf('order.price_approved'));
    // Answered once: a second answer is a conflict.
    expect((await t.request('POST', `/orders/${id}/approve`, { key: m.brand.key })).status).toBe(409);
  });

  it('declined, the order is unmatched with PRICE_ABOVE_AGREED and stays held to the agreed price', async () => {
    const m = await market(t, 'linen');
    const { id } = await rejectedOnce(t, m, order('linen'));
    expect((await settled(t, m.brand.key, id)).status).toBe('awaiting_approval');
    const declined = await t.request<Order>('POST', `/orders/${id}/decline`, { key: m.brand.key });
    expect(declined.status).toBe(200);
    expect(declined.body.status).toBe('unmatched');
    expect(declined.body.explanation?.reasons?.map((r) => r.code)).toEqual(['PRICE_ABOVE_AGREED']);
    // Planned again at once within the agreed price: still nothing, and the brand is not asked again.
    await expect.poll(async () => (await eventsOf(t, id)).filter((e) => e.type === 'order.unmatched').length, { timeout: 10_000 }).toBe(1);
    const after = await get(t, m.brand.key, id);
    expect(after.status).toBe('unmatched');
    expect(after.explanation?.reasons?.map((r) => r.code)).toEqual(['PRICE_ABOVE_AGREED']);
    expect(after.explanation?.closestMiss?.cheapestPrice).toBe(180);
    expect((await eventsOf(t, id)).filter((e) => e.type === 'order.awaiting_approval')).toHaveLength(1);
    expect((await t.request('POST', `/orders/${id}/approve`, { key: m.brand.key })).status).toBe(409);
    expect(await reservedOn(t, m.dearLine.id)).toBe(0);
  });

  it('within the order\'s tolerance a dearer re-plan is offered without asking', async () => {
    // The dear mill charges CNY 90: 50% above the agreed 60.
    const m = await market(t, 'viscose', 0.015);
    const { id } = await rejectedOnce(t, m, order('viscose', { priceTolerancePct: 40 }));
    expect((await settled(t, m.brand.key, id)).approval).toMatchObject({ price: 90, agreedPrice: 60 });
    expect((await t.request('POST', `/orders/${id}/cancel`, { key: m.brand.key })).status).toBe(200);
    const second = await rejectedOnce(t, m, order('viscose', { priceTolerancePct: 50 }));
    const offered = await settled(t, m.brand.key, second.id);
    expect(offered.status).toBe('proposed');
    expect(offered.priceTolerancePct).toBe(50);
    expect(offered.agreedPrice).toBe(60);
    expect(offered.allocations.filter((a) => a.status === 'offered').map((a) => a.lineId)).toEqual([m.dearLine.id]);
  });

  it('an approval left unanswered lapses: declined by the sweep, with its event', async () => {
    const m = await market(t, 'nylon');
    const { id } = await rejectedOnce(t, m, order('nylon'));
    expect((await settled(t, m.brand.key, id)).status).toBe('awaiting_approval');
    await t.sql(`UPDATE orders SET approval_expires_at = now() - interval '1 second' WHERE id = $1`, [id]);
    expect((await t.request('POST', `/orders/${id}/approve`, { key: m.brand.key })).status).toBe(409);
    await expect.poll(async () => (await get(t, m.brand.key, id)).status, { timeout: 30_000, interval: 200 }).toBe('unmatched');
    const lapsed = (await eventsOf(t, id)).find((e) => e.type === 'order.price_declined');
    expect(lapsed?.payload).toMatchObject({ price: 180, agreedPrice: 60, lapsed: true });
    expect((await get(t, m.brand.key, id)).explanation?.reasons?.[0]?.code).toBe('PRICE_ABOVE_AGREED');
  });

  it('refuses a tolerance out of range in words', async () => {
    const brand = await signup(t, { kind: 'brand', name: 'Range brand' });
    const bad = await t.request<{ errors: { field: string; message: string }[] }>('POST', '/orders', { key: brand.key, body: order('wool', { priceTolerancePct: -5 }) });
    expect(bad.status).toBe(400);
    expect(bad.body.errors.map((e) => e.field)).toContain('priceTolerancePct');
  });

  it('leaves the market audit-clean', async () => {
    const audit = await t.request<{ violations: number; statusContradictions: number; stranded: number }>('GET', '/audit', { key: OPERATOR_KEY });
    expect(audit.body).toMatchObject({ violations: 0, statusContradictions: 0, stranded: 0 });
  });
});
