import { Client } from 'pg';
import { inDays, startTestApp, type TestApp } from '../support/harness';
import { addLine, signup } from '../support/market';
import { loomLine } from '../telemetry/support';
import { auditClean, type ChainAllocation, dyeRange, order, placed, replannedStyle, sewingLine, stage, stageMoves, type StyleOrderView } from './support';

const DAY_MS = 86_400_000;

/**
 * The day a pace forecast gives for `produced` of `quantity` reported at `at`, for work whose first
 * day is still ahead (its pace is then measured over the six-hour floor): the remainder at that pace.
 */
function paceEnd(quantity: number, produced: number, at: number): string {
  const today = new Date(at).toISOString().slice(0, 10);
  const daysLeft = (quantity - produced) / ((produced / 6) * 24);
  const intoToday = (at - Date.parse(`${today}T00:00:00Z`)) / DAY_MS;
  return new Date(Date.parse(`${today}T00:00:00Z`) + Math.floor(intoToday + daysLeft) * DAY_MS).toISOString().slice(0, 10);
}

/** Reports progress on the weaving, and the forecast end days the report could have given (the day may turn meanwhile). */
async function reportWoven(t: TestApp, key: string, weaving: ChainAllocation, producedQuantity: number): Promise<string[]> {
  const before = Date.now();
  const reported = await t.request<ChainAllocation>('POST', `/allocations/${weaving.id}/progress`, { key, body: { producedQuantity } });
  expect(reported.status).toBe(200);
  expect(reported.body).toMatchObject({ status: 'in_production', producedQuantity });
  return [...new Set([paceEnd(weaving.quantity, producedQuantity, before), paceEnd(weaving.quantity, producedQuantity, Date.now())])];
}

const addDays = (date: string, days: number): string => new Date(Date.parse(`${date}T00:00:00Z`) + days * DAY_MS).toISOString().slice(0, 10);

/**
 * The chain follows its slowest link (DESIGN.md §8) when a stage runs slow, not only when it is
 * cut: the pace of the weaving's progress reports forecasts its end, and when that end leaves the
 * later stages' work without its fabric, they are planned again after it, and the brand and the
 * factories are told before the day the work would have started.
 */
