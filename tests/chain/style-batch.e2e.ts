import { inDays, startTestApp, type TestApp } from '../support/harness';
import { addLine, signup } from '../support/market';
import { loomLine } from '../telemetry/support';
import { sewingLine, styleOrder } from './support';

interface Problem {
  status: number;
  errors: { field: string; message: string }[];
}

interface Allocation {
  id: string;
  status: string;
  stage?: string;
}

interface PostedOrder {
  id: string;
  kind: string;
  status: string;
  quantity: number;
}

interface Order extends PostedOrder {
  allocations: Allocation[];
  stages?: { kind: string; status: string; allocations: Allocation[] }[];
  explanation: { failedStage?: { kind: string } } | null;
}

const fabric = (quantity: number): Record<string, unknown> => ({
  kind: 'fabric', fabric: { fiber: 'linen', weave: 'plain', widthCm: 150, picksPerCm: 30 }, quantity, dueDate: inDays(20),
});

/** A linen style without finishing: a linen mill and a sewing line of the category make it. */
const linenStyle = (category: string, over: Record<string, unknown> = {}): Record<string, unknown> =>
  styleOrder({ garment: { category, fabricType: 'woven', samMinutes: 20 }, fabric: { fiber: 'linen', weave: 'plain', widthCm: 150, picksPerCm: 30 }, finishing: undefined, ...over });

/**
 * Style orders in a bulk post (DESIGN.md §8 over the batch route): checked as POST /orders checks
 * them, each bad field named `orders.<i>.<field>`, stored with the rest or not at all, and each
 * style matched as one chain, every stage or none.
 */
describe('POST /orders/batch with style orders', () => {
  let t: TestApp;
  let brand: { id: string; key: string };
  const count = async (): Promise<{ orders: number; events: number; reserved: string }> =>
    (await t.sql<{ orders: number; events: number; reserved: string }>(
      `SELECT (SELECT count(*)::int FROM orders) AS orders, (SELECT count(*)::int FROM events) AS events, (SELECT coalesce(sum(reserved), 0)::text FROM capacity_days) AS reserved`,
    ))[0]!;
  const order = async (id: string): Promise<Order> => (await t.request<Order>('GET', `/orders/${id}`, { key: brand.key })).body;

  beforeAll(async () => {
    t = await startTestApp();
    brand = await signup(t, { kind: 'brand', name: 'Batch Studio' });
    const mill = await signup(t, { kind: 'factory', name: 'Batch Linen Weaving' });
    const sewer = await signup(t, { kind: 'factory', name: 'Batch Shirts' });
    await addLine(t, mill.key, loomLine(['linen'], 8));
    // Shirts only: a dress style finds looms for its fabric but no sewing line.
    await addLine(t, sewer.key, sewingLine('shirt'));
  });
  afterAll(async () => {
    await t.close();
  });

  it('stores a fabric order and two styles together; each style is matched whole or not at all', async () => {
    const res = await t.request<{ items: PostedOrder[] }>('POST', '/orders/batch', { key: brand.key, body: { orders: [fabric(500), linenStyle('shirt'), linenStyle('dress')] } });
    expect(res.status).toBe(202);
    expect(res.body.items.map((o) => [o.kind, o.status, o.quantity])).toEqual([['fabric', 'pending', 500], ['style', 'pending', 300], ['style', 'pending', 300]]);
    const [plain, shirts, dresses] = res.body.items.map((o) => o.id) as [string, string, string];
    await expect.poll(async () => Promise.all([plain, shirts, dresses].map(async (id) => (await order(id)).status)), { timeout: 20_000, interval: 50 })
      .toEqual(['proposed', 'proposed', 'unmatched']);

    // The shirts' chain holds both stages; the dresses' holds nothing, not even the weaving it could have had.
    const placed = await order(shirts);
    expect(placed.stages!.map((s) => [s.kind, s.allocations.filter((a) => a.status === 'offered').length])).toEqual([['weaving', 1], ['sewing', 1]]);
    const missed = await order(dresses);
    expect(missed.allocations).toEqual([]);
    expect(missed.explanation?.failedStage?.kind).toBe('sewing');
    const held = await t.sql<{ order_id: string; stage: string | null }>(`SELECT order_id, stage FROM allocations WHERE order_id = ANY($1::uuid[]) ORDER BY order_id, stage`, [[plain, shirts, dresses]]);
    expect(held.filter((a) => a.order_id === dresses)).toEqual([]);
    expect(held.filter((a) => a.order_id === plain).map((a) => a.stage)).toEqual([null]);
  });

  it('refuses the whole batch when a style is bad, naming each field as orders.<i>.<field>, and stores nothing', async () => {
    const before = await count();
    const res = await t.request<Problem>('POST', '/orders/batch', {
      key: brand.key,
      body: {
        orders: [
          fabric(500),
          linenStyle('shirt', { garment: { category: 'shirt', fabricType: 'woven' }, fabricPerPieceM: undefined, colour: 'red' }),
          linenStyle('shirt', { earliestStart: inDays(9), dueDate: inDays(8) }),
          { ...fabric(500), kind: 'trim' },
        ],
      },
    });
    expect(res.status).toBe(400);
    expect([...new Set(res.body.errors.map((e) => e.field))].sort()).toEqual(['orders.1.colour', 'orders.1.fabricPerPieceM', 'orders.3.kind']);
    // Checks beyond the field rules (minutes or a spec, dates against each other) are named the same way.
    const deeper = await t.request<Problem>('POST', '/orders/batch', {
      key: brand.key, body: { orders: [fabric(500), linenStyle('shirt', { garment: { category: 'shirt', fabricType: 'woven' } }), linenStyle('shirt', { earliestStart: inDays(9), dueDate: inDays(8) })] },
    });
    expect(deeper.status).toBe(400);
    expect(deeper.body.errors).toEqual([
      { field: 'orders.1.garment.samMinutes', message: 'is required unless a spec is sent (samMinutes or spec)' },
      { field: 'orders.2.dueDate', message: 'must be on or after earliestStart' },
    ]);
    expect(await count()).toEqual(before);
  });

  it('answers a retry with the same Idempotency-Key with the first orders, styles included', async () => {
    const body = { orders: [linenStyle('shirt', { quantity: 100 }), fabric(300)] };
    const first = await t.request<{ items: PostedOrder[] }>('POST', '/orders/batch', { key: brand.key, body, headers: { 'idempotency-key': 'erp-styles-1' } });
    expect(first.status).toBe(202);
    const before = await count();
    const retry = await t.request<{ items: PostedOrder[] }>('POST', '/orders/batch', { key: brand.key, body, headers: { 'idempotency-key': 'erp-styles-1' } });
    expect(retry.status).toBe(202);
    expect(retry.body.items.map((o) => [o.id, o.kind])).toEqual(first.body.items.map((o) => [o.id, o.kind]));
    expect((await count()).orders).toBe(before.orders);
  });
});
