import fc from 'fast-check';
import { MarketIndex } from './market-index';
import { planOrder } from './plan-order';
import { marketAndRequest } from './testing/arbitraries';
import { hardRuleViolations } from './testing/check-plan';
import { line, request } from './testing/fixtures';
import type { CandidateLine, FairnessPolicy, PlanRequest, PlanResult } from './types';

const RUNS = { numRuns: 500 };

/** f1 and f2 (of the arbitraries' f1..f4) are the small mills; margins up to 10 % so the policy often acts. */
const policy = fc.record({
  smallFactoryIds: fc.subarray(['f1', 'f2', 'f3', 'f4'], { minLength: 1 }).map((ids) => new Set(ids) as ReadonlySet<string>),
  margin: fc.constantFrom(0.02, 0.05, 0.1),
  currentShare: fc.constantFrom(0, 0.2, 0.5),
  targetShare: fc.constantFrom(0.3, 0.6),
});

function indexOf(lines: readonly CandidateLine[]): MarketIndex {
  const index = new MarketIndex({ horizon: 16 });
  for (const l of lines) index.upsertLine(l);
  return index;
}

/** The plan without the policy's explanation: what it must equal when the policy changes nothing. */
const scoreOf = (r: PlanResult): number => (r.ok ? (r.allocations[0]?.score ?? 0) : NaN);

describe('fairness policy in the ranking', () => {
  it('never breaks a hard rule, with the list planner and with the index', () => {
    fc.assert(fc.property(marketAndRequest, policy, ([lines, req], fairness) => {
      const fair: PlanRequest = { ...req, fairness };
      expect(hardRuleViolations(fair, lines, planOrder(fair, lines))).toEqual([]);
      expect(hardRuleViolations(fair, lines, indexOf(lines).plan(fair))).toEqual([]);
    }), RUNS);
  });

  it('chooses what the list planner chooses when the index prunes its search (the margin widens the pruning bound)', () => {
    fc.assert(fc.property(marketAndRequest, policy, ([lines, req], fairness) => {
      const fair: PlanRequest = { ...req, fairness };
      const viaList = planOrder(fair, lines);
      const viaIndex = indexOf(lines).plan(fair);
      // A miss is explained against each one's horizon (the list's is its capable lines' longest), so plans are compared.
      expect(viaIndex.ok).toBe(viaList.ok);
      if (viaIndex.ok) expect(viaIndex).toEqual(viaList);
    }), RUNS);
  });

  it('leaves plans identical when off, when the target is met, and matches the same orders either way', () => {
    fc.assert(fc.property(marketAndRequest, policy, ([lines, req], fairness) => {
      const off = planOrder(req, lines);
      expect(planOrder({ ...req, fairness: { ...fairness, currentShare: fairness.targetShare } }, lines)).toEqual(off);
      expect(planOrder({ ...req, fairness: { ...fairness, margin: 0 } }, lines)).toEqual(off);
      const on = planOrder({ ...req, fairness }, lines);
      // Same split count (whole stays whole), and a changed choice is explained and within the margin.
      expect(on.ok).toBe(off.ok);
      if (!on.ok || !off.ok) return;
      expect(on.allocations.length).toBe(off.allocations.length);
      const [chosen] = on.allocations;
      if (chosen?.fairness === undefined) {
        expect(on).toEqual(off);
        return;
      }
      expect(fairness.smallFactoryIds.has(chosen.factoryId)).toBe(true);
      expect(chosen.fairness.preferredOverLineId).toBe(off.allocations[0]?.lineId);
      expect(chosen.fairness.bestScore).toBeCloseTo(scoreOf(off), 9);
      expect(chosen.score).toBeGreaterThanOrEqual(scoreOf(off) * (1 - fairness.margin) - 1e-9);
    }), RUNS);
  });

  describe('a small mill within the margin of a big one', () => {
    // Same line but 1 % dearer at the small mill: price part 1/1.01, score 0.3 × 0.0099 ≈ 0.3 % below.
    const big = line('big', { factoryId: 'big-mill', ratePerUnit: 1 });
    const small = line('small', { factoryId: 'small-mill', ratePerUnit: 1.01 });
    const fairness: FairnessPolicy = { smallFactoryIds: new Set(['small-mill']), margin: 0.02, currentShare: 0.1, targetShare: 0.3 };

    it('goes to the big mill without the policy', () => {
      const r = planOrder(request(), [big, small]);
      expect(r.ok && r.allocations.map((a) => [a.lineId, a.fairness])).toEqual([['big', undefined]]);
    });

    it('goes to the small mill with it, and says why', () => {
      const r = planOrder(request({ fairness }), [big, small]);
      expect(r.ok && r.allocations.map((a) => a.lineId)).toEqual(['small']);
      expect(r.ok && r.allocations[0]?.fairness).toMatchObject({ preferredOverLineId: 'big', preferredOverFactoryId: 'big-mill' });
      const index = indexOf([big, small].map((l) => ({ ...l, free: Array.from(l.free).slice(0, 16) })));
      const viaIndex = index.plan(request({ endDay: 15, fairness }));
      expect(viaIndex.ok && viaIndex.allocations.map((a) => a.lineId)).toEqual(['small']);
    });

    it('not once the small mills hold the target share', () => {
      const r = planOrder(request({ fairness: { ...fairness, currentShare: 0.3 } }), [big, small]);
      expect(r.ok && r.allocations.map((a) => a.lineId)).toEqual(['big']);
    });

    it('not when the small mill is further below than the margin', () => {
      const dear = { ...small, ratePerUnit: 1.2 };
      const r = planOrder(request({ fairness }), [big, dear]);
      expect(r.ok && r.allocations.map((a) => a.lineId)).toEqual(['big']);
    });
  });
});
