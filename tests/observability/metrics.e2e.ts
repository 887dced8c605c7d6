import { inDays, OPERATOR_KEY, startTestApp, type TestApp } from '../support/harness';
import { addLine, airJetLine, orderSettled, signup } from '../support/market';
import { type Family, parsePrometheusText, sampleValue } from './prometheus-text';

async function scrape(t: TestApp): Promise<Map<string, Family>> {
  const res = await fetch(`${t.baseUrl}/metrics`, { headers: { authorization: `Bearer ${OPERATOR_KEY}` } });
  expect(res.status).toBe(200);
  expect(res.headers.get('content-type')).toMatch(/^text\/plain; version=0\.0\.4/);
  return parsePrometheusText(await res.text());
}

const fabricOrder = (quantity: number) => ({ kind: 'fabric', fabric: { fiber: 'cotton', weave: 'twill', widthCm: 150, picksPerCm: 30 }, quantity, dueDate: inDays(20) });

describe('GET /metrics', () => {
  let t: TestApp;
  beforeAll(async () => {
    t = await startTestApp();
  });
  afterAll(async () => {
    await t?.close();
  });

  it('is for operators only', async () => {
    const brand = await signup(t, { kind: 'brand', name: 'Nosy Brand' });
    expect((await fetch(`${t.baseUrl}/metrics`)).status).toBe(401);
    const asBrand = await fetch(`${t.baseUrl}/metrics`, { headers: { authorization: `Bearer ${brand.key}` } });
    expect(asBrand.status).toBe(404);
    expect(await asBrand.text()).not.toContain('cloudloom_orders');
  });

  it('parses as Prometheus text and moves when orders are posted and matched', async () => {
    const before = await scrape(t);
    for (const name of ['cloudloom_orders_posted_total', 'cloudloom_orders', 'cloudloom_time_to_match_seconds', 'cloudloom_queue_jobs', 'cloudloom_offers', 'cloudloom_capacity_utilization_ratio']) {
      expect(before.has(name), name).toBe(true);
    }
    expect(before.get('cloudloom_time_to_match_seconds')!.type).toBe('histogram');
    expect(before.get('cloudloom_orders_posted_total')!.type).toBe('counter');
    for (const queue of ['matching', 'offers', 'capacity', 'maintenance']) {
      expect(sampleValue(before, 'cloudloom_queue_jobs', { queue, state: 'waiting' }), queue).toBeGreaterThanOrEqual(0);
    }
    const postedBefore = sampleValue(before, 'cloudloom_orders_posted_total', { kind: 'fabric' })!;
    const matchedBefore = sampleValue(before, 'cloudloom_time_to_match_seconds_count')!;
    expect(sampleValue(before, 'cloudloom_offers', { status: 'offered' })).toBeUndefined();

    const factory = await signup(t, { kind: 'factory', name: 'Metrics Mill', city: 'Shaoxing', province: 'Zhejiang' });
    await addLine(t, factory.key, airJetLine);
    const brand = await signup(t, { kind: 'brand', name: 'Metrics Brand' });
    const ids: string[] = [];
    for (const quantity of [1200, 800]) {
      const res = await t.request<{ id: string }>('POST', '/orders', { key: brand.key, body: fabricOrder(quantity) });
      expect(res.status).toBe(202);
      ids.push(res.body.id);
    }
    const posted = await scrape(t);
    expect(sampleValue(posted, 'cloudloom_orders_posted_total', { kind: 'fabric' })).toBe(postedBefore + 2);

    for (const id of ids) expect((await orderSettled(t, brand.key, id)).status).toBe('proposed');
    const after = await scrape(t);
    expect(sampleValue(after, 'cloudloom_time_to_match_seconds_count')).toBe(matchedBefore + 2);
    expect(sampleValue(after, 'cloudloom_time_to_match_seconds_bucket', { le: '+Inf' })).toBe(matchedBefore + 2);
    expect(sampleValue(after, 'cloudloom_time_to_match_seconds_sum')).toBeGreaterThan(0);
    expect(sampleValue(after, 'cloudloom_offers', { status: 'offered' })).toBe(2);
    expect(sampleValue(after, 'cloudloom_orders', { status: 'proposed' })).toBe(2);
    const utilization = sampleValue(after, 'cloudloom_capacity_utilization_ratio', { machine_type: 'air_jet' })!;
    expect(utilization).toBeGreaterThan(0);
    expect(utilization).toBeLessThan(1);
  });

  it('stays consistent while orders are matched: 50 scrapes, every histogram cumulative, counts never going back', async () => {
    const factory = await signup(t, { kind: 'factory', name: 'Busy Mill' });
    for (let i = 0; i < 3; i++) await addLine(t, factory.key, { ...airJetLine, name: `Busy hall ${i}` });
    const brand = await signup(t, { kind: 'brand', name: 'Busy Brand' });
    const matchedBefore = (await t.sql<{ n: number }>(`SELECT count(DISTINCT order_id)::int AS n FROM allocations`))[0]!.n;
    let last = 0;
    let whileMatching = 0;
    for (let round = 0; round < 5; round++) {
      // 50 orders, then 10 scrapes at once while the worker matches them.
      const res = await t.request('POST', '/orders/batch', { key: brand.key, body: { orders: Array.from({ length: 50 }, (_, j) => fabricOrder(100 + ((round + j) % 7) * 40)) } });
      expect(res.status).toBe(202);
      // parsePrometheusText throws on a bucket below the one before it, or +Inf other than _count.
      const rounds = await Promise.all(Array.from({ length: 10 }, () => scrape(t)));
      const counts = rounds.map((families) => sampleValue(families, 'cloudloom_time_to_match_seconds_count')!);
      expect(Math.min(...counts)).toBeGreaterThanOrEqual(last);
      last = Math.max(...counts);
      whileMatching += rounds.filter((families) => sampleValue(families, 'cloudloom_orders', { status: 'pending' })).length;
    }
    await expect.poll(async () => (await t.sql<{ n: number }>(`SELECT count(*)::int AS n FROM orders WHERE status IN ('pending', 'matching')`))[0]!.n, { timeout: 30_000, interval: 100 }).toBe(0);
    const matched = (await t.sql<{ n: number }>(`SELECT count(DISTINCT order_id)::int AS n FROM allocations`))[0]!.n;
    const final = await scrape(t);
    console.log(`metrics: 50 scrapes (${whileMatching} with orders pending), histogram _count ${last} at the 50th, ${sampleValue(final, 'cloudloom_time_to_match_seconds_count')} at the end = ${matched} orders with a first plan`);
    expect(sampleValue(final, 'cloudloom_time_to_match_seconds_count')).toBe(matched);
    expect(matched - matchedBefore).toBeGreaterThan(0);
  }, 120_000);

  it('rejects what is not Prometheus text', () => {
    expect(() => parsePrometheusText('# TYPE x counter\nx{a="1" 2\n')).toThrow(/not a sample/);
    expect(() => parsePrometheusText('y 1\n')).toThrow(/undeclared/);
    expect(() => parsePrometheusText('# TYPE h histogram\nh_bucket{le="1"} 2\nh_bucket{le="+Inf"} 1\nh_sum 1\nh_count 1\n')).toThrow(/cumulative/);
  });
});
