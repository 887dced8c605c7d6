import { inDays, startTestApp, type TestApp } from '../support/harness';
import { addLine, orderSettled, type OrderBody, signup } from '../support/market';

interface Sized { id: string; quantity: number; sizes?: { size: string; quantity: number }[] }
interface Problem { errors?: { field: string; message: string }[] }

const SIZES = { S: 300, M: 551, L: 420, XL: 229 };
const sewing = (name: string) => ({ kind: 'sewing', name, operators: 10, categories: ['polo'], fabricTypes: ['knit'], moq: 50, ratePerUnit: 0.5 });

describe('sizes: a breakdown that sums to the quantity, carried to every sewing allocation', () => {
  let t: TestApp;
  let brand: { id: string; key: string };
  let factories: { id: string; key: string }[];
  beforeAll(async () => {
    t = await startTestApp();
    brand = await signup(t, { kind: 'brand', name: 'Sizes Brand' });
    factories = [await signup(t, { kind: 'factory', name: 'Polo Sewing A' }), await signup(t, { kind: 'factory', name: 'Polo Sewing B' })];
    for (const [i, f] of factories.entries()) await addLine(t, f.key, sewing(`Line ${i}`));
  });
  afterAll(async () => {
    await t.close();
  });

  const post = (body: Record<string, unknown>) => t.request<OrderBody & Problem>('POST', '/orders', { key: brand.key, body });
  const polo = (extra: Record<string, unknown>) => ({ kind: 'garment', garment: { category: 'polo', fabricType: 'knit', samMinutes: 10 }, quantity: 1500, dueDate: inDays(3), ...extra });
  const sum = (sizes: { quantity: number }[] | undefined): number => (sizes ?? []).reduce((s, x) => s + x.quantity, 0);

  it('splits an order across two factories, each allocation with its share per size, summing exactly', async () => {
    // 10 operators x 480 min x 0.6 / 10 min = 288 pieces a day per line, 3 days: no line makes 1,500 alone.
    const posted = await post(polo({ sizes: SIZES }));
    expect(posted.status).toBe(202);
    const settled = await orderSettled(t, brand.key, posted.body.id);
    expect(settled.status).toBe('proposed');
    const order = (await t.request<{ sizes: { size: string; quantity: number }[]; allocations: Sized[] }>('GET', `/orders/${settled.id}`, { key: brand.key })).body;
    expect(order.sizes).toEqual(Object.entries(SIZES).map(([size, quantity]) => ({ size, quantity })));
    expect(order.allocations).toHaveLength(2);
    for (const a of order.allocations) {
      expect(a.sizes!.map((x) => x.size)).toEqual(['S', 'M', 'L', 'XL']);
      expect(sum(a.sizes)).toBe(a.quantity);
    }
    for (const [i, [, quantity]] of Object.entries(SIZES).entries()) {
      expect(order.allocations.reduce((s, a) => s + a.sizes![i]!.quantity, 0)).toBe(quantity);
    }
    // each factory sees its allocation's sizes on its offer, the same as the brand sees
    for (const f of factories) {
      const offers = (await t.request<{ items: Sized[] }>('GET', '/offers', { key: f.key })).body.items.filter((o) => order.allocations.some((a) => a.id === o.id));
      expect(offers).toHaveLength(1);
      expect(offers[0]!.sizes).toEqual(order.allocations.find((a) => a.id === offers[0]!.id)!.sizes);
    }
  });

  it('takes a list too, keeping its order', async () => {
    const posted = await post(polo({ quantity: 100, dueDate: inDays(10), sizes: [{ size: 'XL', quantity: 40 }, { size: '均码', quantity: 60 }] }));
    expect(posted.status).toBe(202);
    const order = await orderSettled(t, brand.key, posted.body.id);
    const { body } = await t.request<{ sizes: unknown; allocations: Sized[] }>('GET', `/orders/${order.id}`, { key: brand.key });
    expect(body.sizes).toEqual([{ size: 'XL', quantity: 40 }, { size: '均码', quantity: 60 }]);
    expect(body.allocations[0]!.sizes).toEqual([{ size: 'XL', quantity: 40 }, { size: '均码', quantity: 60 }]);
  });

  it('refuses sizes that do not add up or are malformed, naming sizes; nothing is stored', async () => {
    const before = (await t.sql<{ n: number }>('SELECT count(*)::int AS n FROM orders'))[0]!.n;
    const cases: [Record<string, unknown>, string, RegExp][] = [
      [polo({ sizes: { S: 100, M: 100 } }), 'sizes', /sum to the quantity \(1500 pieces\); these sizes sum to 200/],
      [polo({ sizes: { S: 1500, M: 0 } }), 'sizes.M', /whole number/],
      [polo({ sizes: [{ size: 'S', quantity: 750 }, { size: 'S', quantity: 750 }] }), 'sizes.1', /listed twice/],
      [polo({ sizes: [{ size: 'S', quantity: 1500, colour: 'red' }] }), 'sizes.0', /nothing else/],
      [polo({ sizes: [] }), 'sizes', /1 to 40 sizes/],
      [polo({ sizes: 'S,M' }), 'sizes', /pieces per size/],
      [{ kind: 'fabric', fabric: { fiber: 'cotton', weave: 'plain', widthCm: 150, picksPerCm: 30 }, quantity: 100, dueDate: inDays(10), sizes: { S: 100 } }, 'sizes', /only garment orders/],
    ];
    for (const [body, field, message] of cases) {
      const res = await post(body);
      expect(res.status, field).toBe(400);
      const error = res.body.errors?.find((e) => e.field === field);
      expect(error?.message, JSON.stringify(res.body.errors)).toMatch(message);
    }
    expect((await t.sql<{ n: number }>('SELECT count(*)::int AS n FROM orders'))[0]!.n).toBe(before);
  });
});
