import { inDays, startTestApp, type TestApp } from '../support/harness';
import { addLine, orderSettled, type OrderBody, signup } from '../support/market';

const loom = (machineType: string, fibers: string[], extra: Record<string, unknown> = {}) => ({
  kind: 'weaving', name: `${machineType} hall`, machineType, machines: 10, rpm: 500, maxWidthCm: 190, ratePerUnit: 0.02, fibers, ...extra,
});
/** 10 looms x 500 rpm x 60 x 22 h x 0.85 */
const LOOM_DAY = Math.floor(10 * 500 * 60 * 22 * 0.85);

describe('matching on the real stack', () => {
  let t: TestApp;
  let brand: { id: string; key: string };
  beforeAll(async () => {
    t = await startTestApp();
    brand = await signup(t, { kind: 'brand', name: 'Matching Brand' });
  });
  afterAll(async () => {
    await t.close();
  });

  const post = async (body: Record<string, unknown>): Promise<OrderBody> => {
    const res = await t.request<OrderBody>('POST', '/orders', { key: brand.key, body });
    expect(res.status).toBe(202);
    return orderSettled(t, brand.key, res.body.id);
  };

  it('matches a garment order to a sewing line in standard minutes', async () => {
    const factory = await signup(t, { kind: 'factory', name: 'Xintang Denim Sewing' });
    const line = await addLine(t, factory.key, { kind: 'sewing', name: 'Line 3', operators: 30, categories: ['jeans'], fabricTypes: ['woven'], moq: 100, ratePerUnit: 0.5 });
    expect(line.dailyCapacity).toBe(Math.floor(30 * 480 * 0.6));
    const order = await post({ kind: 'garment', garment: { category: 'jeans', fabricType: 'woven', samMinutes: 18 }, quantity: 400, dueDate: inDays(10) });
    expect(order.status).toBe('proposed');
    expect(order.allocations).toMatchObject([{ lineId: line.id, quantity: 400, demand: 400 * 18 }]);
  });

  it('never offers cotton to a water-jet loom, however cheap', async () => {
    const waterJets = await signup(t, { kind: 'factory', name: 'Changxing Water-jets' });
    const cheapest = await addLine(t, waterJets.key, loom('water_jet', ['polyester', 'nylon'], { ratePerUnit: 0.001 }));
    const airJets = await signup(t, { kind: 'factory', name: 'Keqiao Air-jets' });
    const airJet = await addLine(t, airJets.key, loom('air_jet', ['cotton'], { ratePerUnit: 0.05 }));
    const order = await post({ kind: 'fabric', fabric: { fiber: 'cotton', weave: 'plain', widthCm: 150, picksPerCm: 30 }, quantity: 1000, dueDate: inDays(10) });
    expect(order.allocations.map((a) => a.lineId)).toEqual([airJet.id]);
    expect(order.allocations.map((a) => a.lineId)).not.toContain(cheapest.id);
  });

  it('splits a fabric order across two mills when no single mill can make it by the due date', async () => {
    const a = await signup(t, { kind: 'factory', name: 'Shengze Mill A' });
    const b = await signup(t, { kind: 'factory', name: 'Shengze Mill B' });
    const lineA = await addLine(t, a.key, loom('air_jet', ['viscose']));
    const lineB = await addLine(t, b.key, loom('air_jet', ['viscose'], { ratePerUnit: 0.03 }));
    // Window: tomorrow through 4 days from now = 4 loom-days per line; the order needs about 6.
    const picks = 30 * 100;
    const quantity = Math.floor((LOOM_DAY * 6) / picks);
    const order = await post({ kind: 'fabric', fabric: { fiber: 'viscose', weave: 'twill', widthCm: 150, picksPerCm: 30 }, quantity, dueDate: inDays(4) });
    expect(order.status).toBe('proposed');
    expect(order.allocations.map((x) => x.lineId).sort()).toEqual([lineA.id, lineB.id].sort());
    expect(order.allocations.reduce((sum, x) => sum + x.quantity, 0)).toBe(quantity);
    for (const x of order.allocations) expect(x.endDate <= inDays(4)).toBe(true);
  });

  it('explains an order no line can make, with reason codes and the closest miss', async () => {
    const factory = await signup(t, { kind: 'factory', name: 'Narrow Linen Mill' });
    await addLine(t, factory.key, loom('rapier', ['linen'], { maxWidthCm: 190 }));
    const order = await post({ kind: 'fabric', fabric: { fiber: 'linen', weave: 'plain', widthCm: 280, picksPerCm: 20 }, quantity: 500, dueDate: inDays(10) });
    expect(order.status).toBe('unmatched');
    expect(order.explanation?.reasons?.map((r) => r.code)).toContain('WIDTH_EXCEEDS_MAX');
    expect(order.explanation?.summary).toMatch(/280/);
    expect(order.allocations).toEqual([]);
  });

  it('quotes earliest completion and price without reserving anything', async () => {
    const factory = await signup(t, { kind: 'factory', name: 'Quote Mill' });
    const line = await addLine(t, factory.key, loom('projectile', ['wool'], { ratePerUnit: 0.04 }));
    const body = { kind: 'fabric', fabric: { fiber: 'wool', weave: 'twill', widthCm: 150, picksPerCm: 20 }, quantity: 600, dueDate: inDays(12), targetPrice: 10_000 };
    const before = await t.sql(`SELECT (SELECT count(*)::int FROM orders) AS orders, (SELECT coalesce(sum(reserved), 0)::text FROM capacity_days) AS reserved`);
    const quote = await t.request<{ feasible: boolean; price: number; earliestCompletion: string; splits: number; withinTargetPrice: boolean }>('POST', '/quotes', { key: brand.key, body });
    expect(quote.status).toBe(200);
    expect(quote.body).toMatchObject({ feasible: true, splits: 1, withinTargetPrice: true });
    expect(quote.body.price).toBeCloseTo((600 * 20 * 100 * 0.04) / 1000, 2);
    expect(quote.body.earliestCompletion).toBe(inDays(1));
    expect(await t.sql(`SELECT (SELECT count(*)::int FROM orders) AS orders, (SELECT coalesce(sum(reserved), 0)::text FROM capacity_days) AS reserved`)).toEqual(before);
    // Posting the same order gets what the quote said.
    const order = await post(body);
    expect(order.allocations).toMatchObject([{ lineId: line.id, endDate: quote.body.earliestCompletion }]);
    const impossible = await t.request<{ feasible: boolean; reasons: { code: string }[] }>('POST', '/quotes', { key: brand.key, body: { ...body, fabric: { ...body.fabric, fiber: 'silk' } } });
    expect(impossible.body.feasible).toBe(false);
    expect(impossible.body.reasons.length).toBeGreaterThan(0);
  });

  it('re-matches an unmatched order when a line that can make it appears', async () => {
    const order = await post({ kind: 'fabric', fabric: { fiber: 'silk', weave: 'satin', widthCm: 140, picksPerCm: 40 }, quantity: 300, dueDate: inDays(9) });
    expect(order.status).toBe('unmatched');
    const factory = await signup(t, { kind: 'factory', name: 'Huzhou Silk' });
    const line = await addLine(t, factory.key, loom('rapier', ['silk']));
    const rematched = await orderSettled(t, brand.key, order.id, ['pending', 'matching', 'unmatched']);
    expect(rematched.status).toBe('proposed');
    expect(rematched.allocations.map((a) => a.lineId)).toEqual([line.id]);
  });

  it('re-plans an allocation when its line closes on the planned days, never dropping it silently', async () => {
    const first = await signup(t, { kind: 'factory', name: 'Closing Mill' });
    const closing = await addLine(t, first.key, loom('air_jet', ['blend'], { ratePerUnit: 0.01 }));
    const second = await signup(t, { kind: 'factory', name: 'Backup Mill' });
    const backup = await addLine(t, second.key, loom('air_jet', ['blend'], { ratePerUnit: 0.02 }));
    // Twice the price on the backup line, within the order's tolerance (tests/terms covers asking the brand).
    const order = await post({ kind: 'fabric', fabric: { fiber: 'blend', weave: 'plain', widthCm: 150, picksPerCm: 25 }, quantity: 800, dueDate: inDays(8), priceTolerancePct: 100 });
    expect(order.allocations.map((a) => a.lineId)).toEqual([closing.id]);
    const days = Array.from({ length: 10 }, (_, i) => ({ date: inDays(i), fraction: 0 }));
    const closed = await t.request('PUT', `/lines/${closing.id}/availability`, { key: first.key, body: { days } });
    expect(closed.status).toBe(200);
    const [left] = await t.sql<{ reserved: string; capacity: string }>(`SELECT sum(reserved)::text AS reserved, sum(capacity)::text AS capacity FROM capacity_days WHERE line_id = $1 AND day < current_date + 10`, [closing.id]);
    expect(left).toEqual({ reserved: '0', capacity: '0' });
    await expect
      .poll(async () => (await t.request<OrderBody>('GET', `/orders/${order.id}`, { key: brand.key })).body.allocations.map((a) => `${a.lineId === backup.id ? 'backup' : 'closing'}:${a.status}`), { timeout: 10_000 })
      .toEqual(['closing:cancelled', 'backup:offered']);
    // A bad day is refused, naming it; nothing changes.
    const bad = await t.request<{ errors: { field: string }[] }>('PUT', `/lines/${backup.id}/availability`, { key: second.key, body: { days: [{ date: inDays(400), fraction: 0.5 }] } });
    expect(bad.status).toBe(400);
    expect(bad.body.errors.map((e) => e.field)).toEqual(['days.0.date']);
  });

  it('moves the ledger when a line changes, and refuses a fibre the machine cannot weave', async () => {
    const factory = await signup(t, { kind: 'factory', name: 'Growing Mill' });
    const line = await addLine(t, factory.key, loom('air_jet', ['nylon']));
    const grown = await t.request<{ dailyCapacity: number; machines: number }>('PATCH', `/lines/${line.id}`, { key: factory.key, body: { machines: 20 } });
    expect(grown.status).toBe(200);
    expect(grown.body.dailyCapacity).toBe(LOOM_DAY * 2);
    const [row] = await t.sql<{ capacity: string }>(`SELECT max(capacity)::text AS capacity FROM capacity_days WHERE line_id = $1`, [line.id]);
    expect(Number(row!.capacity)).toBe(LOOM_DAY * 2);
    const wrong = await t.request<{ errors: { field: string }[] }>('PATCH', `/lines/${line.id}`, { key: factory.key, body: { machineType: 'water_jet', fibers: ['cotton'] } });
    expect(wrong.status).toBe(400);
    expect(wrong.body.errors.map((e) => e.field)).toEqual(['fibers']);
    const other = await signup(t, { kind: 'factory', name: 'Nosy Mill' });
    expect((await t.request('PATCH', `/lines/${line.id}`, { key: other.key, body: { machines: 1 } })).status).toBe(404);
  });
});

