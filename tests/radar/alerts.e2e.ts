import { SweepHandler } from '@cloudloom/market';
import { inDays, OPERATOR_KEY, startTestApp, type TestApp } from '../support/harness';
import { addLine, airJetLine, orderSettled, signup } from '../support/market';

interface Alert {
  alertId: string;
  kind: string;
  cause: string;
  subject: string;
  summary: string;
  value: number;
  threshold: number;
  since: string;
  days?: string[];
  orderIds: string[];
  lineIds: string[];
  links: string[];
  clearedAt: string | null;
}

const op = { key: OPERATOR_KEY };
/** No line weaves 400 cm: every such order is left unmatched, for the same reasons. */
const unmakeable = { kind: 'fabric', fabric: { fiber: 'cotton', weave: 'plain', widthCm: 400, picksPerCm: 25 }, quantity: 100, dueDate: inDays(20) };

describe('early warning: GET /alerts and alert.raised / alert.cleared', () => {
  let t: TestApp;
  let sweep: SweepHandler;
  const alerts = async (): Promise<Alert[]> => (await t.request<{ items: Alert[] }>('GET', '/alerts', op)).body.items;
  const events = async (type: string): Promise<{ payload: { alertId: string; cause: string } }[]> =>
    t.sql(`SELECT payload FROM events WHERE type = $1 ORDER BY id`, [type]);

  beforeAll(async () => {
    // A day's window for the reason baseline, so a week of noise is a handful of orders.
    t = await startTestApp({ ALERT_BOOKED_PERCENT: '80', ALERT_REASON_WINDOW_MINUTES: '1440', ALERT_REASON_MIN_ORDERS: '3', ALERT_REASON_FACTOR: '3' });
    sweep = t.app.get(SweepHandler);
  });
  afterAll(async () => {
    await t?.close();
  });

  it('a surge books a cluster past the threshold: raised once on that cluster and its days, cleared when the work goes', async () => {
    const keqiao = await signup(t, { kind: 'factory', name: 'Keqiao Weaving', city: 'Shaoxing', province: 'Zhejiang' });
    const line = await addLine(t, keqiao.key, airJetLine);
    // The other cluster weaves only polyester, so the cotton surge cannot go there.
    const shengze = await signup(t, { kind: 'factory', name: 'Shengze Weaving', city: 'Suzhou', province: 'Jiangsu' });
    await addLine(t, shengze.key, { ...airJetLine, fibers: ['polyester'] });
    const brand = await signup(t, { kind: 'brand', name: 'Surge Brand' });
    expect((await sweep.run()).alertsRaised).toBe(0);
    expect(await alerts()).toEqual([]);

    // Tomorrow and the day after (orders start tomorrow) 90% full: 1.8 days of the mill's metres at 25 picks/cm.
    const perDay = line.dailyCapacity / 2500;
    const surge = await t.request<{ id: string }>('POST', '/orders', { key: brand.key, body: { kind: 'fabric', fabric: { fiber: 'cotton', weave: 'plain', widthCm: 150, picksPerCm: 25 }, quantity: Math.floor(perDay * 1.8), dueDate: inDays(2) } });
    const order = await orderSettled(t, brand.key, surge.body.id);
    expect(order.status).toBe('proposed');
    const hot = (await t.sql<{ day: string }>(
      `SELECT to_char(day, 'YYYY-MM-DD') AS day FROM capacity_days WHERE line_id = $1 AND day >= current_date AND day < current_date + 7 AND reserved >= 0.8 * capacity AND capacity > 0 ORDER BY day`,
      [line.id],
    )).map((r) => r.day);
    expect(hot.length).toBeGreaterThan(0);

    await sweep.run();
    const [raised, ...others] = (await alerts()).filter((a) => a.kind === 'booked');
    expect(others).toEqual([]);
    expect(raised).toMatchObject({ cause: 'booked:Shaoxing, Zhejiang', subject: 'Shaoxing, Zhejiang', threshold: 0.8, days: hot, clearedAt: null, lineIds: [line.id], orderIds: [surge.body.id] });
    expect(raised!.value).toBeGreaterThanOrEqual(0.8);
    expect(raised!.summary).toContain('past 80%');
    expect(raised!.links).toContain(`/api/v1/orders/${surge.body.id}`);
    // The link works for the operator.
    expect((await t.request('GET', `/orders/${surge.body.id}`, op)).status).toBe(200);

    // Evaluated again: still one alert, the same one, with the same "since"; one event.
    await sweep.run();
    const again = (await alerts()).filter((a) => a.kind === 'booked');
    expect(again.map((a) => [a.alertId, a.since])).toEqual([[raised!.alertId, raised!.since]]);
    expect((await events('alert.raised')).filter((e) => e.payload.cause === 'booked:Shaoxing, Zhejiang').map((e) => e.payload.alertId)).toEqual([raised!.alertId]);

    // The brand cancels: the capacity is free again and the alert clears itself.
    expect((await t.request('POST', `/orders/${surge.body.id}/cancel`, { key: brand.key })).status).toBe(200);
    expect((await sweep.run()).alertsCleared).toBeGreaterThanOrEqual(1);
    const cleared = (await alerts()).find((a) => a.alertId === raised!.alertId);
    expect(cleared!.clearedAt).not.toBeNull();
    expect((await events('alert.cleared')).map((e) => e.payload.alertId)).toContain(raised!.alertId);
    expect((await alerts()).filter((a) => a.kind === 'booked' && a.clearedAt === null)).toEqual([]);
  });

  it('a reason for unmatched orders rising against its own week fires, the same level as its baseline does not', async () => {
    const brand = await signup(t, { kind: 'brand', name: 'Wide Cloth Brand' });
    const post = async (n: number): Promise<string[]> => {
      const res = await t.request<{ items: { id: string }[] }>('POST', '/orders/batch', { key: brand.key, body: { orders: Array.from({ length: n }, () => unmakeable) } });
      expect(res.status).toBe(202);
      const ids = res.body.items.map((o) => o.id);
      for (const id of ids) expect((await orderSettled(t, brand.key, id)).status).toBe('unmatched');
      return ids;
    };
    const planned = async (ids: string[], daysAgo: (i: number) => number): Promise<void> => {
      for (const [i, id] of ids.entries())
        await t.sql(`UPDATE orders SET explanation = jsonb_set(explanation, '{plannedAt}', to_jsonb(to_char((now() - make_interval(days => $2)) AT TIME ZONE 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS"Z"'))) WHERE id = $1`, [id, daysAgo(i)]);
    };

    // Noise: 14 such orders over the week before (2 a day), then 3 today: within 3× the baseline.
    const week = await post(14);
    await planned(week, (i) => 1 + (i % 7));
    const codes = (await t.sql<{ code: string }>(`SELECT DISTINCT x->>'code' AS code FROM orders, jsonb_array_elements(explanation->'reasons') x WHERE id = $1`, [week[0]])).map((r) => r.code);
    expect(codes.length).toBeGreaterThan(0);
    const today = await post(3);
    await sweep.run();
    expect((await alerts()).filter((a) => a.kind === 'reason-rising')).toEqual([]);

    // Seven more today: 10 against 2 a day expected, past 3× — one alert per reason, naming the orders.
    const burst = await post(7);
    await sweep.run();
    const rising = (await alerts()).filter((a) => a.kind === 'reason-rising');
    expect(rising.map((a) => a.cause).sort()).toEqual(codes.map((c) => `reason-rising:${c}`).sort());
    for (const a of rising) {
      expect(a).toMatchObject({ value: 10, clearedAt: null });
      expect(a.threshold).toBeCloseTo(6, 6);
      expect([...a.orderIds].sort()).toEqual([...today, ...burst].sort());
      expect(a.summary).toContain('10 orders left unmatched');
    }

    // A day later (the burst now in the baseline) the cause has ended: the alerts clear.
    await planned([...today, ...burst], () => 2);
    await sweep.run();
    expect((await alerts()).filter((a) => a.kind === 'reason-rising' && a.clearedAt === null)).toEqual([]);
  });

  it('answers only operators and checks its limit', async () => {
    const brand = await signup(t, { kind: 'brand', name: 'Nosy Brand' });
    expect((await t.request('GET', '/alerts', { key: brand.key })).status).toBe(404);
    expect((await t.request('GET', '/alerts?limit=0', op)).status).toBe(400);
    expect((await t.request('GET', '/alerts?severity=high', op)).status).toBe(400);
  });
});
