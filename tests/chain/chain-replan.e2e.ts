import { inDays, startTestApp, type TestApp } from '../support/harness';
import { addLine, signup } from '../support/market';
import { capacityOn, dailyPicks, loomLine, minutesAgo, registerMachines, sendReadings } from '../telemetry/support';
import { auditClean, dyeRange, order, placed, replannedStyle, sewingLine, stage, stageMoves, type StyleOrderView } from './support';

/**
 * The chain follows its slowest link (DESIGN.md §8), end to end over HTTP: a weaving mill, a dye
 * house and a sewing factory. When weaving slips, the later stages are planned again after it and
 * the brand and the factories concerned are told which stage moved and why.
 */
describe('a style chain re-planned after a slip', () => {
  let t: TestApp;
  beforeAll(async () => {
    t = await startTestApp({ LOOM_DOWN_AFTER_SECONDS: '2', LOOM_DOWN_DAYS: '2', SWEEP_EVERY_MS: '300' });
  });
  afterAll(async () => {
    await t.close();
  });

  it('the weaving offer rejected: weaving goes to a slower mill, and the dyeing and sewing stages move after it; the brand and the factories are told', async () => {
    const brand = await signup(t, { kind: 'brand', name: 'Reject Studio' });
    const fast = await signup(t, { kind: 'factory', name: 'Fast Weaving' });
    const slow = await signup(t, { kind: 'factory', name: 'Slow Weaving' });
    const dyer = await signup(t, { kind: 'factory', name: 'Reject Dyeing' });
    const sewer = await signup(t, { kind: 'factory', name: 'Reject Garments' });
    await addLine(t, fast.key, { kind: 'weaving', name: 'Air-jets', machineType: 'air_jet', machines: 48, rpm: 700, maxWidthCm: 190, ratePerUnit: 0.012 });
    // 618 m x 3,000 picks = 1.854 M picks: one day on the air-jets, two on these two rapiers.
    await addLine(t, slow.key, loomLine(['cotton'], 2, { ratePerUnit: 0.02 }));
    await addLine(t, dyer.key, dyeRange);
    await addLine(t, sewer.key, sewingLine());

    const posted = await t.request<StyleOrderView>('POST', '/orders', { key: brand.key, body: replannedStyle() });
    const first = await placed(t, brand.key, posted.body.id);
    const weaving = stage(first, 'weaving').allocations.find((a) => a.status === 'offered')!;
    expect(weaving.factoryId).toBe(fast.id);
    const sewingBefore = stage(first, 'sewing');
    const dyeingBefore = stage(first, 'finishing');
    const sewingOffer = sewingBefore.allocations[0]!;

    const rejected = await t.request('POST', `/offers/${weaving.id}/reject`, { key: fast.key, body: { reasonCode: 'NO_CAPACITY', note: 'looms booked' } });
    expect(rejected.status).toBe(200);
    const after = await placed(t, brand.key, posted.body.id, (o) => stage(o, 'weaving').allocations.some((a) => a.factoryId === slow.id && a.status === 'offered'));
    const sewingAfter = stage(after, 'sewing');
    // Weaving ends a day later on the slower mill, so each later stage starts later than it would have.
    expect(stage(after, 'weaving').endDate! > stage(first, 'weaving').endDate!).toBe(true);
    expect(stage(after, 'finishing').startDate! > dyeingBefore.startDate!).toBe(true);
    expect(sewingAfter.startDate! > sewingBefore.startDate!).toBe(true);
    expect(after.allocations.find((a) => a.id === sewingOffer.id)!.status).toBe('cancelled');
    expect(sewingAfter.allocations.filter((a) => a.status === 'offered')).toHaveLength(1);
    for (const s of [stage(after, 'finishing'), sewingAfter]) expect(s.allocations.filter((a) => a.status === 'offered' || a.status === 'accepted').length).toBe(1);

    const moves = await stageMoves(t, posted.body.id);
    expect(moves.map((m) => m.payload.stage)).toEqual(['finishing', 'sewing']);
    const sewingMove = moves.find((m) => m.payload.stage === 'sewing')!;
    expect(sewingMove.payload).toMatchObject({
      after: 'weaving', from: { startDate: sewingBefore.startDate, endDate: sewingBefore.endDate },
      to: { startDate: sewingAfter.startDate, endDate: sewingAfter.endDate }, released: [sewingOffer.id],
    });
    expect(sewingMove.payload.reason).toMatch(/weaving offer was declined/);
    expect(sewingMove.payload.cause).toBe('declined');
    expect([...new Set(sewingMove.audience)].sort()).toEqual([brand.id, sewer.id].sort());
    expect(moves.find((m) => m.payload.stage === 'finishing')!.audience.sort()).toEqual([brand.id, dyer.id].sort());
    // The brand reads it on the feed's table; the weaving mills are not told about the sewing stage.
    expect(sewingMove.audience).not.toContain(fast.id);
    await auditClean(t);
  });

  it('the weaving offer rejected with time to spare: the later stages keep their work and nothing moves', async () => {
    const brand = await signup(t, { kind: 'brand', name: 'Spare Studio' });
    const a = await signup(t, { kind: 'factory', name: 'Spare Weaving A' });
    const b = await signup(t, { kind: 'factory', name: 'Spare Weaving B' });
    const sewer = await signup(t, { kind: 'factory', name: 'Spare Garments' });
    // Two mills as fast as each other: the second can take the weaving over on the same days.
    await addLine(t, a.key, { kind: 'weaving', name: 'Rapiers A', machineType: 'rapier', machines: 48, rpm: 700, maxWidthCm: 190, ratePerUnit: 0.011, fibers: ['linen'] });
    await addLine(t, b.key, { kind: 'weaving', name: 'Rapiers', machineType: 'rapier', machines: 48, rpm: 700, maxWidthCm: 190, ratePerUnit: 0.013, fibers: ['linen'] });
    await addLine(t, sewer.key, sewingLine('shirt'));
    const posted = await t.request<StyleOrderView>('POST', '/orders', {
      key: brand.key, body: replannedStyle({ garment: { category: 'shirt', fabricType: 'woven', samMinutes: 20 }, fabric: { fiber: 'linen', weave: 'plain', widthCm: 150, picksPerCm: 30 }, finishing: undefined }),
    });
    const first = await placed(t, brand.key, posted.body.id);
    const weaving = stage(first, 'weaving').allocations[0]!;
    expect(weaving.factoryId).toBe(a.id);
    const sewing = stage(first, 'sewing').allocations[0]!;
    expect((await t.request('POST', `/offers/${weaving.id}/reject`, { key: a.key, body: { reasonCode: 'PRICE' } })).status).toBe(200);
    const after = await placed(t, brand.key, posted.body.id, (o) => stage(o, 'weaving').allocations.some((x) => x.factoryId === b.id));
    expect(stage(after, 'sewing').allocations.map((x) => [x.id, x.status])).toEqual([[sewing.id, 'offered']]);
    expect(await stageMoves(t, posted.body.id)).toEqual([]);
    await auditClean(t);
  });

  it('a loom breakdown makes weaving late: the sewing stage moves before the day it would have started', async () => {
    const brand = await signup(t, { kind: 'brand', name: 'Breakdown Studio' });
    const mill = await signup(t, { kind: 'factory', name: 'Breakdown Weaving' });
    const dyer = await signup(t, { kind: 'factory', name: 'Breakdown Dyeing' });
    const sewer = await signup(t, { kind: 'factory', name: 'Breakdown Garments' });
    // Four rapiers weave 2.244 M picks a day: the 1.854 M of 618 m in one day, not with three of them down.
    const line = await addLine(t, mill.key, loomLine(['wool'], 4, { ratePerUnit: 0.02 }));
    await registerMachines(t, mill.key, line.id, ['B-1', 'B-2', 'B-3', 'B-4']);
    await addLine(t, dyer.key, dyeRange);
    await addLine(t, sewer.key, sewingLine('coat'));
    const posted = await t.request<StyleOrderView>('POST', '/orders', {
      key: brand.key, body: replannedStyle({ garment: { category: 'coat', fabricType: 'woven', samMinutes: 40 }, fabric: { fiber: 'wool', weave: 'plain', widthCm: 150, picksPerCm: 30 }, earliestStart: inDays(1) }),
    });
    const first = await placed(t, brand.key, posted.body.id);
    const weaving = stage(first, 'weaving').allocations[0]!;
    expect(weaving).toMatchObject({ lineId: line.id, startDate: inDays(1), endDate: inDays(1) });
    expect((await t.request('POST', `/offers/${weaving.id}/accept`, { key: mill.key })).status).toBe(200);
    const sewingBefore = stage(first, 'sewing');

    // Three looms down for the last hour; the fourth idle (work not started is moved, running work never).
    await sendReadings(t, mill.key, [
      ...['B-1', 'B-2', 'B-3'].flatMap((machineId) => [60, 30, 1].map((m) => ({ machineId, at: minutesAgo(m), state: 'down' as const }))),
      { machineId: 'B-4', at: minutesAgo(1), state: 'idle' as const },
    ]);
    await expect.poll(() => capacityOn(t, line.id, inDays(1)), { timeout: 10_000 }).toBe(Math.floor(dailyPicks(4) / 4));

    const after = await placed(t, brand.key, posted.body.id, (o) => o.allocations.find((a) => a.id === weaving.id)?.status === 'cancelled');
    // Weaving now needs a second day; dyeing and sewing follow it.
    expect(stage(after, 'weaving').endDate! > inDays(1)).toBe(true);
    const sewingAfter = stage(after, 'sewing');
    expect(sewingAfter.startDate! > sewingBefore.startDate!).toBe(true);
    const moves = await stageMoves(t, posted.body.id);
    const sewingMove = moves.find((m) => m.payload.stage === 'sewing')!;
    expect(sewingMove.payload).toMatchObject({ after: 'weaving', from: { startDate: sewingBefore.startDate }, to: { startDate: sewingAfter.startDate } });
    expect(sewingMove.payload.reason).toMatch(/weaving capacity was cut/);
    expect(sewingMove.payload.cause).toBe('capacity_cut');
    expect(sewingMove.audience).toEqual(expect.arrayContaining([brand.id, sewer.id]));
    // Told before the day the sewing would have started.
    expect(new Date(sewingMove.createdAt).toISOString().slice(0, 10) < sewingBefore.startDate!).toBe(true);
    await auditClean(t);
  });

  it('a dearer re-plan waits for the brand: the later stages are given back meanwhile, and approved, the chain is placed again', async () => {
    const brand = await signup(t, { kind: 'brand', name: 'Price Studio' });
    const cheap = await signup(t, { kind: 'factory', name: 'Cheap Viscose Weaving' });
    const dear = await signup(t, { kind: 'factory', name: 'Dear Viscose Weaving' });
    const sewer = await signup(t, { kind: 'factory', name: 'Price Garments' });
    // Wide fabric (250 cm): only these two mills' looms take it, whatever else the market holds.
    await addLine(t, cheap.key, { kind: 'weaving', name: 'Air-jets', machineType: 'air_jet', machines: 48, rpm: 700, maxWidthCm: 260, ratePerUnit: 0.012, fibers: ['viscose'] });
    await addLine(t, dear.key, loomLine(['viscose'], 2, { ratePerUnit: 0.05, maxWidthCm: 260 }));
    await addLine(t, sewer.key, sewingLine('trousers'));
    const posted = await t.request<StyleOrderView>('POST', '/orders', {
      key: brand.key,
      body: replannedStyle({ garment: { category: 'trousers', fabricType: 'woven', samMinutes: 30 }, fabric: { fiber: 'viscose', weave: 'plain', widthCm: 250, picksPerCm: 30 }, finishing: undefined, priceTolerancePct: undefined }),
    });
    const first = await placed(t, brand.key, posted.body.id);
    const weaving = stage(first, 'weaving').allocations[0]!;
    const sewing = stage(first, 'sewing').allocations[0]!;
    expect(weaving.factoryId).toBe(cheap.id);
    expect((await t.request('POST', `/offers/${weaving.id}/reject`, { key: cheap.key, body: { reasonCode: 'SPEC' } })).status).toBe(200);
    await expect.poll(async () => (await order(t, brand.key, posted.body.id)).status, { timeout: 20_000, interval: 50 }).toBe('awaiting_approval');
    const waiting = await order(t, brand.key, posted.body.id);
    expect(waiting.allocations.find((a) => a.id === sewing.id)!.status).toBe('cancelled');
    expect(waiting.stages.map((s) => s.status)).toEqual(['unplanned', 'unplanned']);
    const told = await t.sql<{ audience: string[] }>(`SELECT audience::text[] AS audience FROM events WHERE order_id = $1 AND type = 'allocation.replanned' AND payload->>'allocationId' = $2`, [posted.body.id, sewing.id]);
    expect(told.map((e) => [...e.audience].sort())).toEqual([[brand.id, sewer.id].sort()]);
    await auditClean(t);
    expect((await t.request('POST', `/orders/${posted.body.id}/approve`, { key: brand.key })).status).toBe(200);
    const after = await placed(t, brand.key, posted.body.id);
    expect(stage(after, 'weaving').allocations.find((a) => a.status === 'offered')!.factoryId).toBe(dear.id);
    await auditClean(t);
  });

  it('when no later plan fits, the order says so at once, naming the stage and why, long before its due date', async () => {
    const brand = await signup(t, { kind: 'brand', name: 'Stuck Studio' });
    const mill = await signup(t, { kind: 'factory', name: 'Only Silk Weaving' });
    const sewer = await signup(t, { kind: 'factory', name: 'Stuck Garments' });
    await addLine(t, mill.key, loomLine(['silk'], 8, { ratePerUnit: 0.02 }));
    await addLine(t, sewer.key, sewingLine('skirt'));
    const posted = await t.request<StyleOrderView>('POST', '/orders', {
      key: brand.key, body: replannedStyle({ garment: { category: 'skirt', fabricType: 'woven', samMinutes: 25 }, fabric: { fiber: 'silk', weave: 'plain', widthCm: 150, picksPerCm: 30 }, finishing: undefined }),
    });
    const first = await placed(t, brand.key, posted.body.id);
    const weaving = stage(first, 'weaving').allocations[0]!;
    expect((await t.request('POST', `/offers/${weaving.id}/reject`, { key: mill.key, body: { reasonCode: 'MATERIAL', note: 'no silk yarn' } })).status).toBe(200);
    await expect.poll(async () => (await order(t, brand.key, posted.body.id)).status, { timeout: 20_000, interval: 50 }).toBe('unmatched');
    const stuck = (await t.request<StyleOrderView & { explanation: { summary: string; reasons: { code: string }[]; failedStage: { kind: string } } }>('GET', `/orders/${posted.body.id}`, { key: brand.key })).body;
    expect(stuck.explanation.failedStage.kind).toBe('weaving');
    expect(stuck.explanation.reasons.length).toBeGreaterThan(0);
    expect(stuck.explanation.summary).toMatch(/weaving stage/);
    expect(stuck.stages.every((s) => s.allocations.every((a) => a.status !== 'offered' && a.status !== 'accepted'))).toBe(true);
    const [unmatched] = await t.sql<{ n: number }>(`SELECT count(*)::int AS n FROM events WHERE order_id = $1 AND type = 'order.unmatched'`, [posted.body.id]);
    expect(unmatched!.n).toBe(1);
    await auditClean(t);
  });
});
