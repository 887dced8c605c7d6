import { inDays, OPERATOR_KEY, startTestApp, type TestApp } from '../support/harness';
import { addLine, type OrderBody, signup } from '../support/market';
import { loomLine, minutesAgo, type ReadingBody, registerMachines, sendReadings, telemetryDrained } from './support';

interface Progress {
  producedQuantity: number;
  quantity: number;
  expectedCompletion: string | null;
  forecastCompletion: string | null;
  onTimeRisk: 'low' | 'medium' | 'high' | null;
}
type Followed = OrderBody & { progress: Progress; allocations: (OrderBody['allocations'][number] & { producedQuantity: number })[] };

describe('production truth from the looms', () => {
  let t: TestApp;
  let mill: { id: string; key: string };
  let brand: { id: string; key: string };
  let orderId: string;
  let allocationId: string;
  const looms = ['W-1', 'W-2', 'W-3', 'W-4'];
  const follow = async (): Promise<Followed> => (await t.request<Followed>('GET', `/orders/${orderId}`, { key: brand.key })).body;

  beforeAll(async () => {
    t = await startTestApp({ LOOM_DOWN_AFTER_SECONDS: '3600' });
    mill = await signup(t, { kind: 'factory', name: 'Silk Weavers' });
    const line = await addLine(t, mill.key, loomLine(['silk'], 4));
    await registerMachines(t, mill.key, line.id, looms);
    brand = await signup(t, { kind: 'brand', name: 'Silk Scarves' });
    // 2,000 m at 40 picks/cm: 8,000,000 picks, about 3.6 days of the four looms; due in 10 days.
    const posted = await t.request<OrderBody>('POST', '/orders', {
      key: brand.key,
      body: { kind: 'fabric', fabric: { fiber: 'silk', weave: 'satin', widthCm: 140, picksPerCm: 40 }, quantity: 2000, earliestStart: inDays(0), dueDate: inDays(10) },
    });
    orderId = posted.body.id;
    // expect.poll is for tests, not hooks: wait for the match by polling the order.
    const deadline = Date.now() + 15_000;
    let order = (await t.request<OrderBody>('GET', `/orders/${orderId}`, { key: brand.key })).body;
    while (order.status === 'pending' && Date.now() < deadline) {
      await new Promise((resolve) => setTimeout(resolve, 50));
      order = (await t.request<OrderBody>('GET', `/orders/${orderId}`, { key: brand.key })).body;
    }
    expect(order.status).toBe('proposed');
    allocationId = order.allocations[0]!.id;
    expect((await t.request('POST', `/offers/${allocationId}/accept`, { key: mill.key })).status).toBe(200);
    // The looms' history below reaches back three hours, across midnight (UTC) in the first hours
    // of a day, and picks woven before an allocation's start day are not credited to it (by
    // design): the allocation is made to have started the day before, so the test holds at any hour.
    await t.sql(`UPDATE allocations SET start_date = start_date - 1 WHERE id = $1`, [allocationId]);
  });
  afterAll(async () => {
    await t.close();
  });

  it('credits woven picks as meters: picks ÷ (picks per cm × 100), never above the allocation, never backwards', async () => {
    // Three hours of the four looms, a reading every 10 minutes: 4,250 picks per loom per reading.
    const readings: ReadingBody[] = looms.flatMap((machineId) => Array.from({ length: 18 }, (_, i) => ({ machineId, at: minutesAgo(180 - i * 10), state: 'running' as const, picks: 4250 })));
    await sendReadings(t, mill.key, readings);
    await sendReadings(t, mill.key, readings.slice(0, 30)); // a gateway retry: counted once
    const picks = 4 * 18 * 4250;
    const meters = Math.floor(picks / (40 * 100));
    expect(meters).toBe(76);
    await expect.poll(async () => (await follow()).progress.producedQuantity, { timeout: 10_000 }).toBe(meters);
    const followed = await follow();
    expect(followed.status).toBe('in_production');
    expect(followed.allocations[0]).toMatchObject({ id: allocationId, status: 'in_production', producedQuantity: meters });

    // A manual report ahead of the looms stands; telemetry below it does not move it back.
    const manual = await t.request<{ producedQuantity: number }>('POST', `/allocations/${allocationId}/progress`, { key: mill.key, body: { producedQuantity: 150 } });
    expect(manual.status).toBe(200);
    await sendReadings(t, mill.key, looms.map((machineId) => ({ machineId, at: minutesAgo(5), state: 'running' as const, picks: 4250 })));
    await telemetryDrained(t);
    expect((await follow()).progress.producedQuantity).toBe(150);
    const [credited] = await t.sql<{ picks: string }>(`SELECT picks::text FROM allocation_telemetry WHERE allocation_id = $1`, [allocationId]);
    expect(Number(credited!.picks)).toBe(picks + 4 * 4250);
  });

  it('forecasts completion from the observed rate, and the forecast moves when looms stop', async () => {
    // Observed over the last 3 hours: 76 readings of 4,250 picks = 2,368,667 picks per 22-hour day.
    // 1,850 m left = 7,400,000 picks: 3.1 days, done on the 4th day (today + 3); due in 10.
    const perDay = ((76 * 4250) / (3 * 3600)) * 3600 * 22;
    const left = 1850 * 40 * 100;
    expect(Math.ceil(left / perDay)).toBe(4);
    const running = await follow();
    expect(running.progress.forecastCompletion).toBe(inDays(3));
    expect(running.progress.onTimeRisk).toBe('low');

    // Three looms stop: a quarter of the rate, 12.5 days' work (today + 12): past the due date.
    expect(Math.ceil(left / (perDay / 4))).toBe(13);
    await sendReadings(t, mill.key, looms.slice(0, 3).map((machineId) => ({ machineId, at: minutesAgo(1), state: 'down' as const })));
    await expect.poll(async () => (await follow()).progress.forecastCompletion, { timeout: 10_000 }).toBe(inDays(12));
    expect((await follow()).progress.onTimeRisk).toBe('high');

    // All four stopped: no date can be promised.
    await sendReadings(t, mill.key, [{ machineId: 'W-4', at: minutesAgo(0.5), state: 'idle' }]);
    await expect.poll(async () => (await follow()).progress, { timeout: 10_000 }).toMatchObject({ forecastCompletion: null, onTimeRisk: 'high' });
    // The plan's own date is still there beside the forecast.
    expect((await follow()).progress.expectedCompletion).toBe(running.progress.expectedCompletion);
  });

  it("shows the factory its record (acceptance, on-time, response time), and operators any factory's", async () => {
    const own = await t.request<{ factoryId: string; acceptanceRate: number; onTimeRate: number; responseTimeSeconds: number | null; history: { answered: number; accepted: number } }>('GET', '/me/record', { key: mill.key });
    expect(own.status).toBe(200);
    expect(own.body).toMatchObject({ factoryId: mill.id, history: { answered: 1, accepted: 1 } });
    expect(own.body.acceptanceRate).toBeCloseTo((1 + 0.9 * 5) / 6, 6);
    expect(own.body.onTimeRate).toBeCloseTo(0.9, 6);
    const [answer] = await t.sql<{ s: number }>(
      `SELECT extract(epoch FROM e.created_at - a.created_at)::float8 AS s FROM events e JOIN allocations a ON a.id = (e.payload->>'allocationId')::uuid WHERE e.type = 'offer.accepted' AND a.id = $1`,
      [allocationId],
    );
    expect(own.body.responseTimeSeconds).toBe(Math.round(answer!.s));

    const seen = await t.request('GET', `/factories/${mill.id}/record`, { key: OPERATOR_KEY });
    expect(seen.status).toBe(200);
    expect(seen.body).toEqual(own.body);
    expect((await t.request('GET', `/factories/${brand.id}/record`, { key: OPERATOR_KEY })).status).toBe(404);
    expect((await t.request('GET', '/me/record', { key: brand.key })).status).toBe(404);
    expect((await t.request('GET', `/factories/${mill.id}/record`, { key: mill.key })).status).toBe(404);
  });

  it('never credits more than the allocation: extra picks complete it and stop there', async () => {
    const small = await signup(t, { kind: 'factory', name: 'Wool Sampler', autoAccept: true });
    const line = await addLine(t, small.key, loomLine(['wool'], 1));
    await registerMachines(t, small.key, line.id, ['S-1']);
    const posted = await t.request<OrderBody>('POST', '/orders', {
      key: brand.key,
      body: { kind: 'fabric', fabric: { fiber: 'wool', weave: 'twill', widthCm: 150, picksPerCm: 20 }, quantity: 10, earliestStart: inDays(0), dueDate: inDays(5) },
    });
    const view = async (): Promise<Followed> => (await t.request<Followed>('GET', `/orders/${posted.body.id}`, { key: brand.key })).body;
    await expect.poll(async () => (await view()).status, { timeout: 10_000 }).toBe('confirmed');
    // 10 m need 10 x 2,000 picks; the loom reports five times that.
    // Seconds ago, so that it falls on the allocation's start day (today) at any hour.
    await sendReadings(t, small.key, [{ machineId: 'S-1', at: minutesAgo(0.05), state: 'running', picks: 100_000 }]);
    await expect.poll(async () => (await view()).status, { timeout: 10_000 }).toBe('completed');
    const done = await view();
    expect(done.progress.producedQuantity).toBe(10);
    expect(done.allocations[0]).toMatchObject({ status: 'produced', producedQuantity: 10 });
    const [credited] = await t.sql<{ picks: string }>(`SELECT picks::text FROM allocation_telemetry WHERE allocation_id = $1`, [done.allocations[0]!.id]);
    expect(Number(credited!.picks)).toBe(10 * 20 * 100);
  });
});
