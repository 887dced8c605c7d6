import { inDays, startTestApp, type TestApp } from '../support/harness';
import { addLine, airJetLine, orderSettled, type OrderBody, signup } from '../support/market';

interface Problem {
  status: number;
  code: string;
  errors: { field: string; message: string }[];
}

const fabric = (quantity: number, extra: Record<string, unknown> = {}) => ({
  kind: 'fabric', fabric: { fiber: 'cotton', weave: 'plain', widthCm: 150, picksPerCm: 30 }, quantity, dueDate: inDays(20), ...extra,
});

describe('POST /orders/batch: several orders in one request', () => {
  let t: TestApp;
  let brand: { id: string; key: string };
  let factory: { id: string; key: string };
  let lineId: string;
  const count = async (): Promise<{ orders: number; events: number }> =>
    (await t.sql<{ orders: number; events: number }>(`SELECT (SELECT count(*)::int FROM orders) AS orders, (SELECT count(*)::int FROM events) AS events`))[0]!;

  beforeAll(async () => {
    t = await startTestApp();
    brand = await signup(t, { kind: 'brand', name: 'Bulk Brand' });
    factory = await signup(t, { kind: 'factory', name: 'Bulk Mill' });
    lineId = (await addLine(t, factory.key, { ...airJetLine, fibers: ['cotton'] })).id;
  });
  afterAll(async () => {
    await t.close();
  });

  it('stores every order, answers them in the order sent, and matches each one', async () => {
    const bodies = [fabric(1000), fabric(2000), fabric(3000, { maxSplits: 1 })];
    const res = await t.request<{ items: { id: string; status: string; quantity: number }[] }>('POST', '/orders/batch', { key: brand.key, body: { orders: bodies } });
    expect(res.status).toBe(202);
    expect(res.body.items.map((o) => [o.status, o.quantity])).toEqual([['pending', 1000], ['pending', 2000], ['pending', 3000]]);
    const settled: OrderBody[] = [];
    for (const o of res.body.items) settled.push(await orderSettled(t, brand.key, o.id));
    expect(settled.map((o) => o.status)).toEqual(['proposed', 'proposed', 'proposed']);
    for (const [i, o] of settled.entries()) expect(o.allocations).toMatchObject([{ lineId, quantity: bodies[i]!.quantity }]);
    const posted = await t.sql<{ order_id: string }>(`SELECT order_id FROM events WHERE type = 'order.posted' AND order_id = ANY($1::uuid[])`, [res.body.items.map((o) => o.id)]);
    expect(posted).toHaveLength(3);
  });

  it('refuses the whole batch when one order is bad, naming it, and stores nothing', async () => {
    const before = await count();
    const shape = await t.request<Problem>('POST', '/orders/batch', { key: brand.key, body: { orders: [fabric(1000), fabric(0), fabric(500, { colour: 'red' })] } });
    expect(shape.status).toBe(400);
    expect(shape.body.errors.map((e) => e.field).sort()).toEqual(['orders.1.quantity', 'orders.2.colour']);
    // Checks beyond the field rules (dates against each other) are named the same way.
    const dates = await t.request<Problem>('POST', '/orders/batch', { key: brand.key, body: { orders: [fabric(1000), fabric(1000, { earliestStart: inDays(9), dueDate: inDays(8) })] } });
    expect(dates.status).toBe(400);
    expect(dates.body.errors).toEqual([{ field: 'orders.1.dueDate', message: 'must be on or after earliestStart' }]);
    const empty = await t.request<Problem>('POST', '/orders/batch', { key: brand.key, body: { orders: [] } });
    expect(empty.status).toBe(400);
    expect(empty.body.errors.map((e) => e.field)).toEqual(['orders']);
    const tooMany = await t.request<Problem>('POST', '/orders/batch', { key: brand.key, body: { orders: Array.from({ length: 101 }, () => ({ kind: 'fabric' })) } });
    expect(tooMany.status).toBe(400);
    expect(tooMany.body.errors.map((e) => e.field)).toContain('orders');
    expect(await count()).toEqual(before);
  });

  it('is for brands only', async () => {
    const res = await t.request<Problem>('POST', '/orders/batch', { key: factory.key, body: { orders: [fabric(1000)] } });
    expect(res.status).toBe(404);
  });

  it('answers a retry with the same Idempotency-Key with the first orders, and refuses the key for other orders', async () => {
    const body = { orders: [fabric(700), fabric(800)] };
    const first = await t.request<{ items: { id: string }[] }>('POST', '/orders/batch', { key: brand.key, body, headers: { 'idempotency-key': 'erp-2026-11-29' } });
    expect(first.status).toBe(202);
    const before = await count();
    const retry = await t.request<{ items: { id: string }[] }>('POST', '/orders/batch', { key: brand.key, body, headers: { 'idempotency-key': 'erp-2026-11-29' } });
    expect(retry.status).toBe(202);
    expect(retry.body.items.map((o) => o.id)).toEqual(first.body.items.map((o) => o.id));
    const other = await t.request<Problem>('POST', '/orders/batch', { key: brand.key, body: { orders: [fabric(700), fabric(900)] }, headers: { 'idempotency-key': 'erp-2026-11-29' } });
    expect(other.status).toBe(422);
    expect(other.body.code).toBe('IDEMPOTENCY_KEY_REUSED');
    // A single post cannot reach a batch's orders through its key.
    const single = await t.request<{ id: string }>('POST', '/orders', { key: brand.key, body: fabric(700), headers: { 'idempotency-key': 'erp-2026-11-29' } });
    expect(single.status).toBe(202);
    expect(first.body.items.map((o) => o.id)).not.toContain(single.body.id);
    expect((await count()).orders).toBe(before.orders + 1);
    // A key with a space could reach a batch's stored keys ("<key> <i>"): refused, nothing stored.
    const spaced = await t.request<Problem>('POST', '/orders', { key: brand.key, body: fabric(700), headers: { 'idempotency-key': 'erp-2026-11-29 0' } });
    expect(spaced.status).toBe(400);
    expect(spaced.body.errors.map((e) => e.field)).toEqual(['Idempotency-Key']);
    expect((await count()).orders).toBe(before.orders + 1);
  });
});
