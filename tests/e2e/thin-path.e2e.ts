import { inDays, startTestApp, type TestApp } from '../support/harness';
import { addLine, airJetLine, orderSettled, type OrderBody, signup } from '../support/market';

/** The walking skeleton: signup → line → order → matcher → offer → accept, over HTTP. */
describe('thin path: order to confirmed offer', () => {
  let t: TestApp;
  beforeAll(async () => {
    t = await startTestApp();
  });
  afterAll(async () => {
    await t.close();
  });

  it('matches a fabric order to a loom, reserves exactly its demand, and confirms on accept', async () => {
    const factory = await signup(t, { kind: 'factory', name: 'Keqiao Weaving No. 3', city: 'Shaoxing', province: 'Zhejiang' });
    const brand = await signup(t, { kind: 'brand', name: 'Canton Studio' });

    const me = await t.request<{ id: string; kind: string }>('GET', '/me', { key: factory.key });
    expect(me.status).toBe(200);
    expect(me.body).toMatchObject({ id: factory.id, kind: 'factory' });

    const line = await addLine(t, factory.key, airJetLine);
    // 48 looms x 700 rpm x 60 min x 22 h x 0.85
    expect(line.dailyCapacity).toBe(Math.floor(48 * 700 * 60 * 22 * 0.85));
    const lines = await t.request<{ items: { id: string }[] }>('GET', '/lines', { key: factory.key });
    expect(lines.body.items.map((l) => l.id)).toEqual([line.id]);
    const [ledger] = await t.sql<{ days: number; capacity: string }>(`SELECT count(*)::int AS days, min(capacity)::text AS capacity FROM capacity_days WHERE line_id = $1`, [line.id]);
    expect(ledger).toEqual({ days: 60, capacity: String(line.dailyCapacity) });

    const posted = await t.request<OrderBody>('POST', '/orders', {
      key: brand.key,
      body: { kind: 'fabric', fabric: { fiber: 'cotton', weave: 'twill', widthCm: 150, picksPerCm: 30 }, quantity: 3000, dueDate: inDays(20) },
    });
    expect(posted.status).toBe(202);
    expect(posted.body.status).toBe('pending');

    const proposed = await orderSettled(t, brand.key, posted.body.id);
    expect(proposed.status).toBe('proposed');
    expect(proposed.allocations).toHaveLength(1);
    const allocation = proposed.allocations[0]!;
    expect(allocation).toMatchObject({ lineId: line.id, factoryId: factory.id, quantity: 3000, status: 'offered', demand: 3000 * 30 * 100 });

    const [reserved] = await t.sql<{ reserved: string }>(`SELECT sum(reserved)::text AS reserved FROM capacity_days WHERE line_id = $1`, [line.id]);
    expect(Number(reserved!.reserved)).toBe(allocation.demand);

    const offers = await t.request<{ items: { id: string; orderId: string; expiresAt?: string }[] }>('GET', '/offers?status=offered', { key: factory.key });
    expect(offers.body.items.map((o) => o.id)).toEqual([allocation.id]);
    expect(Date.parse(offers.body.items[0]!.expiresAt!)).toBeGreaterThan(Date.now());

    const accepted = await t.request<{ status: string }>('POST', `/offers/${allocation.id}/accept`, { key: factory.key });
    expect(accepted.status).toBe(200);
    expect(accepted.body.status).toBe('accepted');

    const confirmed = await t.request<OrderBody>('GET', `/orders/${posted.body.id}`, { key: brand.key });
    expect(confirmed.body.status).toBe('confirmed');
    expect(confirmed.body.allocations[0]!.status).toBe('accepted');

    const events = await t.sql<{ type: string }>(`SELECT type FROM events WHERE order_id = $1 ORDER BY id`, [posted.body.id]);
    expect(events.map((e) => e.type)).toEqual(['order.posted', 'order.matched', 'offer.created', 'offer.accepted', 'order.confirmed']);

    const again = await t.request('POST', `/offers/${allocation.id}/accept`, { key: factory.key });
    expect(again.status).toBe(409);
    expect(again.headers.get('content-type')).toContain('application/problem+json');
  });

  it('refuses a bad order with a problem document naming each field, and writes nothing', async () => {
    const brand = await signup(t, { kind: 'brand', name: 'Haizhu Basics' });
    const before = await t.sql<{ orders: number; events: number }>(`SELECT (SELECT count(*)::int FROM orders) AS orders, (SELECT count(*)::int FROM events) AS events`);
    const res = await t.request<{ status: number; errors: { field: string }[] }>('POST', '/orders', {
      key: brand.key,
      body: { kind: 'fabric', fabric: { fiber: 'cotton', weave: 'twill', widthCm: 1500, picksPerCm: 30 }, quantity: -3, dueDate: inDays(10), colour: 'red' },
    });
    expect(res.status).toBe(400);
    expect(res.headers.get('content-type')).toContain('application/problem+json');
    expect(res.body.status).toBe(400);
    expect(res.body.errors.map((e) => e.field).sort()).toEqual(['colour', 'fabric.widthCm', 'quantity']);
    expect(JSON.stringify(res.body)).not.toMatch(/at .*\.(js|ts):\d+|SELECT|INSERT/);
    const after = await t.sql(`SELECT (SELECT count(*)::int FROM orders) AS orders, (SELECT count(*)::int FROM events) AS events`);
    expect(after).toEqual(before);
  });

  it('hides another organization\'s order behind 404', async () => {
    const owner = await signup(t, { kind: 'brand', name: 'Owner Brand' });
    const other = await signup(t, { kind: 'brand', name: 'Other Brand' });
    const posted = await t.request<OrderBody>('POST', '/orders', {
      key: owner.key,
      body: { kind: 'fabric', fabric: { fiber: 'polyester', weave: 'plain', widthCm: 150, picksPerCm: 20 }, quantity: 100, dueDate: inDays(15) },
    });
    expect(posted.status).toBe(202);
    const peek = await t.request('GET', `/orders/${posted.body.id}`, { key: other.key });
    expect(peek.status).toBe(404);
    expect(JSON.stringify(peek.body)).not.toContain(posted.body.id.slice(0, 8) + 'x');
    expect(peek.body).not.toHaveProperty('quantity');
    const anonymous = await t.request('GET', `/orders/${posted.body.id}`);
    expect(anonymous.status).toBe(401);
  });

  it('reports readiness of the database and the queue backend', async () => {
    const ready = await t.request<{ status: string; checks: Record<string, { status: string }> }>('GET', '/health/ready');
    expect(ready.status).toBe(200);
    expect(Object.values(ready.body.checks).map((c) => c.status)).toEqual(['up', 'up']);
  });
});
