import { inDays, OPERATOR_KEY, startTestApp, type TestApp } from '../support/harness';
import { addLine, airJetLine, type OrderBody, signup } from '../support/market';
import { settledOrder as orderSettled } from '../security/support/world';

/**
 * The order lists as the brand and the operator use them: words, filters, sort and pages with a
 * total; the orders without a plan grouped by reason; an order's whole history. Over HTTP against
 * the real app, with orders the matcher really decided.
 */
interface Page<T> {
  items: T[];
  total: number;
  page: number;
  pageSize: number;
}
interface Listed {
  id: string;
  kind: string;
  status: string;
  dueDate: string;
  agreedPrice?: number;
  targetPrice?: number;
  brandName?: string;
}
interface Problem {
  errors: { field: string; message: string }[];
}

const twill = (quantity: number, due: number, targetPrice?: number): Record<string, unknown> => ({
  kind: 'fabric', fabric: { fiber: 'cotton', weave: 'twill', widthCm: 150, picksPerCm: 30 }, quantity, dueDate: inDays(due), ...(targetPrice ? { targetPrice } : {}),
});
const satin = (due: number): Record<string, unknown> => ({ kind: 'fabric', fabric: { fiber: 'polyester', weave: 'satin', widthCm: 150, picksPerCm: 40 }, quantity: 400, dueDate: inDays(due) });
/** No line of this market sews, and none weaves 400 cm wide: both stay unmatched, for different reasons. */
const tshirts = (due: number): Record<string, unknown> => ({ kind: 'garment', garment: { category: 'tshirt', fabricType: 'knit', samMinutes: 12 }, quantity: 300, dueDate: inDays(due) });
const tooWide = (due: number): Record<string, unknown> => ({ kind: 'fabric', fabric: { fiber: 'cotton', weave: 'twill', widthCm: 380, picksPerCm: 30 }, quantity: 200, dueDate: inDays(due) });

