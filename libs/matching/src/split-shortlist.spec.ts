import fc from 'fast-check';
import { maxQuantityWithin, unitsPerQuantity } from './capacity';
import { MarketIndex } from './market-index';
import { planOrder } from './plan-order';
import { hardRuleViolations } from './testing/check-plan';
import { fabric, line, request } from './testing/fixtures';
import type { CandidateLine } from './types';

/** Many interchangeable lines: split planning must shortlist them and still find every plan. */
const crowded = fc.record({
  lines: fc.array(
    fc.record({
      free: fc.array(fc.integer({ min: 0, max: 200_000 }), { minLength: 10, maxLength: 10 }),
      ratePerUnit: fc.constantFrom(0.8, 1, 1.2),
      load: fc.constantFrom(0, 0.5),
    }),
    { minLength: 70, maxLength: 140 },
  ),
  quantity: fc.integer({ min: 400, max: 3000 }),
  maxSplits: fc.integer({ min: 2, max: 3 }),
  endDay: fc.integer({ min: 2, max: 9 }),
}).map(({ lines, ...r }) => ({
  lines: lines.map((l, i): CandidateLine => line(`L${String(i).padStart(3, '0')}`, l)),
  req: request({ order: fabric({ picksPerCm: 20 }), startDay: 0, ...r }),
}));

describe('split planning over crowded markets', () => {
  it('finds a plan exactly when the maxSplits largest lines cover the order, within every rule, as the index does', () => {
    fc.assert(fc.property(crowded, ({ lines, req }) => {
      const perItem = unitsPerQuantity(req.order);
      const caps = lines
        .map((l) => maxQuantityWithin(Array.from(l.free).slice(0, req.endDay + 1).reduce((s, u) => s + u, 0), perItem, req.quantity))
        .sort((a, b) => b - a);
      const result = planOrder(req, lines);
      expect(result.ok).toBe(caps.slice(0, req.maxSplits).reduce((s, c) => s + c, 0) >= req.quantity);
      expect(hardRuleViolations(req, lines, result)).toEqual([]);
      const index = new MarketIndex({ horizon: 10 });
      for (const l of lines) index.upsertLine(l);
      expect(index.plan(req)).toEqual(result);
    }), { numRuns: 150 });
  });
});
