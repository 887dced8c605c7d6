import fc from 'fast-check';
import { MarketIndex } from './market-index';
import { planOrder } from './plan-order';
import { marketAndRequest } from './testing/arbitraries';
import { hardRuleViolations } from './testing/check-plan';
import { fabric, line, request, weavingSpec } from './testing/fixtures';
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

  describe('a split over lines whose calendars end before the index horizon (seed 697581491)', () => {
    // The two capable lines carry 13 days, the index 16: the list's window ended on day 12, the
    // index's on day 13, and the split's middle day was taken between the earliest day and the
    // window's end, so the two tried days 10 and 11 and planned different splits.
    const record = { onTimeRate: 0.95, acceptanceRate: 0.6 };
    const l01 = line('L01', {
      factoryId: 'f3', spec: weavingSpec({ machineType: 'projectile', machines: 3, rpm: 505, efficiency: 0.7, hoursPerDay: 16 }),
      ratePerUnit: 1.5, record, load: 0.9,
      free: [30077, 463649, 548205, 204802, 0, 0, 0, 0, 216997, 0, 155527, 38438, 536210],
    });
    const l03 = line('L03', {
      factoryId: 'f3',
      spec: weavingSpec({
        machineType: 'jacquard', machines: 3, rpm: 609, efficiency: 0.85, hoursPerDay: 16, maxWidthCm: 150,
        fibers: ['cotton', 'polyester', 'nylon', 'wool', 'silk'],
      }),
      record: { ...record, acceptanceRate: 0.9 }, load: 0.5,
      free: [0, 450657, 0, 599990, 171116, 380937, 365780, 0, 0, 274266, 230379, 10844, 0],
    });
    const fairness: FairnessPolicy = { smallFactoryIds: new Set(['f4']), margin: 0.02, currentShare: 0, targetShare: 0.3 };
    const req = request({
      order: fabric({ fiber: 'polyester', weave: 'twill', widthCm: 140, picksPerCm: 20.5 }),
      quantity: 1242, startDay: 2, endDay: 13, maxSplits: 2, fairness,
    });

    it('plans the same split with the index as with the list', () => {
      const viaList = planOrder(req, [l01, l03]);
      expect(viaList.ok && viaList.allocations.map((a) => a.lineId)).toEqual(['L03', 'L01']);
      expect(indexOf([l01, l03]).plan(req)).toEqual(viaList);
    });

    it('plans the same split when the list carries the empty days the index has', () => {
      const padded = [l01, l03].map((l) => ({ ...l, free: [...Array.from(l.free), 0, 0, 0] }));
      expect(planOrder(req, padded)).toEqual(planOrder(req, [l01, l03]));
    });
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