describe('a style chain re-planned from a production forecast', () => {
  let t: TestApp;
  beforeAll(async () => {
    t = await startTestApp();
  });
  afterAll(async () => {
    await t.close();
  });

  it('weaving reported slow: the dyeing and sewing stages move after its forecast end, told before the sewing would have started', async () => {
    const brand = await signup(t, { kind: 'brand', name: 'Pace Studio' });
    const mill = await signup(t, { kind: 'factory', name: 'Pace Weaving' });
    const dyer = await signup(t, { kind: 'factory', name: 'Pace Dyeing' });
    const sewer = await signup(t, { kind: 'factory', name: 'Pace Garments' });
    await addLine(t, mill.key, loomLine(['nylon'], 8));
    await addLine(t, dyer.key, dyeRange);
    await addLine(t, sewer.key, sewingLine('jacket'));
    const posted = await t.request<StyleOrderView>('POST', '/orders', {
      key: brand.key, body: replannedStyle({ garment: { category: 'jacket', fabricType: 'woven', samMinutes: 40 }, fabric: { fiber: 'nylon', weave: 'plain', widthCm: 150, picksPerCm: 30 } }),
    });
    expect(posted.status).toBe(202);
    const first = await placed(t, brand.key, posted.body.id);
    const weaving = stage(first, 'weaving').allocations[0]!;
    const dyeingBefore = stage(first, 'finishing');
    const sewingBefore = stage(first, 'sewing');
    expect((await t.request('POST', `/offers/${weaving.id}/accept`, { key: mill.key })).status).toBe(200);

    // 14 m of 618 over the first six hours: about 56 m a day, so the weaving ends some ten days after its one planned day.
    const forecast = await reportWoven(t, mill.key, weaving, 14);
    expect(forecast.every((d) => d > addDays(weaving.endDate, 2))).toBe(true);
    const after = await placed(t, brand.key, posted.body.id, (o) => o.allocations.some((a) => a.id === sewingBefore.allocations[0]!.id && a.status === 'cancelled'));

    // The running weaving keeps its work and days; what came after it follows its forecast end.
    expect(after.allocations.find((a) => a.id === weaving.id)).toMatchObject({ status: 'in_production', producedQuantity: 14, startDate: weaving.startDate, endDate: weaving.endDate });
    const dyeingAfter = stage(after, 'finishing');
    const sewingAfter = stage(after, 'sewing');
    expect(forecast.some((end) => dyeingAfter.startDate! >= addDays(end, 2))).toBe(true);
    expect(sewingAfter.startDate! >= addDays(dyeingAfter.endDate!, 2)).toBe(true);
    expect(sewingAfter.startDate! > sewingBefore.startDate!).toBe(true);

    const moves = await stageMoves(t, posted.body.id);
    expect(moves.map((m) => m.payload.stage)).toEqual(['finishing', 'sewing']);
    const sewingMove = moves.find((m) => m.payload.stage === 'sewing')!;
    expect(sewingMove.payload).toMatchObject({
      after: 'weaving', cause: 'forecast_late',
      from: { startDate: sewingBefore.startDate, endDate: sewingBefore.endDate }, to: { startDate: sewingAfter.startDate, endDate: sewingAfter.endDate },
      released: [sewingBefore.allocations[0]!.id],
    });
    expect(forecast.some((end) => sewingMove.payload.reason === `the weaving stage's production forecast ends ${end}, after its planned end ${weaving.endDate}`)).toBe(true);
    expect([...new Set(sewingMove.audience)].sort()).toEqual([brand.id, sewer.id].sort());
    const dyeingMove = moves.find((m) => m.payload.stage === 'finishing')!;
    expect(dyeingMove.payload).toMatchObject({ cause: 'forecast_late', causes: ['forecast_late'], from: { startDate: dyeingBefore.startDate }, released: [dyeingBefore.allocations[0]!.id] });
    // The late stage's dates come with the move, so a console can say them in its own words.
    expect(dyeingMove.payload.forecast!.forecastEnd > dyeingMove.payload.forecast!.plannedEnd).toBe(true);
    expect([...new Set(dyeingMove.audience)].sort()).toEqual([brand.id, dyer.id].sort());
    // Told before the day the sewing would have started; the weaving mill is not told about the later stages.
    expect(new Date(sewingMove.createdAt).toISOString().slice(0, 10) < sewingBefore.startDate!).toBe(true);
    expect(sewingMove.audience).not.toContain(mill.id);

    // A later report at a pace the new plan already allows moves nothing again.
    expect((await t.request('POST', `/allocations/${weaving.id}/progress`, { key: mill.key, body: { producedQuantity: 15 } })).status).toBe(200);
    expect((await order(t, brand.key, posted.body.id)).status).toBe('proposed');
    expect(await stageMoves(t, posted.body.id)).toHaveLength(2);
    await auditClean(t);
  });

  it('weaving reported so slow that no sewing fits before the due date: the order says so now, naming the stage and why', async () => {
    const brand = await signup(t, { kind: 'brand', name: 'Crawl Studio' });
    const mill = await signup(t, { kind: 'factory', name: 'Crawl Weaving' });
    const sewer = await signup(t, { kind: 'factory', name: 'Crawl Garments' });
    await addLine(t, mill.key, loomLine(['blend'], 8));
    await addLine(t, sewer.key, sewingLine('jeans'));
    const posted = await t.request<StyleOrderView>('POST', '/orders', {
      key: brand.key,
      body: replannedStyle({ garment: { category: 'jeans', fabricType: 'woven', samMinutes: 40 }, fabric: { fiber: 'blend', weave: 'plain', widthCm: 150, picksPerCm: 30 }, finishing: undefined }),
    });
    const first = await placed(t, brand.key, posted.body.id);
    const weaving = stage(first, 'weaving').allocations[0]!;
    const sewing = stage(first, 'sewing').allocations[0]!;
    expect((await t.request('POST', `/offers/${weaving.id}/accept`, { key: mill.key })).status).toBe(200);

    // 3 m of 618 in six hours: some fifty days to go, past the due date in 40.
    const forecast = await reportWoven(t, mill.key, weaving, 3);
    expect(forecast.every((d) => d > inDays(40))).toBe(true);
    await expect.poll(async () => (await order(t, brand.key, posted.body.id)).status, { timeout: 20_000, interval: 50 }).toBe('partial');

    const stuck = await order(t, brand.key, posted.body.id);
    expect(stuck.explanation.failedStage?.kind).toBe('sewing');
    expect(forecast.map((end) => addDays(end, 2))).toContain(stuck.explanation.failedStage?.inputReadyDate);
    const verdict = new RegExp(`^the weaving stage's production forecast ends \\d{4}-\\d{2}-\\d{2}, after its planned end ${weaving.endDate}: no chain reaches the due date: the sewing stage`);
    expect(stuck.explanation.summary).toMatch(verdict);
    expect(stuck.explanation.reasons?.length).toBeGreaterThan(0);
    // The running weaving is kept; the sewing offer is given back, and its factory told why.
    expect(stuck.allocations.find((a) => a.id === weaving.id)!.status).toBe('in_production');
    expect(stuck.allocations.find((a) => a.id === sewing.id)!.status).toBe('cancelled');
    const told = await t.sql<{ audience: string[]; reason: string }>(
      `SELECT audience::text[] AS audience, payload->>'reason' AS reason FROM events WHERE order_id = $1 AND type = 'allocation.replanned' AND payload->>'allocationId' = $2`, [posted.body.id, sewing.id],
    );
    expect(told).toHaveLength(1);
    expect([...told[0]!.audience].sort()).toEqual([brand.id, sewer.id].sort());
    expect(told[0]!.reason).toMatch(/weaving stage's production forecast ends/);
    const partial = await t.sql<{ n: number }>(`SELECT count(*)::int AS n FROM events WHERE order_id = $1 AND type = 'order.partial'`, [posted.body.id]);
    expect(partial[0]!.n).toBeGreaterThanOrEqual(1);
    expect(await stageMoves(t, posted.body.id)).toEqual([]);

    // A later pass finds the sewing stage short, not the weaving late (its later work was given
    // back): a new sewing line wakes the order, and its verdict still leads with the weaving's forecast.
    await addLine(t, sewer.key, sewingLine('jeans'));
    await expect.poll(async () => (await order(t, brand.key, posted.body.id)).explanation.plannedAt, { timeout: 20_000, interval: 50 }).not.toBe(stuck.explanation.plannedAt);
    const again = await order(t, brand.key, posted.body.id);
    expect(again.status).toBe('partial');
    expect(again.explanation.summary).toMatch(verdict);
    await auditClean(t);
  });

  it('a re-plan that loses its sewing days to another matcher is planned again, and the stage it moved is still told', async () => {
    const brand = await signup(t, { kind: 'brand', name: 'Race Studio' });
    const fast = await signup(t, { kind: 'factory', name: 'Race Fast Weaving' });
    const slow = await signup(t, { kind: 'factory', name: 'Race Slow Weaving' });
    const near = await signup(t, { kind: 'factory', name: 'Race Garments A' });
    const far = await signup(t, { kind: 'factory', name: 'Race Garments B' });
    await addLine(t, fast.key, { kind: 'weaving', name: 'Air-jets', machineType: 'air_jet', machines: 48, rpm: 700, maxWidthCm: 190, ratePerUnit: 0.012, fibers: ['polyester'] });
    // Two rapiers weave the 618 m in two days, the air-jets in one.
    await addLine(t, slow.key, loomLine(['polyester'], 2));
    const cheapLine = await addLine(t, near.key, sewingLine('tshirt'));
    await addLine(t, far.key, { ...sewingLine('tshirt'), ratePerUnit: 1.2 });
    const posted = await t.request<StyleOrderView>('POST', '/orders', {
      key: brand.key,
      body: replannedStyle({ garment: { category: 'tshirt', fabricType: 'woven', samMinutes: 40 }, fabric: { fiber: 'polyester', weave: 'plain', widthCm: 150, picksPerCm: 30 }, finishing: undefined }),
    });
    const first = await placed(t, brand.key, posted.body.id);
    const weaving = stage(first, 'weaving').allocations[0]!;
    const sewingBefore = stage(first, 'sewing');
    const sewing = sewingBefore.allocations[0]!;
    expect([weaving.factoryId, sewing.lineId]).toEqual([fast.id, cheapLine.id]);

    // Another matcher is settling work on the cheap sewing line's days after this sewing: its rows
    // are locked and, once it commits, full. The re-plan (its sewing must start at least a day
    // later, so it needs one of those days), made on numbers that cannot see it yet, loses them.
    const rival = new Client({ connectionString: t.databaseUrl });
    await rival.connect();
    try {
      await rival.query('BEGIN');
      const taken = await rival.query<{ day: string; reserved: string }>(
        `UPDATE capacity_days c SET reserved = c.capacity FROM capacity_days old
         WHERE c.line_id = $1 AND c.day > $2::date AND old.line_id = c.line_id AND old.day = c.day RETURNING to_char(c.day, 'YYYY-MM-DD') AS day, old.reserved::text AS reserved`,
        [cheapLine.id, sewing.endDate],
      );
      expect(taken.rows.length).toBeGreaterThan(0);
      expect(taken.rows.every((r) => r.reserved === '0')).toBe(true);
      expect((await t.request('POST', `/offers/${weaving.id}/reject`, { key: fast.key, body: { reasonCode: 'NO_CAPACITY' } })).status).toBe(200);
      // The re-plan's settling statement (known by its start: pg_stat_activity keeps only a
      // statement's first kilobyte) waits on the rival's cells: the race is on.
      await expect.poll(async () => (await t.sql<{ n: number }>(
        `SELECT count(*)::int AS n FROM pg_stat_activity WHERE datname = current_database() AND wait_event_type = 'Lock' AND query LIKE 'WITH cell AS%'`,
      ))[0]!.n, { timeout: 20_000, interval: 20 }).toBe(1);
      await rival.query('COMMIT');
    } finally {
      await rival.end();
    }

    const after = await placed(t, brand.key, posted.body.id, (o) => stage(o, 'sewing').allocations.some((a) => a.factoryId === far.id && a.status === 'offered'));
    const sewingAfter = stage(after, 'sewing');
    expect(after.allocations.find((a) => a.id === sewing.id)!.status).toBe('cancelled');
    expect(stage(after, 'weaving').allocations.find((a) => a.status === 'offered')!.factoryId).toBe(slow.id);
    const moves = await stageMoves(t, posted.body.id);
    expect(moves).toHaveLength(1);
    expect(moves[0]!.payload).toMatchObject({
      stage: 'sewing', after: 'weaving', cause: 'declined', from: { startDate: sewingBefore.startDate, endDate: sewingBefore.endDate },
      to: { startDate: sewingAfter.startDate, endDate: sewingAfter.endDate }, released: [sewing.id],
    });
    expect([...new Set(moves[0]!.audience)].sort()).toEqual([brand.id, near.id, far.id].sort());
    // The rival's cells given back, the books balance.
    await t.sql(`UPDATE capacity_days SET reserved = 0 WHERE line_id = $1 AND day > $2::date`, [cheapLine.id, sewing.endDate]);
    await auditClean(t);
  });
});
