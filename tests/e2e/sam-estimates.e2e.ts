import { inDays, startTestApp, type TestApp } from '../support/harness';
import { addLine, orderSettled, type OrderBody, signup } from '../support/market';

interface Estimate { samMinutes: number; range: [number, number]; operations: { name: string; minutes: number }[] }
interface Problem { status: number; errors?: { field: string; message: string }[] }

const TSHIRT = { neck_rib: 1, neck_tape: 1, set_in_sleeves: 1, sleeve_hems_coverstitch: 1, bottom_hem_coverstitch: 1, labels: 1 };

describe('standard minutes from a spec (POST /sam-estimates, spec on garment orders)', () => {
  let t: TestApp;
  let brand: { id: string; key: string };
  let factory: { id: string; key: string };
  let line: { id: string };
  beforeAll(async () => {
    t = await startTestApp();
    brand = await signup(t, { kind: 'brand', name: 'SAM Brand' });
    factory = await signup(t, { kind: 'factory', name: 'Humen Knit Sewing' });
    line = await addLine(t, factory.key, { kind: 'sewing', name: 'Line 1', operators: 30, categories: ['tshirt'], fabricTypes: ['knit'], moq: 50, ratePerUnit: 0.5 });
  });
  afterAll(async () => {
    await t.close();
  });

  const estimate = (key: string, body: unknown) => t.request<Estimate & Problem>('POST', '/sam-estimates', { key, body });
  const fields = (p: Problem): string[] => (p.errors ?? []).map((e) => e.field);

  it('answers an operation bulletin with a range, for brands and factories alike', async () => {
    const res = await estimate(brand.key, { category: 'tshirt', fabricType: 'knit', features: TSHIRT });
    expect(res.status).toBe(200);
    // a basic T-shirt: 5-7 minutes in the published table (docs/sam.md [1])
    expect(res.body.samMinutes).toBeGreaterThanOrEqual(5);
    expect(res.body.samMinutes).toBeLessThanOrEqual(7);
    expect(res.body.range[0]).toBeLessThan(res.body.samMinutes);
    expect(res.body.range[1]).toBeGreaterThan(res.body.samMinutes);
    expect(res.body.operations.map((o) => o.name)).toContain('neck rib attach (overlock)');
    const fromFactory = await estimate(factory.key, { category: 'tshirt', fabricType: 'knit', features: TSHIRT });
    expect(fromFactory.body).toEqual(res.body);
  });

  it('refuses an unknown feature, a bad count and an unknown field, naming each', async () => {
    const unknown = await estimate(brand.key, { category: 'tshirt', fabricType: 'knit', features: { neck_rib: 1, pocket_of_holding: 1, buttons: 0 } });
    expect(unknown.status).toBe(400);
    expect(fields(unknown.body)).toEqual(['features.pocket_of_holding', 'features.buttons']);
    const extra = await estimate(brand.key, { category: 'tshirt', fabricType: 'knit', features: {}, colour: 'red' });
    expect(extra.status).toBe(400);
    expect(fields(extra.body)).toContain('colour');
    const shape = await estimate(brand.key, { category: 'gown', fabricType: 'knit', features: ['neck_rib'] });
    expect(shape.status).toBe(400);
    expect(fields(shape.body)).toEqual(expect.arrayContaining(['category', 'features']));
  });

  it('plans a garment order posted with a spec on its estimate, and keeps the range on the order', async () => {
    const { body: est } = await estimate(brand.key, { category: 'tshirt', fabricType: 'knit', features: TSHIRT });
    const posted = await t.request<OrderBody>('POST', '/orders', { key: brand.key, body: { kind: 'garment', garment: { category: 'tshirt', fabricType: 'knit', spec: { features: TSHIRT } }, quantity: 400, dueDate: inDays(20) } });
    expect(posted.status).toBe(202);
    const order = await orderSettled(t, brand.key, posted.body.id);
    expect(order.status).toBe('proposed');
    expect(order.allocations).toMatchObject([{ lineId: line.id, quantity: 400, demand: Math.ceil(400 * est.samMinutes) }]);
    const { body: view } = await t.request<{ garment: { samMinutes: number; samEstimate: { features: Record<string, number>; range: number[] } } }>('GET', `/orders/${order.id}`, { key: brand.key });
    expect(view.garment.samMinutes).toBe(est.samMinutes);
    expect(view.garment.samEstimate).toEqual({ features: TSHIRT, range: est.range });
  });

  it('quotes a spec on the same estimate', async () => {
    const { body: est } = await estimate(brand.key, { category: 'tshirt', fabricType: 'knit', features: TSHIRT });
    const quote = await t.request<{ feasible: boolean; price: number }>('POST', '/quotes', { key: brand.key, body: { kind: 'garment', garment: { category: 'tshirt', fabricType: 'knit', spec: { category: 'tshirt', fabricType: 'knit', features: TSHIRT } }, quantity: 200, dueDate: inDays(20) } });
    expect(quote.status).toBe(200);
    expect(quote.body.feasible).toBe(true);
    expect(quote.body.price).toBeCloseTo(Math.ceil(200 * est.samMinutes) * 0.5, 1);
  });

  it('takes exactly one of samMinutes and spec, naming the field otherwise; nothing is stored', async () => {
    const before = (await t.sql<{ n: number }>('SELECT count(*)::int AS n FROM orders'))[0]!.n;
    const garment = (g: Record<string, unknown>) => ({ kind: 'garment', garment: { category: 'tshirt', fabricType: 'knit', ...g }, quantity: 100, dueDate: inDays(20) });
    const cases: [Record<string, unknown>, string][] = [
      [{}, 'garment.samMinutes'],
      [{ samMinutes: 6, spec: { features: TSHIRT } }, 'garment.spec'],
      [{ spec: { category: 'polo', features: TSHIRT } }, 'garment.spec.category'],
      [{ spec: { fabricType: 'woven', features: TSHIRT } }, 'garment.spec.fabricType'],
      [{ spec: { features: { ...TSHIRT, gold_trim: 1 } } }, 'garment.spec.features.gold_trim'],
      [{ spec: { features: TSHIRT, colour: 'red' } }, 'garment.spec.colour'],
    ];
    for (const [g, field] of cases) {
      const res = await t.request<Problem>('POST', '/orders', { key: brand.key, body: garment(g) });
      expect(res.status, field).toBe(400);
      expect(fields(res.body), field).toContain(field);
    }
    const batch = await t.request<Problem>('POST', '/orders/batch', { key: brand.key, body: { orders: [garment({ samMinutes: 6 }), garment({ spec: { features: { gold_trim: 1 } } })] } });
    expect(batch.status).toBe(400);
    expect(fields(batch.body)).toEqual(['orders.1.garment.spec.features.gold_trim']);
    const after = (await t.sql<{ n: number }>('SELECT count(*)::int AS n FROM orders'))[0]!.n;
    expect(after).toBe(before);
  });
});
