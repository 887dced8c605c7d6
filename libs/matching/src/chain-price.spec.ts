import { continueChain, type HeldStage, listStagePlanner, planChain, replanAfter, styleStages, type StyleSpec } from './chain';
import { MarketIndex } from './market-index';
import { freeDays, line, sewingSpec, weavingSpec } from './testing/fixtures';
import type { PriceCeiling } from './types';

// A brand's target price is a hard ceiling on a style chain's first plan, as on a single order's (DESIGN.md §8, §9).

const style: StyleSpec = {
  garment: { category: 'shirt', fabricType: 'woven', samMinutes: 20 },
  fabric: { fiber: 'cotton', weave: 'plain', widthCm: 160, picksPerCm: 20 },
  fabricPerPieceM: 1.2, wastagePct: 3,
};
// 300 shirts: 371 m to weave (CNY 742 on the cheap loom, 2,226 on the dear one), 300 pieces to sew (CNY 3,000).
const stages = styleStages(style, 300, { maxSplits: 1 });
const loom = (id: string, metersPerDay: number, rate: number) => line(id, { spec: weavingSpec(), ratePerUnit: rate, free: freeDays(30, 0, 29, metersPerDay * 2000) });
const sew = (id: string, minutesPerDay: number, rate = 0.5) => line(id, { spec: sewingSpec({ categories: ['shirt'] }), ratePerUnit: rate, free: freeDays(30, 0, 29, minutesPerDay) });
const target = (price: number): PriceCeiling => ({ price, source: 'target' });

// A fast dear loom (done day 0) and a slow cheap one (done day 4); due day 10, sewing fits after either.
const lines = [loom('dear', 400, 3), loom('cheap', 80, 1), sew('sew', 6000)];
const request = { stages, startDay: 0, endDay: 10, transitDays: 2 };

describe('a target price over a whole chain', () => {
  it('plans for time first, on the dear loom, when no ceiling is set (the case below starts from)', () => {
    const free = planChain(request, listStagePlanner(lines));
    if (!free.ok) throw new Error(JSON.stringify(free.reasons));
    expect(free.stages[0]?.allocations.map((a) => a.lineId)).toEqual(['dear']);
    expect(free.totalPrice).toBe(5226);
  });

  it('keeps the time-first chain when it is within the target', () => {
    const result = planChain({ ...request, priceCeiling: target(6000) }, listStagePlanner(lines));
    if (!result.ok) throw new Error(JSON.stringify(result.reasons));
    expect(result.totalPrice).toBe(5226);
  });

  it('chooses a cheaper stage plan when the time-first chain is above the target and a cheaper chain is within it', () => {
    const result = planChain({ ...request, priceCeiling: target(4000) }, listStagePlanner(lines));
    if (!result.ok) throw new Error(JSON.stringify(result.reasons));
    expect(result.stages[0]?.allocations.map((a) => a.lineId)).toEqual(['cheap']);
    expect(result.totalPrice).toBe(3742);
    expect(result.stages[1]?.startDay).toBeGreaterThanOrEqual((result.stages[0]?.endDay ?? 99) + 2);
    expect(result.completionDay).toBeLessThanOrEqual(10);
  });

  it('uses no chain above the target: the miss says PRICE_ABOVE_TARGET and names the cheapest chain found', () => {
    const result = planChain({ ...request, priceCeiling: target(3500) }, listStagePlanner(lines));
    if (result.ok) throw new Error(`planned at ${result.totalPrice}, above the target`);
    expect(result.reasons.map((r) => r.code)).toEqual(['PRICE_ABOVE_TARGET']);
    expect(result.reasons[0]?.message).toContain('CNY 3,742');
    expect(result.closestMiss.cheapestPrice).toBe(3742);
    // Weaving (742) is within 3,500; sewing takes the running price past it.
    expect(result).toMatchObject({ failedStage: 1, failedKind: 'sewing' });
  });

  it('answers the same over a market index as over the list', () => {
    const index = new MarketIndex({ horizon: 30 });
    for (const l of lines) index.upsertLine(l);
    const result = planChain({ ...request, priceCeiling: target(3500) }, index);
    expect(result).toMatchObject({ ok: false, closestMiss: { cheapestPrice: 3742 } });
    const within = planChain({ ...request, priceCeiling: target(4000) }, index);
    expect(within).toMatchObject({ ok: true, totalPrice: 3742 });
  });

  it('names a miss for capacity, not price, when no chain fits at all', () => {
    const result = planChain({ ...request, endDay: 1, priceCeiling: target(1e6) }, listStagePlanner(lines));
    expect(result.ok).toBe(false);
    if (!result.ok) expect(result.reasons.map((r) => r.code)).not.toContain('PRICE_ABOVE_TARGET');
  });

  it('does not hold a continuation after a slip to the ceiling: a dearer one waits for the brand (§9)', () => {
    const ceiling = { ...request, priceCeiling: target(100) };
    const later = replanAfter(ceiling, 0, 3, listStagePlanner(lines));
    expect(later).toMatchObject({ ok: true, totalPrice: 3000 });
    const held: HeldStage[] = [{ quantity: 200, splits: 1, startDay: 0, endDay: 2 }, { quantity: 0, splits: 0, startDay: null, endDay: null }];
    const continued = continueChain(ceiling, held, 0, listStagePlanner(lines));
    expect(continued.ok).toBe(true);
    // With nothing held yet it is the chain's first plan, and the ceiling holds.
    const nothing: HeldStage = { quantity: 0, splits: 0, startDay: null, endDay: null };
    expect(continueChain(ceiling, [nothing, nothing], 0, listStagePlanner(lines))).toMatchObject({ ok: false, reasons: [{ code: 'PRICE_ABOVE_TARGET' }] });
  });
});
