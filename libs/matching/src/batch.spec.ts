import fc from 'fast-check';
import { MarketIndex } from './market-index';
import { orderSpec, market, planRequest } from './testing/arbitraries';
import { hardRuleViolations } from './testing/check-plan';
import { fabric, freeDays, line, request } from './testing/fixtures';
import type { CandidateLine, PlanRequest, PlanResult } from './types';

const HORIZON = 16;

function indexOf(lines: readonly CandidateLine[], horizon = HORIZON): MarketIndex {
  const index = new MarketIndex({ horizon, initialLines: 2 });
  for (const l of lines) index.upsertLine(l);
  return index;
}

const matchedQuantity = (requests: readonly PlanRequest[], results: readonly PlanResult[]): number =>
  results.reduce((s, r, i) => s + (r.ok ? (requests[i]?.quantity ?? 0) : 0), 0);

/** Each order planned and reserved in turn, as matching one order at a time would. */
function oneAtATime(lines: readonly CandidateLine[], requests: readonly PlanRequest[]): { index: MarketIndex; one: PlanResult[] } {
  const index = indexOf(lines);
  const one = requests.map((r) => {
    const result = index.plan(r);
    index.reservePlan(result);
    return result;
  });
  return { index, one };
}

/** A market and a batch of orders for the same product, so that they compete for the same lines. */
const marketAndBatch: fc.Arbitrary<[CandidateLine[], PlanRequest[]]> = orderSpec.chain((order) =>
  market(order.kind, 1, 10).chain((lines) =>
    fc.tuple(fc.constant(lines), fc.array(planRequest(order, lines.map((l) => l.lineId)), { minLength: 1, maxLength: 7 }))));

describe('MarketIndex.planBatch', () => {
  it('keeps every hard rule, never over-reserves a line-day across the batch, and reserves exactly its plans', () => {
    fc.assert(fc.property(marketAndBatch, ([lines, requests]) => {
      const index = indexOf(lines);
      const results = index.planBatch(requests);
      expect(results).toHaveLength(requests.length);
      const used = new Map<string, number>();
      results.forEach((result, i) => {
        expect(hardRuleViolations(requests[i] as PlanRequest, lines, result)).toEqual([]);
        if (!result.ok) return;
        for (const a of result.allocations) for (const d of a.days) used.set(`${a.lineId}@${d.day}`, (used.get(`${a.lineId}@${d.day}`) ?? 0) + d.units);
      });
      for (const l of lines) {
        for (let d = 0; d < HORIZON; d++) {
          const before = Math.max(0, Math.floor(l.free[d] ?? 0));
          const taken = used.get(`${l.lineId}@${d}`) ?? 0;
          expect(taken).toBeLessThanOrEqual(before);
          expect(index.freeOn(l.lineId, d)).toBe(before - taken);
        }
      }
    }), { numRuns: 300 });
  }, 120_000); // 300 batches through the whole planner, its improvement phase included: past 30 s on a shared 2-core machine.

  it('matches at least the quantity that planning one order at a time in input order matches', () => {
    fc.assert(fc.property(marketAndBatch, ([lines, requests]) => {
      const { one } = oneAtATime(lines, requests);
      expect(matchedQuantity(requests, indexOf(lines).planBatch(requests))).toBeGreaterThanOrEqual(matchedQuantity(requests, one));
    }), { numRuns: 300 });
  });

  it('gives the same results for the same market and batch', () => {
    fc.assert(fc.property(marketAndBatch, ([lines, requests]) => {
      expect(indexOf(lines).planBatch(requests)).toEqual(indexOf(lines).planBatch(requests));
    }), { numRuns: 200 });
  });

  it('explains an order it leaves out as plan would on the numbers after the batch', () => {
    fc.assert(fc.property(marketAndBatch, ([lines, requests]) => {
      const index = indexOf(lines);
      const results = index.planBatch(requests);
      results.forEach((result, i) => {
        if (!result.ok) expect(index.plan(requests[i] as PlanRequest)).toEqual(result);
      });
    }), { numRuns: 200 });
  });

  it('costs no more work than planning one order at a time when every order fits', () => {
    fc.assert(fc.property(marketAndBatch, ([lines, requests]) => {
      const { index: sequential, one } = oneAtATime(lines, requests);
      fc.pre(one.every((r) => r.ok));
      const batch = indexOf(lines);
      expect(batch.planBatch(requests)).toEqual(one);
      expect(batch.work).toBe(sequential.work);
    }), { numRuns: 200 });
  });

  it('fits both orders where one at a time the first takes the line the second needs', () => {
    // 2,000 picks a meter; over days 0-9 line a makes 1,000 m, b and c 300 m each.
    const lines = [
      line('a', { ratePerUnit: 0.8, free: freeDays(30, 0, 29, 200_000) }),
      line('b', { free: freeDays(30, 0, 29, 60_000) }),
      line('c', { free: freeDays(30, 0, 29, 60_000) }),
    ];
    const small = request({ order: fabric({ picksPerCm: 20 }), quantity: 250, startDay: 0, endDay: 9, maxSplits: 2 });
    const large = request({ order: fabric({ picksPerCm: 20 }), quantity: 1300, startDay: 0, endDay: 9, maxSplits: 2 });
    const sequential = indexOf(lines, 30);
    const first = sequential.plan(small);
    sequential.reservePlan(first);
    expect(first.ok && first.allocations.map((a) => a.lineId)).toEqual(['a']);
    expect(sequential.plan(large).ok).toBe(false);

    const [smallPlan, largePlan] = indexOf(lines, 30).planBatch([small, large]);
    expect(smallPlan?.ok && smallPlan.allocations.map((a) => a.lineId)).toEqual(['c']);
    expect(largePlan?.ok && largePlan.allocations.map((a) => a.lineId).sort()).toEqual(['a', 'b']);
  });

  it('fits a large order by taking back every one of the four smaller orders on the lines it needs', () => {
    // 2,000 picks a meter, 50 m a line-day. Lines a-d run days 0-15; the dearer e-h only days 10-15.
    const cheap = ['a', 'b', 'c', 'd'].map((id) => line(id, { ratePerUnit: 0.5, free: freeDays(16, 0, 15, 100_000) }));
    const dear = ['e', 'f', 'g', 'h'].map((id) => line(id, { ratePerUnit: 2, free: freeDays(16, 10, 15, 100_000) }));
    const lines = [...cheap, ...dear];
    const small = request({ order: fabric({ picksPerCm: 20 }), quantity: 250, startDay: 0, endDay: 15, maxSplits: 1 });
    // Needs all of a-d on days 0-9; one at a time, each small order has taken the first half of one.
    const large = request({ order: fabric({ picksPerCm: 20 }), quantity: 2000, startDay: 0, endDay: 9, maxSplits: 4 });
    const requests = [small, small, small, small, large];
    const { one } = oneAtATime(lines, requests);
    expect(one.map((r) => r.ok)).toEqual([true, true, true, true, false]);

    const index = indexOf(lines);
    const results = index.planBatch(requests);
    expect(results.map((r) => r.ok)).toEqual([true, true, true, true, true]);
    const largePlan = results[4];
    expect(largePlan?.ok && largePlan.allocations.map((a) => a.lineId).sort()).toEqual(['a', 'b', 'c', 'd']);
    results.forEach((result, i) => expect(hardRuleViolations(requests[i] as PlanRequest, lines, result)).toEqual([]));
  });
});
