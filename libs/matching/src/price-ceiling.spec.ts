import fc from 'fast-check';
import { MarketIndex } from './market-index';
import { planOrder } from './plan-order';
import { largeMarketAndRequest, marketAndRequest } from './testing/arbitraries';
import { hardRuleViolations } from './testing/check-plan';
import { fabric, freeDays, line, request } from './testing/fixtures';
import type { CandidateLine, PlanRequest } from './types';

// 1,000 m at 20 picks/cm: 2,000,000 picks, so CNY 2,000 at a rate of 1 per 1,000 picks.
const order = request({ order: fabric({ picksPerCm: 20 }), quantity: 1000, startDay: 1, endDay: 20, maxSplits: 2 });

const ceiling = fc.record({ price: fc.integer({ min: 0, max: 40_000 }), source: fc.constantFrom('target' as const, 'agreed' as const) });
const withCeiling = (arb: typeof marketAndRequest): fc.Arbitrary<[CandidateLine[], PlanRequest]> =>
  fc.tuple(arb, ceiling).map(([[lines, req], priceCeiling]) => [lines, { ...req, priceCeiling }]);

describe('a price ceiling', () => {
  it('passes over a better-ranked line whose rate breaks the target and plans on a cheaper one', () => {
    // The dear line is reliable and idle, so without a ceiling it wins.
    const dear = line('dear', { ratePerUnit: 1.1, record: { onTimeRate: 1, acceptanceRate: 1 } });
    const cheap = line('cheap', { ratePerUnit: 1, record: { onTimeRate: 0.2, acceptanceRate: 0.2 }, load: 0.9 });
    const free = planOrder(order, [dear, cheap]);
    expect(free.ok && free.allocations.map((a) => a.lineId)).toEqual(['dear']);
    const capped = planOrder({ ...order, priceCeiling: { price: 2100, source: 'target' } }, [dear, cheap]);
    expect(capped.ok && capped.allocations.map((a) => a.lineId)).toEqual(['cheap']);
    expect(capped.ok && capped.totalPrice).toBe(2000);
  });

  it('misses with PRICE_ABOVE_TARGET and the cheapest feasible price when every plan costs more', () => {
    const result = planOrder({ ...order, priceCeiling: { price: 2000, source: 'target' } }, [line('a', { ratePerUnit: 1.2 }), line('b', { ratePerUnit: 1.5 })]);
    if (result.ok) throw new Error('expected no plan');
    expect(result.reasons.map((r) => r.code)).toEqual(['PRICE_ABOVE_TARGET']);
    expect(result.closestMiss.cheapestPrice).toBe(2400);
  });

  it('gives the capacity reasons, not price, when no plan exists at any price', () => {
    const result = planOrder({ ...order, priceCeiling: { price: 100, source: 'target' } }, [line('a', { free: freeDays(30, 0, 29, 10) })]);
    if (result.ok) throw new Error('expected no plan');
    expect(result.reasons.map((r) => r.code)).not.toContain('PRICE_ABOVE_TARGET');
    expect(result.closestMiss.cheapestPrice).toBeUndefined();
  });

  it('uses a split that mixes a dear line in when that is what fits the price', () => {
    // In the 20-day window cheap takes 900 m and dear 100 m: together 1,800 + 800.
    const cheap = line('cheap', { ratePerUnit: 1, free: freeDays(30, 0, 29, (900 * 2000) / 20) });
    const dear = line('dear', { ratePerUnit: 4, free: freeDays(30, 0, 29, (100 * 2000) / 20) });
    const result = planOrder({ ...order, priceCeiling: { price: 2700, source: 'agreed' } }, [cheap, dear]);
    expect(result.ok && result.totalPrice).toBe(2600);
  });

  it('never plans above the ceiling, and a price miss is one a plan without the ceiling would have made', () => {
    fc.assert(fc.property(withCeiling(marketAndRequest), ([lines, req]) => {
      const capped = planOrder(req, lines);
      expect(hardRuleViolations(req, lines, capped)).toEqual([]);
      const price = req.priceCeiling?.price ?? Infinity;
      if (!capped.ok && capped.reasons.some((r) => r.code === 'PRICE_ABOVE_TARGET' || r.code === 'PRICE_ABOVE_AGREED')) {
        const free = planOrder({ ...req, priceCeiling: undefined }, lines);
        expect(free.ok).toBe(true);
        expect(capped.closestMiss.cheapestPrice).toBeGreaterThan(price);
        if (free.ok) expect(capped.closestMiss.cheapestPrice).toBeLessThanOrEqual(free.totalPrice);
      }
      // A plan within the price without the ceiling is never refused for price.
      const free = planOrder({ ...req, priceCeiling: undefined }, lines);
      if (free.ok && free.totalPrice <= price) expect(capped.ok).toBe(true);
    }), { numRuns: 1000 });
  });

  it('plans with a ceiling exactly as planOrder does over the same lines in the index', () => {
    fc.assert(fc.property(fc.oneof(withCeiling(marketAndRequest), withCeiling(largeMarketAndRequest)), ([lines, req]) => {
      const index = new MarketIndex({ horizon: 16, initialLines: 2 });
      for (const l of lines) index.upsertLine(l);
      const result = index.plan(req);
      expect(result).toEqual(planOrder(req, index.lines()));
      expect(index.fits(req)).toBe(result.ok);
    }), { numRuns: 300 });
  });
});
