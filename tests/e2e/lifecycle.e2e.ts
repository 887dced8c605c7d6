import { inDays, startTestApp, type TestApp } from '../support/harness';
import { addLine, airJetLine, orderSettled, type OrderBody, signup } from '../support/market';

const cottonOrder = (quantity: number, dueInDays = 20): Record<string, unknown> => ({
  kind: 'fabric',
  fabric: { fiber: 'cotton', weave: 'plain', widthCm: 150, picksPerCm: 30 },
  quantity,
  dueDate: inDays(dueInDays),
  // These tests follow re-dispatch to a mill three times as dear; the agreed price's own path
  // (asking the brand first) is tests/terms/agreed-price.e2e.ts.
  priceTolerancePct: 200,
});

async function reservedOn(t: TestApp, lineId: string): Promise<number> {
  const [row] = await t.sql<{ reserved: string }>(`SELECT coalesce(sum(reserved), 0)::text AS reserved FROM capacity_days WHERE line_id = $1`, [lineId]);
  return Number(row!.reserved);
}

async function twoMills(t: TestApp, options: { autoAcceptSecond?: boolean } = {}) {
  const cheap = await signup(t, { kind: 'factory', name: 'Cheap Mill' });
  const dear = await signup(t, { kind: 'factory', name: 'Dear Mill', ...(options.autoAcceptSecond ? { autoAccept: true } : {}) });
  const cheapLine = await addLine(t, cheap.key, { ...airJetLine, ratePerUnit: 0.01 });
  const dearLine = await addLine(t, dear.key, { ...airJetLine, ratePerUnit: 0.03 });
  const brand = await signup(t, { kind: 'brand', name: 'Brand' });
  return { cheap, dear, cheapLine, dearLine, brand };
}