describe('ranking by the factory record', () => {
  let t: TestApp;
  beforeAll(async () => {
    t = await startTestApp();
  });
  afterAll(async () => {
    await t.close();
  });

  it('prefers a mill that answers its offers over an identical, less loaded one that keeps rejecting', async () => {
    const flaky = await signup(t, { kind: 'factory', name: 'Flaky Mill' });
    const flakyLine = await addLine(t, flaky.key, loom('air_jet', ['cotton']));
    const brand = await signup(t, { kind: 'brand', name: 'Record Brand' });
    const order = (quantity: number) => ({ kind: 'fabric', fabric: { fiber: 'cotton', weave: 'plain', widthCm: 150, picksPerCm: 30 }, quantity, dueDate: inDays(20) });
    // The flaky mill is alone in the market and rejects everything it is offered.
    const first: string[] = [];
    for (let i = 0; i < 3; i++) {
      const posted = await t.request<OrderBody>('POST', '/orders', { key: brand.key, body: order(100 + i) });
      const settled = await orderSettled(t, brand.key, posted.body.id);
      expect(settled.allocations.map((a) => a.lineId)).toEqual([flakyLine.id]);
      await t.request('POST', `/offers/${settled.allocations[0]!.id}/reject`, { key: flaky.key, body: { reason: 'busy' } });
      await expect.poll(async () => (await t.request<OrderBody>('GET', `/orders/${posted.body.id}`, { key: brand.key })).body.status, { timeout: 10_000 }).toBe('unmatched');
      first.push(posted.body.id);
    }
    // An identical mill opens; the waiting orders go to it, and it accepts them: it is now the busier one.
    const steady = await signup(t, { kind: 'factory', name: 'Steady Mill' });
    const steadyLine = await addLine(t, steady.key, loom('air_jet', ['cotton']));
    for (const id of first) {
      const settled = await orderSettled(t, brand.key, id, ['pending', 'matching', 'unmatched']);
      expect(settled.allocations.filter((a) => a.status === 'offered').map((a) => a.lineId)).toEqual([steadyLine.id]);
      await t.request('POST', `/offers/${settled.allocations.find((a) => a.status === 'offered')!.id}/accept`, { key: steady.key });
    }
    // Same machines, same price, same dates; the flaky mill is idler, but its record ranks it lower.
    const next = await t.request<OrderBody>('POST', '/orders', { key: brand.key, body: order(500) });
    const settled = await orderSettled(t, brand.key, next.body.id);
    expect(settled.allocations.map((a) => a.lineId)).toEqual([steadyLine.id]);
  });
});
