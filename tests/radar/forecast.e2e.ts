import { forecastDemand } from '@cloudloom/market';
import { inDays, OPERATOR_KEY, startTestApp, type TestApp } from '../support/harness';
import { addLine, airJetLine, orderSettled, signup } from '../support/market';

interface Forecast {
  from: string;
  days: number;
  historyDays: number;
  items: { cluster: string; kind: string; segment: string; unit: string; lines: number; days: { date: string; capacity: number; booked: number; free: number; demand: number }[] }[];
  clusters: { cluster: string; kind: string; mills: number; lines: number; machines: number; leadTimeDays: number | null }[];
}

const op = { key: OPERATOR_KEY };

describe('GET /market/forecast', () => {
  let t: TestApp;
  beforeAll(async () => {
    t = await startTestApp();
  });
  afterAll(async () => {
    await t?.close();
  });

  it('shows each cluster and loom type: the ledger booked and free per day, and demand learnt from the work placed', async () => {
    const factory = await signup(t, { kind: 'factory', name: 'Wujiang Silk Mill', city: 'Suzhou', province: 'Jiangsu' });
    const line = await addLine(t, factory.key, airJetLine);
    await addLine(t, factory.key, { ...airJetLine, name: 'Hall B rapiers', machineType: 'rapier', rpm: 500, maxWidthCm: 120 });
    const brand = await signup(t, { kind: 'brand', name: 'Shahe Wholesale' });
    const posted = await t.request<{ id: string }>('POST', '/orders', { key: brand.key, body: { kind: 'fabric', fabric: { fiber: 'cotton', weave: 'plain', widthCm: 150, picksPerCm: 25 }, quantity: 900, dueDate: inDays(10) } });
    const order = await orderSettled(t, brand.key, posted.body.id);
    expect(order.status).toBe('proposed');
    // Too narrow for the rapiers (120 cm < 150 cm): the work is on the air-jets.
    expect(order.allocations.map((a) => a.lineId)).toEqual([line.id]);
    const allocation = order.allocations[0]!;

    // The allocation placed a week ago: that week's weekday now carries its demand in the history.
    await t.sql(`UPDATE allocations SET created_at = now() - interval '7 days' WHERE id = $1`, [allocation.id]);

    const res = await t.request<Forecast>('GET', '/market/forecast?days=21', op);
    expect(res.status).toBe(200);
    expect(res.body).toMatchObject({ days: 21, historyDays: 56, from: inDays(0) });
    expect(res.body.items.map((i) => [i.cluster, i.kind, i.segment, i.unit, i.lines])).toEqual([
      ['Suzhou, Jiangsu', 'weaving', 'air_jet', 'picks', 1],
      ['Suzhou, Jiangsu', 'weaving', 'rapier', 'picks', 1],
    ]);
    const [airJet, rapier] = res.body.items;
    const ledger = await t.sql<{ date: string; capacity: string; reserved: string }>(
      `SELECT to_char(day, 'YYYY-MM-DD') AS date, capacity::text, reserved::text FROM capacity_days WHERE line_id = $1 AND day >= current_date AND day < current_date + 21 ORDER BY day`,
      [line.id],
    );
    expect(airJet!.days.map((d) => [d.date, d.capacity, d.booked, d.free])).toEqual(ledger.map((r) => [r.date, Number(r.capacity), Number(r.reserved), Number(r.capacity) - Number(r.reserved)]));
    expect(airJet!.days.reduce((s, d) => s + d.booked, 0)).toBe(allocation.demand);
    expect(rapier!.days.every((d) => d.booked === 0 && d.free === d.capacity)).toBe(true);

    // The cluster at a glance: one mill, two lines of 48 looms, and the one order's lead time.
    const [lead] = await t.sql<{ days: number }>(`SELECT a.end_date - (o.created_at AT TIME ZONE 'UTC')::date AS days FROM allocations a JOIN orders o ON o.id = a.order_id WHERE a.id = $1`, [allocation.id]);
    expect(res.body.clusters).toEqual([{ cluster: 'Suzhou, Jiangsu', kind: 'weaving', mills: 1, lines: 2, machines: 96, leadTimeDays: lead!.days }]);

    // Demand: the 56 days before today, the placed work on its day (7 days ago is index 49).
    const history = Array(56).fill(0) as number[];
    history[49] = allocation.demand;
    expect(airJet!.days.map((d) => d.demand)).toEqual(forecastDemand(history, 21).map(Math.round));
    expect(airJet!.days.some((d) => d.demand > 0)).toBe(true);
    expect(rapier!.days.every((d) => d.demand === 0)).toBe(true);
  });

  it('sewing: a row per garment category a line sews, booked from the ledger; the cluster counts each line once', async () => {
    const shop = await signup(t, { kind: 'factory', name: 'Humen Garments', city: 'Dongguan', province: 'Guangdong' });
    await addLine(t, shop.key, { kind: 'sewing', name: 'Line 1 dresses', operators: 30, categories: ['dress', 'skirt'], fabricTypes: ['woven'], ratePerUnit: 0.8 });
    await addLine(t, shop.key, { kind: 'sewing', name: 'Line 2 coats', operators: 20, categories: ['coat'], fabricTypes: ['woven'], ratePerUnit: 0.9 });
    const res = await t.request<Forecast>('GET', '/market/forecast', op);
    const rows = res.body.items.filter((i) => i.cluster === 'Dongguan, Guangdong');
    expect(rows.map((i) => [i.kind, i.segment, i.unit, i.lines])).toEqual([['sewing', 'coat', 'minutes', 1], ['sewing', 'dress', 'minutes', 1], ['sewing', 'skirt', 'minutes', 1]]);
    for (const r of rows) expect(r.days.every((d) => d.capacity > 0 && d.free === d.capacity - d.booked)).toBe(true);
    expect(res.body.clusters.filter((c) => c.cluster === 'Dongguan, Guangdong')).toEqual([{ cluster: 'Dongguan, Guangdong', kind: 'sewing', mills: 1, lines: 2, machines: 50, leadTimeDays: null }]);
  });

  it('takes 14 to 30 days, only from operators', async () => {
    const brand = await signup(t, { kind: 'brand', name: 'Curious Brand' });
    expect((await t.request<Forecast>('GET', '/market/forecast', op)).body.days).toBe(14);
    for (const bad of ['days=13', 'days=31', 'days=two', 'days=14.5']) {
      const res = await t.request<{ errors: { field: string }[] }>('GET', `/market/forecast?${bad}`, op);
      expect(res.status, bad).toBe(400);
      expect([...new Set(res.body.errors.map((e) => e.field))]).toEqual(['days']);
    }
    expect((await t.request('GET', '/market/forecast?cluster=Keqiao', op)).status).toBe(400);
    expect((await t.request('GET', '/market/forecast', { key: brand.key })).status).toBe(404);
  });
});