describe('order lists: search, filters, sort, pages; unmatched by reason; history', () => {
  let t: TestApp;
  let brand: { id: string; key: string };
  let other: { id: string; key: string };
  const orders: OrderBody[] = [];
  let otherOrder: OrderBody;
  const list = (key: string, query: string) => t.request<Page<Listed>>('GET', `/orders?${query}`, { key });
  const market = (query: string) => t.request<Page<Listed>>('GET', `/market/orders?${query}`, { key: OPERATOR_KEY });

  beforeAll(async () => {
    t = await startTestApp();
    const factory = await signup(t, { kind: 'factory', name: 'Keqiao Weaving', city: 'Shaoxing' });
    await addLine(t, factory.key, airJetLine);
    brand = await signup(t, { kind: 'brand', name: 'Canton Studio' });
    other = await signup(t, { kind: 'brand', name: 'Shahe Wholesale' });
    // Posted one by one, so their order of creation is this list's.
    for (const body of [twill(800, 20, 90_000), twill(600, 30, 60_000), satin(25), tshirts(40), tooWide(35), twill(500, 45, 75_000), tshirts(50)]) {
      const posted = await t.request<OrderBody>('POST', '/orders', { key: brand.key, body });
      expect(posted.status).toBe(202);
      orders.push(await orderSettled(t, brand.key, posted.body.id));
    }
    const posted = await t.request<OrderBody>('POST', '/orders', { key: other.key, body: twill(300, 22) });
    otherOrder = await orderSettled(t, other.key, posted.body.id);
  }, 120_000);
  afterAll(async () => {
    if (t) await t.close();
  });

  it('lists a brand its own orders, newest first, a page at a time with the total', async () => {
    const all = await list(brand.key, '');
    expect(all.status).toBe(200);
    expect(all.body).toMatchObject({ total: orders.length, page: 1, pageSize: 50 });
    expect(all.body.items.map((o) => o.id)).toEqual([...orders].reverse().map((o) => o.id));
    expect(all.body.items.map((o) => o.id)).not.toContain(otherOrder.id);

    const second = await list(brand.key, 'pageSize=3&page=2');
    expect(second.body).toMatchObject({ total: orders.length, page: 2, pageSize: 3 });
    expect(second.body.items.map((o) => o.id)).toEqual([...orders].reverse().slice(3, 6).map((o) => o.id));
    const past = await list(brand.key, 'pageSize=3&page=9');
    expect(past.body).toMatchObject({ items: [], total: orders.length });
  });

  it('finds orders by words of their id or spec, and by status, kind and due dates together', async () => {
    const byWord = await list(brand.key, 'q=TWILL');
    expect(byWord.body.items.map((o) => o.id).sort()).toEqual([orders[0]!, orders[1]!, orders[4]!, orders[5]!].map((o) => o.id).sort());
    const byId = await list(brand.key, `q=${orders[2]!.id.slice(0, 8)}`);
    expect(byId.body.items.map((o) => o.id)).toEqual([orders[2]!.id]);
    // Wildcards are words like any other: a % matches no order.
    expect((await list(brand.key, 'q=%25')).body.total).toBe(0);

    const garments = await list(brand.key, 'kind=garment');
    expect(garments.body.items.map((o) => o.id).sort()).toEqual([orders[3]!.id, orders[6]!.id].sort());
    const waiting = orders.filter((o) => o.status === 'unmatched');
    expect(waiting.length).toBe(3);
    const unmatched = await list(brand.key, 'status=unmatched,expired');
    expect(unmatched.body.items.map((o) => o.id).sort()).toEqual(waiting.map((o) => o.id).sort());

    const dueWindow = await list(brand.key, `dueFrom=${inDays(25)}&dueTo=${inDays(40)}&kind=fabric`);
    expect(dueWindow.body.items.map((o) => o.id).sort()).toEqual([orders[1]!, orders[2]!, orders[4]!].map((o) => o.id).sort());
    const today = new Date().toISOString().slice(0, 10);
    expect((await list(brand.key, `postedFrom=${today}&postedTo=${today}`)).body.total).toBe(orders.length);
    expect((await list(brand.key, `postedTo=${inDays(-1)}`)).body.total).toBe(0);
  });

  it('sorts by due date and by price, either way', async () => {
    const byDue = (await list(brand.key, 'sort=due')).body.items.map((o) => o.dueDate);
    expect(byDue).toEqual([...byDue].sort());
    const latestFirst = (await list(brand.key, 'sort=-due')).body.items.map((o) => o.dueDate);
    expect(latestFirst).toEqual([...byDue].reverse());
    // The dearest first; orders without a price come last whichever way.
    const dearest = (await list(brand.key, 'sort=-price&kind=fabric&q=twill&status=proposed')).body.items;
    expect(dearest.map((o) => o.id)).toEqual([orders[0]!, orders[5]!, orders[1]!].map((o) => o.id));
    const cheapest = (await list(brand.key, 'sort=price&kind=fabric&q=twill&status=proposed')).body.items;
    expect(cheapest.map((o) => o.id)).toEqual([orders[1]!, orders[5]!, orders[0]!].map((o) => o.id));
  });

  it('refuses a bad query with a 400 naming the field', async () => {
    const cases: [string, string][] = [
      ['status=dreaming', 'status'],
      ['status=proposed,dreaming', 'status'],
      ['kind=style', 'kind'],
      ['dueFrom=2026-02-30', 'dueFrom'],
      ['dueFrom=next week', 'dueFrom'],
      [`dueFrom=${inDays(10)}&dueTo=${inDays(5)}`, 'dueTo'],
      [`postedFrom=${inDays(0)}&postedTo=${inDays(-3)}`, 'postedTo'],
      ['sort=cheapest', 'sort'],
      ['page=0', 'page'],
      ['pageSize=500', 'pageSize'],
      ['pageSize=ten', 'pageSize'],
      [`q=${'x'.repeat(101)}`, 'q'],
      ['colour=red', 'colour'],
    ];
    for (const [query, field] of cases) {
      const res = await t.request<Problem>('GET', `/orders?${encodeURI(query)}`, { key: brand.key });
      expect(res.status, query).toBe(400);
      expect(res.body.errors.map((e) => e.field), query).toContain(field);
    }
    const reason = await t.request<Problem>('GET', '/market/orders?reason=BECAUSE', { key: OPERATOR_KEY });
    expect(reason.status).toBe(400);
    expect(reason.body.errors.map((e) => e.field)).toEqual(['reason']);
  });

  it("searches the whole market for the operator, by the brand's name too, past the old 200", async () => {
    const all = await market('pageSize=2');
    expect(all.body).toMatchObject({ total: orders.length + 1, pageSize: 2 });
    expect(all.body.items).toHaveLength(2);
    const shahe = await market('q=shahe');
    expect(shahe.body.items.map((o) => o.id)).toEqual([otherOrder.id]);
    expect(shahe.body.items[0]!.brandName).toBe('Shahe Wholesale');
    expect((await t.request('GET', '/market/orders', { key: brand.key })).status).toBe(404);
  });

  it('groups the unmatched orders by reason with counts, and lists each group by its reason', async () => {
    const res = await t.request<{ total: number; items: { code: string; orders: number; soonestDue: string; orderIds: string[] }[] }>('GET', '/market/unmatched', { key: OPERATOR_KEY });
    expect(res.status).toBe(200);
    const waiting = orders.filter((o) => o.status === 'unmatched');
    expect(res.body.total).toBe(waiting.length);
    // What each order's own explanation says, counted here independently.
    const expected = new Map<string, OrderBody[]>();
    for (const o of waiting) for (const code of new Set((o.explanation?.reasons ?? []).map((r) => r.code))) expected.set(code, [...(expected.get(code) ?? []), o]);
    expect(expected.size).toBeGreaterThan(1);
    expect(Object.fromEntries(res.body.items.map((g) => [g.code, g.orders]))).toEqual(Object.fromEntries([...expected].map(([code, list]) => [code, list.length])));
    const counts = res.body.items.map((g) => g.orders);
    expect(counts).toEqual([...counts].sort((a, b) => b - a));
    for (const group of res.body.items) {
      const members = expected.get(group.code)!;
      expect(group.orderIds.sort()).toEqual(members.map((o) => o.id).sort());
      const listed = await market(`reason=${group.code}`);
      expect(listed.body.items.map((o) => o.id).sort(), group.code).toEqual(members.map((o) => o.id).sort());
    }
    expect((await t.request('GET', '/market/unmatched', { key: brand.key })).status).toBe(404);
  });

  it("shows an order's history oldest first: the brand what it was told, the operator everything, nobody else anything", async () => {
    const matched = orders[0]!;
    const brandView = await t.request<{ items: { id: string; type: string; at: string; by: string | null; payload: Record<string, unknown> }[] }>('GET', `/orders/${matched.id}/history`, { key: brand.key });
    expect(brandView.status).toBe(200);
    const types = brandView.body.items.map((e) => e.type);
    expect(types[0]).toBe('order.posted');
    expect(types).toContain('offer.created');
    const ids = brandView.body.items.map((e) => Number(e.id));
    expect(ids).toEqual([...ids].sort((a, b) => a - b));
    expect(brandView.body.items[0]!.by).toMatch(/^key:/);
    const operatorView = await t.request<{ items: { type: string }[] }>('GET', `/orders/${matched.id}/history`, { key: OPERATOR_KEY });
    expect(operatorView.body.items.length).toBeGreaterThanOrEqual(brandView.body.items.length);
    // Another brand's order is not there for this brand, exactly like one that does not exist.
    const foreign = await t.request('GET', `/orders/${otherOrder.id}/history`, { key: brand.key });
    const ghost = await t.request('GET', '/orders/8f0b2a8e-1f6c-4b5e-9d3a-7c2e1f4b6a90/history', { key: brand.key });
    expect(foreign.status).toBe(404);
    expect((foreign.body as { detail?: string }).detail).toBe((ghost.body as { detail?: string }).detail);
  });
});
