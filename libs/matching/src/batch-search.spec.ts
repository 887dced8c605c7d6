import fc from 'fast-check';
import { BatchJournal } from './batch-journal';
import { FLEX_WAYS, FlexBatch } from './batch-flex';
import { market, orderSpec, planRequest } from './testing/arbitraries';
import { hardRuleViolations } from './testing/check-plan';
import { BATCH_HORIZON as HORIZON, indexOf, matchedQuantity, oneAtATime } from './testing/batch-helpers';
import { bestSubsetOnOneLine } from './testing/one-line-optimum';
import type { CandidateLine, OrderSpec, PlanRequest } from './types';


/** Crowded batches on a few lines: orders left out, lines the batch may leave empty. */
const crowded: fc.Arbitrary<[CandidateLine[], PlanRequest[]]> = orderSpec.chain((o) =>
  market(o.kind, 2, 5).chain((lines) =>
    fc.tuple(fc.constant(lines), fc.array(planRequest(o, lines.map((l) => l.lineId)), { minLength: 4, maxLength: 10 }))));

/** The batch planned one order at a time, its improvement phase run the first way, then the search; the results as committed. */
function searched(lines: readonly CandidateLine[], requests: readonly PlanRequest[]) {
  const index = indexOf(lines);
  const journal = new BatchJournal(index.batchMarket());
  const results = requests.map((r) => {
    const result = journal.plan(r);
    journal.reserve(result);
    return result;
  });
  const batchLines = new Set(results.flatMap((r) => (r.ok ? r.allocations.map((a) => a.lineId) : [])));
  const flex = new FlexBatch(journal, requests, results, FLEX_WAYS[0]);
  const improved = flex.improve();
  const best = flex.search();
  flex.commit();
  return { index, results, start: flex.start, improved, best, batchLines };
}

describe('the ruin-and-recreate search over the batch', () => {
  // 200 batches, each planned twice: a few seconds of CPU, longer on a shared machine.
  let gained = 0;
  let ontoOtherLines = 0;

  it('never matches less than the phase before it, keeps every hard rule, reserves exactly what it measured, and is deterministic', () => {
    fc.assert(fc.property(crowded, ([lines, requests]) => {
      const run = searched(lines, requests);
      expect(run.improved).toBeGreaterThanOrEqual(run.start);
      expect(run.best).toBeGreaterThanOrEqual(run.improved);
      expect(matchedQuantity(requests, run.results)).toBe(run.best);
      if (run.best > run.improved) {
        gained++;
        if (run.results.some((r) => r.ok && r.allocations.some((a) => !run.batchLines.has(a.lineId)))) ontoOtherLines++;
      }
      const used = new Map<string, number>();
      run.results.forEach((result, i) => {
        if (!result.ok) return;
        expect(hardRuleViolations(requests[i] as PlanRequest, lines, result)).toEqual([]);
        for (const a of result.allocations) for (const d of a.days) used.set(`${a.lineId}@${d.day}`, (used.get(`${a.lineId}@${d.day}`) ?? 0) + d.units);
      });
      for (const l of lines) {
        for (let d = 0; d < HORIZON; d++) {
          expect(run.index.freeOn(l.lineId, d)).toBe(Math.max(0, Math.floor(l.free[d] ?? 0)) - (used.get(`${l.lineId}@${d}`) ?? 0));
        }
      }
      // Seeded, and budgeted in line measurements, never in time: the same batch gets the same plans.
      const again = searched(lines, requests);
      expect(again.results).toEqual(run.results);
    }), { numRuns: 200, seed: 21 });
  }, 180_000);

  it('exercised the search: some batches matched more after it, some by moving shares onto lines the batch held none on', () => {
    expect(gained).toBeGreaterThan(0);
    expect(ontoOtherLines).toBeGreaterThan(0);
  });

  it('planBatch never matches less than one order at a time', () => {
    fc.assert(fc.property(crowded, ([lines, requests]) => {
      const one = oneAtATime(lines, requests);
      const batch = indexOf(lines).planBatch(requests);
      expect(matchedQuantity(requests, batch)).toBeGreaterThanOrEqual(matchedQuantity(requests, one));
      batch.forEach((r, i) => expect(hardRuleViolations(requests[i] as PlanRequest, lines, r)).toEqual([]));
    }), { numRuns: 100, seed: 22 });
  }, 180_000);
});

/** One rapier loom with random free days and cotton twill orders (1,200 picks a meter): small enough to pack by brute force. */
const TWILL: OrderSpec = { kind: 'fabric', fabric: { fiber: 'cotton', weave: 'twill', widthCm: 180, picksPerCm: 12 } };
const loomAndOrders: fc.Arbitrary<[CandidateLine, PlanRequest[]]> = fc.tuple(
  fc.array(fc.integer({ min: 0, max: 400_000 }), { minLength: HORIZON, maxLength: HORIZON }),
  fc.array(fc.record({
    quantity: fc.integer({ min: 50, max: 1_200 }),
    startDay: fc.integer({ min: 0, max: 12 }),
    length: fc.integer({ min: 0, max: 8 }),
    maxSplits: fc.integer({ min: 1, max: 3 }),
  }), { minLength: 5, maxLength: 8 }),
).map(([free, orders]) => [
  {
    lineId: 'L00', factoryId: 'f1', ratePerUnit: 1.2, certifications: [], factoryVerified: true, factoryActive: true,
    spec: { kind: 'weaving', machineType: 'rapier', machines: 1, rpm: 308, efficiency: 0.85, hoursPerDay: 16, maxWidthCm: 190, fibers: ['cotton'] },
    record: { onTimeRate: 0.5, acceptanceRate: 0.6 }, load: 0.5, free,
  },
  orders.map(({ length, ...o }) => ({ order: TWILL, ...o, endDay: o.startDay + length })),
]);

// With this seed the phase before the search packs 288 of the 300 batches as well as brute force, the search all 300.
describe('the search against brute force on one loom', () => {
  it('never claims more than the best packing, and reaches it on batches where the phase before it stopped short', () => {
    let optimalBefore = 0;
    let optimalAfter = 0;
    fc.assert(fc.property(loomAndOrders, ([loom, requests]) => {
      const run = searched([loom], requests);
      const best = bestSubsetOnOneLine(loom, requests, HORIZON);
      expect(run.best).toBeLessThanOrEqual(best);
      if (run.improved === best) optimalBefore++;
      if (run.best === best) optimalAfter++;
    }), { numRuns: 300, seed: 23 });
    expect(optimalAfter).toBeGreaterThan(optimalBefore);
  }, 180_000);
});