describe('order and offer lifecycle', () => {
  let t: TestApp;
  beforeAll(async () => {
    t = await startTestApp();
  });
  afterAll(async () => {
    await t.close();
  });

  it('re-dispatches to the next line when a factory rejects, releasing the first reservation', async () => {
    const { cheap, dear, cheapLine, dearLine, brand } = await twoMills(t);
    const posted = await t.request<OrderBody>('POST', '/orders', { key: brand.key, body: cottonOrder(2000) });
    const first = await orderSettled(t, brand.key, posted.body.id);
    expect(first.allocations.map((a) => a.lineId)).toEqual([cheapLine.id]);
    expect(await reservedOn(t, cheapLine.id)).toBe(2000 * 3000);

    const rejected = await t.request<{ status: string }>('POST', `/offers/${first.allocations[0]!.id}/reject`, { key: cheap.key, body: { reason: 'looms booked' } });
    expect(rejected.status).toBe(200);
    expect(rejected.body.status).toBe('rejected');
    expect(await reservedOn(t, cheapLine.id)).toBe(0);

    await expect.poll(async () => (await t.request<OrderBody>('GET', `/orders/${posted.body.id}`, { key: brand.key })).body.allocations.filter((a) => a.status === 'offered').map((a) => a.lineId), { timeout: 10_000 }).toEqual([dearLine.id]);
    const second = (await t.request<OrderBody>('GET', `/orders/${posted.body.id}`, { key: brand.key })).body;
    expect(second.status).toBe('proposed');
    expect(await reservedOn(t, dearLine.id)).toBe(2000 * 3000);

    // An answered offer cannot be answered again.
    const late = await t.request('POST', `/offers/${first.allocations[0]!.id}/accept`, { key: cheap.key });
    expect(late.status).toBe(409);
    // The other factory cannot see or answer this offer.
    expect((await t.request('POST', `/offers/${second.allocations.find((a) => a.status === 'offered')!.id}/accept`, { key: cheap.key })).status).toBe(404);
    expect((await t.request('POST', `/offers/${second.allocations.find((a) => a.status === 'offered')!.id}/accept`, { key: dear.key })).status).toBe(200);
    expect((await t.request<OrderBody>('GET', `/orders/${posted.body.id}`, { key: brand.key })).body.status).toBe('confirmed');
  });

  it('dispatches straight to a factory with autoAccept: the order is confirmed without an offer step', async () => {
    const factory = await signup(t, { kind: 'factory', name: 'Dispatch Mill', autoAccept: true });
    const line = await addLine(t, factory.key, { ...airJetLine, machineType: 'rapier', fibers: ['wool'], ratePerUnit: 0.001 });
    const brand = await signup(t, { kind: 'brand', name: 'Fast Brand' });
    const posted = await t.request<OrderBody>('POST', '/orders', { key: brand.key, body: { ...cottonOrder(300), fabric: { fiber: 'wool', weave: 'twill', widthCm: 150, picksPerCm: 20 } } });
    const settled = await orderSettled(t, brand.key, posted.body.id);
    expect(settled.status).toBe('confirmed');
    expect(settled.allocations).toMatchObject([{ lineId: line.id, status: 'accepted' }]);
  });

  it('cancels an order: every unstarted reservation is released, and a second cancel is refused', async () => {
    const { brand } = await twoMills(t);
    const posted = await t.request<OrderBody>('POST', '/orders', { key: brand.key, body: cottonOrder(1500) });
    const { allocations } = await orderSettled(t, brand.key, posted.body.id);
    const lineId = allocations[0]!.lineId;
    const before = await reservedOn(t, lineId);
    expect(before).toBeGreaterThanOrEqual(1500 * 3000);
    const cancelled = await t.request<OrderBody>('POST', `/orders/${posted.body.id}/cancel`, { key: brand.key });
    expect(cancelled.status).toBe(200);
    expect(cancelled.body.status).toBe('cancelled');
    expect(cancelled.body.allocations.map((a) => a.status)).toEqual(['cancelled']);
    expect(await reservedOn(t, lineId)).toBe(before - 1500 * 3000);
    const again = await t.request<{ code: string }>('POST', `/orders/${posted.body.id}/cancel`, { key: brand.key });
    expect(again.status).toBe(409);
    expect(again.body.code).toBe('INVALID_TRANSITION');
  });

  it('takes cumulative progress, never backwards or beyond, and completes the order', async () => {
    const factory = await signup(t, { kind: 'factory', name: 'Progress Mill' });
    await addLine(t, factory.key, { ...airJetLine, machineType: 'projectile', fibers: ['linen'] });
    const brand = await signup(t, { kind: 'brand', name: 'Linen Brand' });
    const posted = await t.request<OrderBody>('POST', '/orders', { key: brand.key, body: { ...cottonOrder(1000), fabric: { fiber: 'linen', weave: 'plain', widthCm: 150, picksPerCm: 30 } } });
    const order = await orderSettled(t, brand.key, posted.body.id);
    const allocationId = order.allocations[0]!.id;
    const progress = (producedQuantity: unknown) => t.request<{ status: string; errors?: { field: string }[] }>('POST', `/allocations/${allocationId}/progress`, { key: factory.key, body: { producedQuantity } });

    expect((await progress(100)).status).toBe(409); // still an offer
    await t.request('POST', `/offers/${allocationId}/accept`, { key: factory.key });
    const started = await progress(400);
    expect(started.status).toBe(200);
    expect(started.body.status).toBe('in_production');
    const followed = (await t.request<OrderBody & { progress: { producedQuantity: number; quantity: number; expectedCompletion: string } }>('GET', `/orders/${posted.body.id}`, { key: brand.key })).body;
    expect(followed.status).toBe('in_production');
    expect(followed.progress).toMatchObject({ producedQuantity: 400, quantity: 1000 });
    expect(followed.progress.expectedCompletion <= order.allocations[0]!.endDate).toBe(true);

    const backwards = await progress(300);
    expect(backwards.status).toBe(400);
    expect(backwards.body.errors?.map((e) => e.field)).toEqual(['producedQuantity']);
    expect((await progress(1001)).status).toBe(400);
    expect((await progress('lots')).status).toBe(400);

    expect((await progress(1000)).body.status).toBe('produced');
    expect((await t.request<OrderBody>('GET', `/orders/${posted.body.id}`, { key: brand.key })).body.status).toBe('completed');
    expect((await progress(1000)).status).toBe(200); // repeating the final report changes nothing
    const events = await t.sql<{ type: string }>(`SELECT type FROM events WHERE order_id = $1 ORDER BY id`, [posted.body.id]);
    expect(events.map((e) => e.type)).toEqual(['order.posted', 'order.matched', 'offer.created', 'offer.accepted', 'order.confirmed', 'allocation.progress', 'order.in_production', 'allocation.progress', 'order.completed']);
  });

  it('returns the first order on a retry with the same Idempotency-Key, and 422 for a different body', async () => {
    const brand = await signup(t, { kind: 'brand', name: 'Retry Brand' });
    const body = cottonOrder(250);
    const headers = { 'idempotency-key': 'po-2026-0042' };
    const [a, b] = await Promise.all([
      t.request<OrderBody>('POST', '/orders', { key: brand.key, body, headers }),
      t.request<OrderBody>('POST', '/orders', { key: brand.key, body, headers }),
    ]);
    const c = await t.request<OrderBody>('POST', '/orders', { key: brand.key, body, headers });
    expect([a.status, b.status, c.status]).toEqual([202, 202, 202]);
    expect(new Set([a.body.id, b.body.id, c.body.id]).size).toBe(1);
    const [count] = await t.sql<{ n: number }>(`SELECT count(*)::int AS n FROM orders WHERE brand_id = $1`, [brand.id]);
    expect(count!.n).toBe(1);
    const changed = await t.request<{ code: string }>('POST', '/orders', { key: brand.key, body: cottonOrder(251), headers });
    expect(changed.status).toBe(422);
    expect(changed.body.code).toBe('IDEMPOTENCY_KEY_REUSED');
  });
});

