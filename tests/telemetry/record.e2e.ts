import { inDays, OPERATOR_KEY, startTestApp, type TestApp } from '../support/harness';
import { addLine, orderSettled, type OrderBody, signup } from '../support/market';
import { loomLine } from './support';

interface RecordBody {
  factoryId: string;
  acceptanceRate: number;
  onTimeRate: number;
  responseScore: number;
  responseTimeSeconds: number | null;
  history: { answered: number; accepted: number; responses: number };
}

describe("the factory's response time ranks its lines", () => {
  let t: TestApp;
  beforeAll(async () => {
    t = await startTestApp({ OFFER_TTL_SECONDS: '1800' });
  });
  afterAll(async () => {
    await t.close();
  });

  const fabricOrder = (fiber: string) => ({ kind: 'fabric', fabric: { fiber, weave: 'plain', widthCm: 150, picksPerCm: 20 }, quantity: 200, earliestStart: inDays(1), dueDate: inDays(10) });

  /** One offer answered by accepting it `minutesLate` after it was made (the offer is dated back). */
  async function answeredOffer(brandKey: string, factoryKey: string, fiber: string, minutesLate: number): Promise<void> {
    const posted = await t.request<OrderBody>('POST', '/orders', { key: brandKey, body: fabricOrder(fiber) });
    const offered = await orderSettled(t, brandKey, posted.body.id);
    const offer = offered.allocations.find((a) => a.status === 'offered')!;
    await t.sql(`UPDATE allocations SET created_at = now() - make_interval(mins => $2) WHERE id = $1`, [offer.id, minutesLate]);
    expect((await t.request('POST', `/offers/${offer.id}/accept`, { key: factoryKey })).status).toBe(200);
  }

  it('a factory that answers slowly loses an order to an identical one that answers at once, and both see why', async () => {
    const brand = await signup(t, { kind: 'brand', name: 'Cotton Basics' });
    const slow = await signup(t, { kind: 'factory', name: 'Slow Answer Mill' });
    const fast = await signup(t, { kind: 'factory', name: 'Fast Answer Mill' });
    // History first, each mill on a fibre only it weaves: same count of offers, all accepted.
    await addLine(t, slow.key, loomLine(['linen'], 4));
    await addLine(t, fast.key, loomLine(['wool'], 4));
    for (let i = 0; i < 2; i++) {
      await answeredOffer(brand.key, slow.key, 'linen', 25);
      await answeredOffer(brand.key, fast.key, 'wool', 0);
    }
    const slowRecord = (await t.request<RecordBody>('GET', '/me/record', { key: slow.key })).body;
    const fastRecord = (await t.request<RecordBody>('GET', '/me/record', { key: fast.key })).body;
    expect(slowRecord.history).toMatchObject({ answered: 2, accepted: 2, responses: 2 });
    expect(slowRecord.responseTimeSeconds).toBeGreaterThanOrEqual(25 * 60);
    expect(slowRecord.responseTimeSeconds).toBeLessThan(26 * 60);
    expect(fastRecord.responseTimeSeconds).toBeLessThan(60);
    expect(slowRecord.acceptanceRate).toBe(fastRecord.acceptanceRate);
    // Two 25-minute answers on 30-minute offers, smoothed with five answers at 3 minutes.
    expect(slowRecord.responseScore).toBeCloseTo(1 - (2 * 1500 + 5 * 180) / 7 / 1800, 1);
    expect(fastRecord.responseScore).toBeGreaterThan(0.9);
    // Operators see the same record.
    expect((await t.request<RecordBody>('GET', `/factories/${slow.id}/record`, { key: OPERATOR_KEY })).body).toEqual(slowRecord);

    // Identical cotton lines, the slow mill's a shade cheaper: without response time it would win.
    const slowLine = await addLine(t, slow.key, loomLine(['cotton'], 4, { ratePerUnit: 0.0199 }));
    const fastLine = await addLine(t, fast.key, loomLine(['cotton'], 4, { ratePerUnit: 0.02 }));
    const posted = await t.request<OrderBody>('POST', '/orders', { key: brand.key, body: fabricOrder('cotton') });
    const matched = await orderSettled(t, brand.key, posted.body.id);
    expect(matched.allocations.map((a) => a.lineId)).toEqual([fastLine.id]);
    expect(matched.allocations.map((a) => a.lineId)).not.toContain(slowLine.id);
  });
});
