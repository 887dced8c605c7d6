import fc from 'fast-check';
import { productMismatch } from './capability';
import { MarketIndex } from './market-index';
import { planOrder } from './plan-order';
import { largeMarketAndRequest, marketAndRequest } from './testing/arbitraries';
import { hardRuleViolations } from './testing/check-plan';
import { fabric, freeDays, line, request, weavingSpec } from './testing/fixtures';
import type { CandidateLine } from './types';

const HORIZON = 16;

function indexOf(lines: readonly CandidateLine[]): MarketIndex {
  const index = new MarketIndex({ horizon: HORIZON, initialLines: 2 });
  for (const l of lines) index.upsertLine(l);
  return index;
}

describe('MarketIndex', () => {
  it('plans exactly as planOrder over the same lines', () => {
    fc.assert(fc.property(marketAndRequest, ([lines, req]) => {
      const index = indexOf(lines);
      expect(index.plan(req)).toEqual(planOrder(req, index.lines()));
    }), { numRuns: 1000 });
  });

  it('plans exactly as planOrder on markets large enough to shortlist split lines', () => {
    fc.assert(fc.property(largeMarketAndRequest, ([lines, req]) => {
      const index = indexOf(lines);
      for (let n = 0; n < 3; n++) {
        const result = index.plan(req);
        expect(result).toEqual(planOrder(req, index.lines()));
        expect(hardRuleViolations(req, index.lines(), result)).toEqual([]);
        index.reservePlan(result);
      }
    }), { numRuns: 150 });
  });

  it('plans alike when prepared after loading, also as reservations and new lines follow', () => {
    fc.assert(fc.property(largeMarketAndRequest, ([lines, req]) => {
      const prepared = indexOf(lines.slice(1));
      prepared.prepare();
      const lazy = indexOf(lines.slice(1));
      for (let n = 0; n < 3; n++) {
        const result = prepared.plan(req);
        expect(result).toEqual(lazy.plan(req));
        prepared.reservePlan(result);
        lazy.reservePlan(result);
        const added = lines[0];
        if (n === 0 && added !== undefined) for (const index of [prepared, lazy]) index.upsertLine(added);
      }
    }), { numRuns: 150 });
  });

  it('says whether an order fits exactly when plan matches it, and spends less work on a miss', () => {
    fc.assert(fc.property(fc.oneof(marketAndRequest, largeMarketAndRequest), ([lines, req]) => {
      const index = indexOf(lines);
      for (let n = 0; n < 3; n++) {
        const before = index.work;
        const fits = index.fits(req);
        const probe = index.work - before;
        const result = index.plan(req);
        expect(fits).toBe(result.ok);
        if (!result.ok) expect(probe).toBeLessThanOrEqual(index.work - before - probe);
        index.reservePlan(result);
      }
    }), { numRuns: 300 });
  });

  it('stays equivalent while plans are reserved one after another and lines come and go', () => {
    fc.assert(fc.property(marketAndRequest, fc.array(fc.nat(), { minLength: 3, maxLength: 6 }), ([lines, req], picks) => {
      const index = indexOf(lines);
      for (const [i, pick] of picks.entries()) {
        const result = index.plan(req);
        expect(result).toEqual(planOrder(req, index.lines()));
        index.reservePlan(result);
        const victim = lines[pick % Math.max(1, lines.length)];
        if (victim !== undefined && i % 3 === 2) index.removeLine(victim.lineId);
        if (victim !== undefined && i % 3 === 1 && index.has(victim.lineId)) index.setFree(victim.lineId, pick % HORIZON, pick);
      }
    }), { numRuns: 300 });
  });

  it('explains a miss as planOrder does after many days were cut to slivers, with lines excluded', () => {
    // Slivers lower lines' least free days; past twice a bucket's size the bucket rebins them.
    fc.assert(fc.property(marketAndRequest, fc.array(fc.tuple(fc.nat(), fc.nat(), fc.nat({ max: 2000 })), { minLength: 20, maxLength: 80 }), ([lines, req], cuts) => {
      const index = indexOf(lines);
      index.plan(req);
      for (const [pick, day, units] of cuts) {
        const victim = lines[pick % Math.max(1, lines.length)];
        if (victim !== undefined) index.setFree(victim.lineId, day % HORIZON, units);
      }
      const excludedLineIds = lines.filter((_, i) => i % 5 === 1).map((l) => l.lineId);
      for (const asked of [req, { ...req, minSplitQuantity: (req.minSplitQuantity ?? 1) * 7, excludedLineIds }]) {
        expect(index.plan(asked)).toEqual(planOrder(asked, index.lines()));
      }
    }), { numRuns: 300 });
  });

  it('never lets reservations overdraw a line-day', () => {
    fc.assert(fc.property(marketAndRequest, ([lines, req]) => {
      const index = indexOf(lines);
      const before = new Map(index.lines().map((l) => [l.lineId, [...Array.from(l.free)]]));
      for (let n = 0; n < 4; n++) index.reservePlan(index.plan(req));
      for (const l of index.lines()) {
        const was = before.get(l.lineId) ?? [];
        for (let d = 0; d < HORIZON; d++) {
          expect(l.free[d]).toBeGreaterThanOrEqual(0);
          expect(l.free[d]).toBeLessThanOrEqual(was[d] ?? 0);
        }
      }
    }), { numRuns: 300 });
  });

  it('returns as candidates exactly the lines that can make the product', () => {
    fc.assert(fc.property(marketAndRequest, ([lines, req]) => {
      const index = indexOf(lines);
      const expected = lines.filter((l) => productMismatch(l.spec, req.order) === null).map((l) => l.lineId).sort();
      expect(index.candidatesFor(req.order).map((l) => l.lineId)).toEqual(expected);
    }), { numRuns: 500 });
  });

  it('refuses to reserve more than a day holds, and changes nothing when it refuses', () => {
    const index = indexOf([line('a', { free: freeDays(HORIZON, 0, 15, 100) })]);
    expect(() => index.reserve('a', [{ day: 1, units: 60 }, { day: 2, units: 101 }])).toThrow(RangeError);
    expect(() => index.reserve('a', [{ day: 3, units: 60 }, { day: 3, units: 60 }])).toThrow(RangeError);
    expect(() => index.reserve('a', [{ day: HORIZON, units: 1 }])).toThrow(RangeError);
    expect(() => index.reserve('nope', [])).toThrow(RangeError);
    expect(index.freeOn('a', 1)).toBe(100);
    index.reserve('a', [{ day: 1, units: 60 }]);
    expect(index.freeOn('a', 1)).toBe(40);
    index.release('a', [{ day: 1, units: 60 }]);
    expect(index.freeOn('a', 1)).toBe(100);
  });

  it('rolls back a plan reservation that does not fit', () => {
    const index = indexOf([line('a', { free: freeDays(HORIZON, 0, 15, 1_000_000) }), line('b', { free: freeDays(HORIZON, 0, 15, 1_000_000) })]);
    const plan = index.plan(request({ order: fabric(), quantity: 1000, startDay: 0, endDay: 10 }));
    if (!plan.ok) throw new Error('expected a plan');
    const lineId = plan.allocations[0]!.lineId;
    index.setFree(lineId, 1, 0);
    expect(() => index.reservePlan(plan)).toThrow(RangeError);
    expect(index.freeOn(lineId, 0)).toBe(1_000_000);
  });

  it('raises a line\'s load as its capacity is reserved', () => {
    const spec = weavingSpec({ machines: 1, rpm: 500, hoursPerDay: 20, efficiency: 1 }); // 600,000 picks a day
    const index = indexOf([line('a', { spec, load: 0, free: freeDays(HORIZON, 0, 15, 600_000) })]);
    index.reserve('a', [{ day: 0, units: 600_000 }, { day: 1, units: 600_000 }]);
    expect(index.lines()[0]?.load).toBeCloseTo(2 / HORIZON);
  });

  it('moves a line between capability buckets when its spec changes', () => {
    const index = indexOf([line('a', { spec: weavingSpec({ machineType: 'rapier' }) })]);
    expect(index.candidatesFor(fabric({ fiber: 'wool' }))).toHaveLength(1);
    index.upsertLine(line('a', { spec: weavingSpec({ machineType: 'air_jet' }) }));
    expect(index.candidatesFor(fabric({ fiber: 'wool' }))).toHaveLength(0);
    expect(index.candidatesFor(fabric({ fiber: 'cotton' }))).toHaveLength(1);
    expect(index.removeLine('a')).toBe(true);
    expect(index.candidatesFor(fabric({ fiber: 'cotton' }))).toHaveLength(0);
    expect(index.size).toBe(0);
  });

  it('advances the horizon: day n becomes day 0 and new days start closed', () => {
    const index = indexOf([line('a', { free: Array.from({ length: HORIZON }, (_, d) => d + 1) })]);
    index.advance(3);
    expect(Array.from(index.lines()[0]!.free)).toEqual([...Array.from({ length: HORIZON - 3 }, (_, d) => d + 4), 0, 0, 0]);
  });
});
