import { defaultMaxSplits, type PlannableOrder, planRequestOf } from './plan-request';

/** The one PlanRequest for a quote and for the matcher: a fresh order plans whole, a re-match only its remainder. */
describe('planRequestOf', () => {
  const today = '2026-12-01';
  const order: PlannableOrder = {
    spec: { kind: 'fabric', fabric: { fiber: 'cotton', weave: 'twill', widthCm: 150, picksPerCm: 30 } },
    quantity: 900,
    earliestStart: '2026-12-03',
    dueDate: '2026-12-21',
    maxSplits: 3,
    minSplitQuantity: null,
    certifications: ['OEKO-TEX'],
  };

  it('plans a fresh order whole, in its window counted from today, without a minimum split when none is set', () => {
    expect(planRequestOf(order, today)).toEqual({
      order: order.spec, quantity: 900, startDay: 2, endDay: 20, maxSplits: 3, certifications: ['OEKO-TEX'], excludedLineIds: [],
    });
  });

  it('plans only the remainder of a re-matched order, with the splits it has left (at least one), never on lines that turned it down', () => {
    const request = planRequestOf({ ...order, minSplitQuantity: 100, earliestStart: '2026-11-28' }, today, {
      live: [{ quantity: 300 }, { quantity: 200 }, { quantity: 100 }],
      excludedLineIds: ['line-a'],
    });
    expect(request).toMatchObject({ quantity: 300, startDay: 0, maxSplits: 1, minSplitQuantity: 100, excludedLineIds: ['line-a'] });
  });

  it('lets a fabric order split across three lines and a garment order two unless told otherwise', () => {
    expect([defaultMaxSplits('fabric'), defaultMaxSplits('garment')]).toEqual([3, 2]);
  });
});
