import fc from 'fast-check';
import { demandOf, maxQuantityWithin, unitsPerQuantity } from './capacity';
import { lineMismatch } from './capability';
import { planOrder } from './plan-order';
import { recordOf, scoreParts, weightedScore } from './scoring';
import { marketAndRequest } from './testing/arbitraries';
import { hardRuleViolations } from './testing/check-plan';
import type { CandidateLine, PlanRequest } from './types';

const RUNS = { numRuns: 1000 };

function windowUnits(l: CandidateLine, req: PlanRequest): number {
  let sum = 0;
  for (let d = Math.max(0, req.startDay); d <= req.endDay && d < l.free.length; d++) sum += Math.max(0, Math.floor(l.free[d] ?? 0));
  return sum;
}

function usable(lines: readonly CandidateLine[], req: PlanRequest): CandidateLine[] {
  const excluded = new Set(req.excludedLineIds ?? []);
  return lines.filter((l) => !excluded.has(l.lineId) && lineMismatch(l, req.order, req.certifications) === null);
}

describe('planOrder properties', () => {
  it('keeps every hard rule: capacity per line-day, window, splits, minimums, sum, demand', () => {
    fc.assert(fc.property(marketAndRequest, ([lines, req]) => {
      expect(hardRuleViolations(req, lines, planOrder(req, lines))).toEqual([]);
    }), RUNS);
  });

  it('gives the same plan for the same market in any candidate order', () => {
    fc.assert(fc.property(marketAndRequest.chain(([lines, req]) => fc.tuple(fc.constant(lines), fc.constant(req), fc.shuffledSubarray(lines, { minLength: lines.length, maxLength: lines.length }))),
      ([lines, req, shuffled]) => {
        expect(planOrder(req, shuffled)).toEqual(planOrder(req, lines));
      }), RUNS);
  });

  it('gives the same plan when the lines carry empty days past their calendars', () => {
    // The index holds every line to its own horizon; a list's horizon is its longest line. Days
    // that hold nothing must not change the plan, or the two would plan the same market apart.
    fc.assert(fc.property(marketAndRequest, fc.integer({ min: 1, max: 8 }), ([lines, req], extra) => {
      const padded = lines.map((l) => ({ ...l, free: [...Array.from(l.free), ...new Array<number>(extra).fill(0)] }));
      const plain = planOrder(req, lines);
      const result = planOrder(req, padded);
      expect(result.ok).toBe(plain.ok);
      if (plain.ok) expect(result).toEqual(plain);
    }), RUNS);
  });

  it('plans the order whole whenever one usable line can take it', () => {
    fc.assert(fc.property(marketAndRequest, ([lines, req]) => {
      const demand = demandOf(req.order, req.quantity);
      const whole = usable(lines, req).some((l) => windowUnits(l, req) >= demand);
      const result = planOrder(req, lines);
      expect(result.ok && result.allocations.length === 1).toBe(whole);
    }), RUNS);
  });

  it('takes whole the best-scored line of all that can take the order whole (the search passes over none that could win)', () => {
    fc.assert(fc.property(marketAndRequest, ([lines, req]) => {
      const demand = demandOf(req.order, req.quantity);
      const eligible = usable(lines, req);
      const rates = eligible.map((l) => l.ratePerUnit).filter((r) => r > 0);
      const minRate = rates.length > 0 ? Math.min(...rates) : 0;
      const scores = eligible.flatMap((l) => {
        let sum = 0;
        for (let d = Math.max(0, req.startDay); d <= req.endDay && d < l.free.length; d++) {
          sum += Math.max(0, Math.floor(l.free[d] ?? 0));
          if (sum < demand) continue;
          const parts = scoreParts({ allocations: 1, startDay: req.startDay, endDay: req.endDay, completionDay: d, rate: l.ratePerUnit, minRate, record: recordOf(l.record), load: l.load });
          return [weightedScore(parts)];
        }
        return [];
      });
      const result = planOrder(req, lines);
      if (scores.length === 0 || !result.ok) return;
      expect(result.allocations).toHaveLength(1);
      expect(result.allocations[0]?.score).toBeGreaterThanOrEqual(Math.max(...scores) - 1e-9);
    }), RUNS);
  });

  it('without minimums, finds a plan whenever the maxSplits largest lines cover the order', () => {
    fc.assert(fc.property(marketAndRequest, ([lines, rawReq]) => {
      const req = { ...rawReq, minSplitQuantity: undefined };
      const perItem = unitsPerQuantity(req.order);
      const candidates = usable(lines, req).filter((l) => l.spec.kind !== 'sewing' || l.spec.moq === 0);
      const caps = candidates.map((l) => maxQuantityWithin(windowUnits(l, req), perItem, req.quantity)).sort((a, b) => b - a);
      const coverable = caps.slice(0, req.maxSplits).reduce((s, c) => s + c, 0) >= req.quantity;
      const result = planOrder(req, candidates);
      expect(result.ok).toBe(coverable);
      if (!result.ok) {
        expect(result.reasons.length).toBeGreaterThan(0);
        expect(result.closestMiss.coveredFraction).toBeLessThan(1);
        expect(result.closestMiss.coveredFraction).toBeGreaterThanOrEqual(0);
      }
    }), RUNS);
  });
});
