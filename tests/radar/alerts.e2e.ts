import { AlertsEvaluator, SweepHandler } from '@cloudloom/market';
import { inDays, OPERATOR_KEY, startTestApp, type TestApp } from '../support/harness';
import { addLine, airJetLine, orderSettled, signup } from '../support/market';
import { loomLine, minutesAgo, registerMachines, sendReadings, telemetryDrained } from '../telemetry/support';
import { startReceiver } from '../webhooks/receiver';

interface Alert {
  alertId: string;
  kind: string;
  cause: string;
  subject: string;
  summary: string;
  params: Record<string, string | number | null>;
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
    // The tests run the sweep themselves; the app's own (hourly here) must not expire an order mid-test.
    t = await startTestApp({ ALERT_BOOKED_PERCENT: '80', ALERT_REASON_WINDOW_MINUTES: '1440', ALERT_REASON_MIN_ORDERS: '3', ALERT_REASON_FACTOR: '3', SWEEP_EVERY_MS: '3600000', WEBHOOK_ALLOW_PRIVATE: 'true' });
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
    // The figures by name, for a console to word in its own language.
    expect(raised!.params).toEqual({ cluster: 'Shaoxing, Zhejiang', days: hot.length, threshold: 0.8, peak: raised!.value, from: hot[0] });
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
      expect(a.params).toMatchObject({ code: a.subject, orders: 10 });
      expect(Object.keys(a.params).sort()).toEqual(['code', 'expected', 'factor', 'minOrders', 'orders', 'windowMinutes']);
    }

    // A day later (the burst now in the baseline) the cause has ended: the alerts clear.
    await planned([...today, ...burst], () => 2);
    await sweep.run();
    expect((await alerts()).filter((a) => a.kind === 'reason-rising' && a.clearedAt === null)).toEqual([]);
  });

  it('looms down spiking: measured against the cluster\'s own week of rollups, not a fixed share; names the lines; clears when they run', async () => {
    // Two clusters of ten looms each. Changzhou's old looms are 40 % down on a usual hour; Wuxi's 5 %.
    const mill = async (name: string, city: string): Promise<{ key: string; lineId: string; looms: string[] }> => {
      const f = await signup(t, { kind: 'factory', name, city, province: 'Jiangsu' });
      const line = await addLine(t, f.key, loomLine(['linen'], 10));
      const looms = Array.from({ length: 10 }, (_, i) => `${city[0]}-${i + 1}`);
      await registerMachines(t, f.key, line.id, looms);
      return { key: f.key, lineId: line.id, looms };
    };
    const changzhou = await mill('Changzhou Old Looms', 'Changzhou');
    const wuxi = await mill('Wuxi Looms', 'Wuxi');
    // The week before, as the sweep would have rolled it up: an hour every 3 h, up to 3 h ago.
    for (let h = 3; h <= 7 * 24; h += 3) {
      for (const [cluster, down] of [['Changzhou, Jiangsu', 4], ['Wuxi, Jiangsu', 0.5]] as const) {
        await t.sql(
          `INSERT INTO market_rollups (grain, bucket, cluster, segment, metric, value)
           VALUES ('hour', date_trunc('hour', now()) - make_interval(hours => $1), $2, 'rapier', 'looms_down', $3), ('hour', date_trunc('hour', now()) - make_interval(hours => $1), $2, 'rapier', 'looms_reporting', 10)
           ON CONFLICT DO NOTHING`,
          [h, cluster, down],
        );
      }
    }
    const report = async (m: { key: string; looms: string[] }, down: number): Promise<void> => {
      await sendReadings(t, m.key, m.looms.map((machineId, i) => ({ machineId, at: minutesAgo(1), state: i < down ? 'down' as const : 'running' as const })));
    };
    const loomAlerts = async (): Promise<Alert[]> => (await alerts()).filter((a) => a.kind === 'looms-down' && a.clearedAt === null);

    // Changzhou 5 of 10 down (50 %: past the 20 % floor, but only 10 points above its usual 40 %): quiet.
    // Wuxi 3 of 10 (30 %: a lower share, but 25 points above its usual 5 %): a spike.
    await report(changzhou, 5);
    await report(wuxi, 3);
    await telemetryDrained(t);
    await sweep.run();
    const [spike, ...more] = await loomAlerts();
    expect(more).toEqual([]);
    expect(spike).toMatchObject({ cause: 'looms-down:Wuxi, Jiangsu', subject: 'Wuxi, Jiangsu', lineIds: [wuxi.lineId], orderIds: [], clearedAt: null });
    expect(spike!.value).toBeCloseTo(0.3, 6);
    expect(spike!.threshold).toBeCloseTo(0.25, 6);
    expect(spike!.summary).toContain('3 of 10 reporting looms down');
    expect(spike!.summary).toContain('against 5% over the 7 days before');
    expect(spike!.params).toMatchObject({ cluster: 'Wuxi, Jiangsu', down: 3, machines: 10, share: 0.3 });
    expect(spike!.params.baseline).toBeCloseTo(0.05, 6);
    expect(new Date(spike!.since).getTime()).toBeLessThanOrEqual(Date.now());
    expect((await events('alert.raised')).map((e) => e.payload.alertId)).toContain(spike!.alertId);

    // Wuxi's looms run again: the alert clears itself, with its event.
    await sendReadings(t, wuxi.key, wuxi.looms.map((machineId) => ({ machineId, at: minutesAgo(0.5), state: 'running' as const })));
    await telemetryDrained(t);
    await sweep.run();
    expect(await loomAlerts()).toEqual([]);
    expect((await events('alert.cleared')).map((e) => e.payload.alertId)).toContain(spike!.alertId);

    // Changzhou at 7 of 10 (70 %, 30 points above its usual): a spike there too.
    await report(changzhou, 7);
    await telemetryDrained(t);
    await sweep.run();
    expect((await loomAlerts()).map((a) => [a.cause, a.lineIds])).toEqual([['looms-down:Changzhou, Jiangsu', [changzhou.lineId]]]);
    await report(changzhou, 0);
    await telemetryDrained(t);
    await sweep.run();
    expect(await loomAlerts()).toEqual([]);
  });

  it('orders stranded (the audit\'s check) raise one alert naming them, cleared once the sweep ends them; the operator\'s webhook hears both', async () => {
    const receiver = await startReceiver();
    const hooked = await t.request('POST', '/me/webhooks', { ...op, body: { url: receiver.url, events: ['alert.raised', 'alert.cleared'] } });
    expect(hooked.status).toBe(201);
    // Deliveries run concurrently and retry apart, so they may arrive in any order; the event id
    // grows with time and is what a receiver orders by (docs/webhooks.md).
    const heard = (): { id: string; type: string; payload: { alertId: string; cause: string } }[] =>
      receiver.received
        .map((r) => JSON.parse(r.body) as { id: string; type: string; payload: { alertId: string; cause: string } })
        .filter((e) => e.payload.cause === 'stranded:market')
        .sort((a, b) => Number(BigInt(a.id) - BigInt(b.id)));
    const brand = await signup(t, { kind: 'brand', name: 'Forgotten Brand' });
    const posted = await t.request<{ id: string }>('POST', '/orders', { key: brand.key, body: unmakeable });
    expect((await orderSettled(t, brand.key, posted.body.id)).status).toBe('unmatched');
    // As if the sweep had been down for days: the order waits three days past its due date.
    await t.sql(`UPDATE orders SET earliest_start = current_date - 10, due_date = current_date - 3 WHERE id = $1`, [posted.body.id]);
    await t.app.get(AlertsEvaluator).evaluate();
    const [stranded, ...more] = (await alerts()).filter((a) => a.kind === 'stranded' && a.clearedAt === null);
    expect(more).toEqual([]);
    expect(stranded).toMatchObject({ cause: 'stranded:market', value: 1, threshold: 0, orderIds: [posted.body.id], links: [`/api/v1/orders/${posted.body.id}`] });
    expect(stranded!.summary).toContain('1 orders still waiting');
    expect(stranded!.params).toEqual({ orders: 1 });

    // The sweep expires it (its step runs before the alerts): the cause is gone and the alert clears.
    await sweep.run();
    expect((await t.request<{ status: string }>('GET', `/orders/${posted.body.id}`, { key: brand.key })).body.status).toBe('expired');
    expect((await alerts()).filter((a) => a.kind === 'stranded' && a.clearedAt === null)).toEqual([]);
    expect((await events('alert.cleared')).map((e) => e.payload.alertId)).toContain(stranded!.alertId);
    // Delivered through the events' own path: the operator's webhook gets the raise and the clear, in that order by event id.
    try {
      await expect.poll(() => heard().map((e) => [e.type, e.payload.alertId]), { timeout: 15_000 }).toEqual([['alert.raised', stranded!.alertId], ['alert.cleared', stranded!.alertId]]);
    } finally {
      await receiver.close();
    }
  });

  it('answers only operators and checks its limit', async () => {
    const brand = await signup(t, { kind: 'brand', name: 'Nosy Brand' });
    expect((await t.request('GET', '/alerts', { key: brand.key })).status).toBe(404);
    expect((await t.request('GET', '/alerts?limit=0', op)).status).toBe(400);
    expect((await t.request('GET', '/alerts?severity=high', op)).status).toBe(400);
  });
});
