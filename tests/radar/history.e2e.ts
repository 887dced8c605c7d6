import { MarketRollups } from '@cloudloom/market';
import type { MarketHistory } from '@cloudloom/contracts';
import { inDays, OPERATOR_KEY, startTestApp, type TestApp } from '../support/harness';
import { addLine, airJetLine, orderSettled, signup } from '../support/market';

const HOUR = 3_600_000;
const DAY = 24 * HOUR;
const op = { key: OPERATOR_KEY };
const iso = (ms: number): string => new Date(ms).toISOString();

describe('GET /market/history: the rollups, per hour and per day', () => {
  let t: TestApp;
  let rollups: MarketRollups;
  /** Three hours before the hour the file started in: closed, and before any hour the app's own sweep rolls up. */
  const hour = Math.floor(Date.now() / HOUR) * HOUR - 3 * HOUR;

  beforeAll(async () => {
    t = await startTestApp();
    rollups = t.app.get(MarketRollups);
  });
  afterAll(async () => {
    await t?.close();
  });

  it('serves an hour as rolled: posted, matched, fill rate, time to match, acceptance, unmatched by reason, the cluster load; a day adds its hours up', async () => {
    const factory = await signup(t, { kind: 'factory', name: 'Keqiao History Mill', city: 'Shaoxing', province: 'Zhejiang' });
    await addLine(t, factory.key, airJetLine);
    const brand = await signup(t, { kind: 'brand', name: 'History Brand' });
    const fabric = { fiber: 'cotton', weave: 'plain', picksPerCm: 25 };
    const made = await t.request<{ id: string }>('POST', '/orders', { key: brand.key, body: { kind: 'fabric', fabric: { ...fabric, widthCm: 150 }, quantity: 500, dueDate: inDays(10) } });
    // No line weaves 400 cm: left unmatched, with the planner's reasons.
    const unmade = await t.request<{ id: string }>('POST', '/orders', { key: brand.key, body: { kind: 'fabric', fabric: { ...fabric, widthCm: 400 }, quantity: 100, dueDate: inDays(10) } });
    const matched = await orderSettled(t, brand.key, made.body.id);
    expect(matched.status).toBe('proposed');
    const left = await orderSettled(t, brand.key, unmade.body.id);
    expect(left.status).toBe('unmatched');
    const offer = matched.allocations[0]!;
    expect((await t.request('POST', `/offers/${offer.id}/accept`, { key: factory.key })).status).toBe(200);

    // Into the closed hour: posted at +1 min, matched at +3 min (120 s), answered at +10 min, the other planned at +2 min.
    await t.sql(`UPDATE orders SET created_at = $2 WHERE id = ANY($1::uuid[])`, [[made.body.id, unmade.body.id], new Date(hour + 60_000)]);
    await t.sql(`UPDATE allocations SET created_at = $2, answered_at = $3 WHERE id = $1`, [offer.id, new Date(hour + 3 * 60_000), new Date(hour + 10 * 60_000)]);
    await t.sql(`UPDATE orders SET explanation = jsonb_set(explanation, '{plannedAt}', to_jsonb($2::text)) WHERE id = $1`, [unmade.body.id, iso(hour + 2 * 60_000)]);
    const reasons = (await t.sql<{ code: string }>(`SELECT DISTINCT x->>'code' AS code FROM orders o CROSS JOIN LATERAL jsonb_array_elements(o.explanation->'reasons') x WHERE o.id = $1 ORDER BY 1`, [unmade.body.id])).map((r) => r.code);
    expect(reasons.length).toBeGreaterThan(0);

    expect(await rollups.rollHour(new Date(hour - HOUR))).toBe(true);
    expect(await rollups.rollHour(new Date(hour))).toBe(true);

    const res = await t.request<MarketHistory>('GET', `/market/history?granularity=hour&from=${iso(hour - HOUR)}&to=${iso(hour + HOUR)}`, op);
    expect(res.status).toBe(200);
    expect(res.body).toMatchObject({ granularity: 'hour', from: iso(hour - HOUR), to: iso(hour + HOUR) });
    expect(res.body.buckets.map((b) => b.at)).toEqual([iso(hour - HOUR), iso(hour)]);
    const [quiet, busy] = res.body.buckets;
    expect(quiet).toMatchObject({ hours: 1, ordersPosted: 0, ordersMatched: 0, fillRate: null, meanTimeToMatchSeconds: null, acceptance: null, unmatched: [] });
    expect(busy).toMatchObject({ hours: 1, ordersPosted: 2, ordersMatched: 1, fillRate: 0.5, meanTimeToMatchSeconds: 120, offersAnswered: 1, offersAccepted: 1, acceptance: 1 });
    expect(busy!.unmatched.map((u) => [u.reason, u.orders]).sort()).toEqual(reasons.map((r) => [r, 1]));

    const cluster = res.body.segments.find((s) => s.cluster === 'Shaoxing, Zhejiang' && s.segment === 'air_jet');
    expect(cluster).toBeDefined();
    const ledger = await t.sql<{ booked: number; capacity: number }>(
      `SELECT sum(c.reserved)::float8 AS booked, sum(c.capacity)::float8 AS capacity FROM capacity_days c JOIN lines l ON l.id = c.line_id
       WHERE l.factory_id = $1 AND c.day >= ($2::timestamptz AT TIME ZONE 'UTC')::date AND c.day < ($2::timestamptz AT TIME ZONE 'UTC')::date + 7`,
      [factory.id, new Date(hour + HOUR)],
    );
    const at = cluster!.points.find((p) => p.at === iso(hour));
    expect(at).toMatchObject({ booked7d: ledger[0]!.booked, capacity7d: ledger[0]!.capacity });
    expect(at!.booked7d).toBeGreaterThan(0);
    expect(at!.bookedShare).toBeCloseTo(ledger[0]!.booked / ledger[0]!.capacity, 9);

    // The day: its rolled hours summed (the app's own sweep may have rolled more of them).
    const day = Math.floor(hour / DAY) * DAY;
    expect(await rollups.rollDay(new Date(day))).toBe(true);
    const hourly = await t.sql<{ rolled: number; posted: number }>(
      `SELECT sum(value) FILTER (WHERE metric = 'rolled')::float8 AS rolled, coalesce(sum(value) FILTER (WHERE metric = 'orders_posted'), 0)::float8 AS posted
       FROM market_rollups WHERE grain = 'hour' AND cluster = '' AND bucket >= $1 AND bucket < $1::timestamptz + interval '1 day'`,
      [new Date(day)],
    );
    const daily = await t.request<MarketHistory>('GET', `/market/history?granularity=day&from=${iso(day)}&to=${iso(day + DAY)}`, op);
    expect(daily.status).toBe(200);
    expect(daily.body.buckets).toHaveLength(1);
    expect(daily.body.buckets[0]).toMatchObject({ at: iso(day), hours: hourly[0]!.rolled, ordersPosted: hourly[0]!.posted });
    expect(daily.body.buckets[0]!.ordersPosted).toBeGreaterThanOrEqual(2);
    // Hourly again, now without the range: the last 48 hours by default hold the busy hour.
    const recent = await t.request<MarketHistory>('GET', '/market/history', op);
    expect(recent.body.granularity).toBe('hour');
    expect(recent.body.buckets.find((b) => b.at === iso(hour))).toMatchObject({ ordersPosted: 2 });
  });

  it('refuses a bad range in words, unknown fields, and anyone but the operator', async () => {
    const brand = await signup(t, { kind: 'brand', name: 'Curious History Brand' });
    const now = Date.now();
    const cases: [string, string][] = [
      ['granularity=week', 'granularity'],
      ['from=yesterday', 'from'],
      ['to=2026-13-01T00:00:00Z', 'to'],
      [`from=${iso(now)}&to=${iso(now - HOUR)}`, 'to'],
      [`from=${iso(now + DAY)}`, 'from'],
      [`granularity=hour&from=${iso(now - 40 * DAY)}&to=${iso(now)}`, 'from'],
      [`granularity=day&from=${iso(now - 800 * DAY)}&to=${iso(now)}`, 'from'],
    ];
    for (const [query, field] of cases) {
      const res = await t.request<{ errors?: { field: string; message: string }[] }>('GET', `/market/history?${query}`, op);
      expect(res.status, query).toBe(400);
      expect([...new Set((res.body.errors ?? []).map((e) => e.field))], query).toEqual([field]);
    }
    expect((await t.request('GET', '/market/history?cluster=Keqiao', op)).status).toBe(400);
    expect((await t.request('GET', `/market/history?granularity=day&from=${iso(now - 700 * DAY)}`, op)).status).toBe(200);
    expect((await t.request('GET', '/market/history', { key: brand.key })).status).toBe(404);
  });
});