describe('offer expiry and the sweep', () => {
  let t: TestApp;
  beforeAll(async () => {
    t = await startTestApp({ OFFER_TTL_SECONDS: '1', SWEEP_EVERY_MS: '300', STUCK_AFTER_SECONDS: '1' });
  });
  afterAll(async () => {
    await t.close();
  });

  it('expires an unanswered offer, releases it, and offers the work to the next line', async () => {
    const { cheapLine, dearLine, brand } = await twoMills(t);
    const posted = await t.request<OrderBody>('POST', '/orders', { key: brand.key, body: cottonOrder(800) });
    const first = await orderSettled(t, brand.key, posted.body.id);
    expect(first.allocations[0]!.lineId).toBe(cheapLine.id);
    await expect
      .poll(async () => (await t.request<OrderBody>('GET', `/orders/${posted.body.id}`, { key: brand.key })).body.allocations.map((a) => `${a.lineId === cheapLine.id ? 'cheap' : 'dear'}:${a.status}`), { timeout: 15_000 })
      .toEqual(expect.arrayContaining(['cheap:expired', 'dear:expired']));
    // Both mills let their offers lapse; nothing is left reserved and the order waits, explained.
    expect(await reservedOn(t, cheapLine.id)).toBe(0);
    expect(await reservedOn(t, dearLine.id)).toBe(0);
    await expect.poll(async () => (await t.request<OrderBody>('GET', `/orders/${posted.body.id}`, { key: brand.key })).body.status, { timeout: 10_000 }).toBe('unmatched');
  });

  it('re-enqueues an order whose job was lost, and expires an order past its due date', async () => {
    const { brand } = await twoMills(t);
    // An order committed while the queue was unreachable: in the database, never enqueued.
    const [lost] = await t.sql<{ id: string }>(
      `INSERT INTO orders (brand_id, kind, status, spec, quantity, earliest_start, due_date, max_splits, updated_at)
       VALUES ($1, 'fabric', 'pending', $2, 500, current_date + 1, current_date + 20, 3, now() - interval '1 minute') RETURNING id`,
      [brand.id, JSON.stringify({ kind: 'fabric', fabric: { fiber: 'cotton', weave: 'plain', widthCm: 150, picksPerCm: 30 } })],
    );
    await expect.poll(async () => (await t.request<OrderBody>('GET', `/orders/${lost!.id}`, { key: brand.key })).body.status, { timeout: 10_000 }).toBe('proposed');

    const [late] = await t.sql<{ id: string }>(
      `INSERT INTO orders (brand_id, kind, status, spec, quantity, earliest_start, due_date, max_splits)
       VALUES ($1, 'fabric', 'unmatched', $2, 500, current_date - 5, current_date - 1, 3) RETURNING id`,
      [brand.id, JSON.stringify({ kind: 'fabric', fabric: { fiber: 'cotton', weave: 'plain', widthCm: 150, picksPerCm: 30 } })],
    );
    await expect.poll(async () => (await t.request<OrderBody>('GET', `/orders/${late!.id}`, { key: brand.key })).body.status, { timeout: 10_000 }).toBe('expired');
  });
});
