import type { Principal } from '../identity/principal';
import { serviceFixture, type ServiceFixture } from '../testing/service-fixture';
import { MarketRollups } from './rollups';

const HOUR = 3_600_000;

/** The radar's history on a real PostgreSQL: each closed hour once, each day from its hours. */
describe('MarketRollups', () => {
  let f: ServiceFixture;
  let rollups: MarketRollups;
  let brand: Principal;
  let factory: Principal;
  /** Two hours before the hour the file started in: closed, and clear of the clock turning mid-test. */
  const hour = new Date(Math.floor(Date.now() / HOUR) * HOUR - 2 * HOUR);

  beforeAll(async () => {
    f = await serviceFixture();
    rollups = f.module.get(MarketRollups);
    brand = await f.organization('brand');
    factory = await f.organization('factory');
  });
  afterAll(() => f.close());

  const rows = async (grain: string, bucket: Date): Promise<Record<string, number>> =>
    Object.fromEntries(
      (await f.sql<{ key: string; value: number }>(
        `SELECT concat_ws('|', cluster, segment, metric) AS key, value FROM market_rollups WHERE grain = $1 AND bucket = $2 ORDER BY 1`,
        [grain, bucket],
      )).map((r) => [r.key, r.value]),
    );

  it('rolls up a closed hour once: posted, matched, time to match, the ledger ahead; a second run or a late row changes nothing', async () => {
    const line = await f.line(factory, 1000, 10);
    const orders = [await f.order(brand), await f.order(brand), await f.order(brand)];
    for (const id of orders) await f.sql(`UPDATE orders SET created_at = $2 WHERE id = $1`, [id, new Date(hour.getTime() + 60_000)]);
    const offer = await f.offer(orders[0]!, factory, line, { units: 250 });
    await f.sql(`UPDATE allocations SET created_at = $2 WHERE id = $1`, [offer, new Date(hour.getTime() + 5 * 60_000)]);

    expect(await rollups.rollHour(hour)).toBe(true);
    const first = await rows('hour', hour);
    expect(first).toMatchObject({ '||orders_posted': 3, '||orders_matched': 1, '||time_to_match_seconds_sum': 240, '||offers_answered': 0, '||rolled': 1 });
    const booked = Object.entries(first).filter(([k]) => k.endsWith('|booked_7d'));
    expect(booked.map(([, v]) => v)).toEqual([250]);
    expect(Object.entries(first).filter(([k]) => k.endsWith('|capacity_7d')).map(([, v]) => v)).toEqual([7000]);

    // Again, and after a row dated into the closed hour: the bucket is written once.
    const late = await f.order(brand);
    await f.sql(`UPDATE orders SET created_at = $2 WHERE id = $1`, [late, new Date(hour.getTime() + 30 * 60_000)]);
    expect(await rollups.rollHour(hour)).toBe(false);
    expect(await rows('hour', hour)).toEqual(first);
    // Both at once: one writes, the other finds it done.
    const next = new Date(hour.getTime() + HOUR);
    expect((await Promise.all([rollups.rollHour(next), rollups.rollHour(next)])).sort()).toEqual([false, true]);
    expect((await rows('hour', next))['||rolled']).toBe(1);
  });

  it('the sweep takes the closed hours since the last one, and a day from its hours (counts add up, levels average)', async () => {
    // The fixture's earlier test rolled up the two hours before the current one.
    const now = new Date(hour.getTime() + 2 * HOUR + 60_000);
    expect(await rollups.sweep(now)).toMatchObject({ hours: 0 });
    const later = new Date(now.getTime() + 2 * HOUR);
    expect((await rollups.sweep(later)).hours).toBe(2);
    expect((await rollups.sweep(later)).hours).toBe(0);

    const day = new Date(Math.floor((now.getTime() - 2 * HOUR) / (24 * HOUR)) * 24 * HOUR);
    const hourly = await f.sql<{ metric: string; sum: number; avg: number }>(
      `SELECT metric, sum(value) AS sum, avg(value) AS avg FROM market_rollups WHERE grain = 'hour' AND bucket >= $1 AND bucket < $1::timestamptz + interval '1 day' AND cluster = '' AND segment = '' GROUP BY metric`,
      [day],
    );
    // A sweep rolls a day once its last hour has closed: started late in a UTC day, `later` is past
    // midnight and the sweep above has rolled the day already; otherwise it is still to do.
    const rolledBySweep = Math.floor(later.getTime() / (24 * HOUR)) * 24 * HOUR > day.getTime();
    expect(await rollups.rollDay(day)).toBe(!rolledBySweep);
    expect(await rollups.rollDay(day)).toBe(false);
    const daily = await rows('day', day);
    for (const h of hourly) expect(daily[`||${h.metric}`], h.metric).toBe(h.sum);
    const bookedHours = await f.sql<{ avg: number }>(`SELECT avg(value) AS avg FROM market_rollups WHERE grain = 'hour' AND bucket >= $1 AND bucket < $1::timestamptz + interval '1 day' AND metric = 'booked_7d'`, [day]);
    expect(Object.entries(daily).find(([k]) => k.endsWith('|booked_7d'))?.[1]).toBeCloseTo(bookedHours[0]!.avg, 6);
    expect(await rollups.rollDay(new Date(day.getTime() - 10 * 24 * HOUR))).toBe(false);
  });

  it('retention: drops hours past ROLLUP_HOURS_KEPT_DAYS (90 by default) once their day is rolled up; keeps days and recent hours', async () => {
    const DAY = 24 * HOUR;
    const now = new Date();
    const old = new Date(Math.floor(now.getTime() / DAY) * DAY - 100 * DAY);
    const unrolled = new Date(old.getTime() - DAY);
    const put = (grain: string, bucket: Date, metric: string, value: number): Promise<unknown> =>
      f.sql(`INSERT INTO market_rollups (grain, bucket, cluster, segment, metric, value) VALUES ($1, $2, '', '', $3, $4)`, [grain, bucket, metric, value]);
    for (const start of [old, unrolled]) {
      for (const h of [0, 5]) {
        await put('hour', new Date(start.getTime() + h * HOUR), 'rolled', 1);
        await put('hour', new Date(start.getTime() + h * HOUR), 'orders_posted', 3);
      }
    }
    await put('day', old, 'rolled', 2);
    await put('day', old, 'orders_posted', 6);
    const count = async (where: string, params: unknown[]): Promise<number> =>
      (await f.sql<{ n: number }>(`SELECT count(*)::int AS n FROM market_rollups WHERE ${where}`, params))[0]!.n;
    const recentHours = await count(`grain = 'hour' AND bucket >= $1`, [new Date(now.getTime() - 90 * DAY)]);
    expect(recentHours).toBeGreaterThan(0);

    expect(await rollups.dropOldHours(now)).toBe(2);
    expect(await count(`grain = 'hour' AND bucket >= $1 AND bucket < $2`, [old, new Date(old.getTime() + DAY)])).toBe(0);
    // A day not rolled up keeps its hours: dropping them would lose its figures.
    expect(await count(`grain = 'hour' AND bucket >= $1 AND bucket < $2`, [unrolled, old])).toBe(4);
    expect(await count(`grain = 'day' AND bucket = $1`, [old])).toBe(2);
    expect(await count(`grain = 'hour' AND bucket >= $1`, [new Date(now.getTime() - 90 * DAY)])).toBe(recentHours);
    expect(await rollups.dropOldHours(now)).toBe(0);
  });
});
