import { agreedAfterCounter, counterVerdict, defaultMaxSplits, type PlannableOrder, planRequestOf } from './plan-request';

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

/** docs/terms.md: what a brand's standing tolerance takes without asking, and what it never can. */
describe('counterVerdict', () => {
  const order = { agreedPrice: 100, priceTolerancePct: 10 };
  const counter = { offerPrice: 60, offerEndDate: '2026-12-10', price: null, endDate: null, othersPrice: 40 };
  const standing = { pricePct: 5, days: 2 };

  it('takes a counter within the standing tolerance on both price and date', () => {
    expect(counterVerdict(order, { ...counter, price: 63, endDate: '2026-12-12' }, standing)).toBe('accept');
    // No dearer and no later than the offer: taken even with no tolerance at all.
    expect(counterVerdict(order, { ...counter, price: 55 }, { pricePct: 0, days: 0 })).toBe('accept');
  });

  it('asks the brand past either bound of its tolerance', () => {
    expect(counterVerdict(order, { ...counter, price: 63.01 }, standing)).toBe('ask');
    expect(counterVerdict(order, { ...counter, endDate: '2026-12-13' }, standing)).toBe('ask');
  });

  it('asks the brand when the whole order would pass the agreed price plus its tolerance, whatever the standing tolerance', () => {
    // 40 held elsewhere + 72 = 112 > 100 x 1.1.
    expect(counterVerdict(order, { ...counter, price: 72 }, { pricePct: 50, days: 0 })).toBe('ask');
    expect(counterVerdict({ ...order, priceTolerancePct: 0 }, { ...counter, price: 61 }, standing)).toBe('ask');
  });

  it('moves the agreed price only with the brand\'s own acceptance of a dearer whole', () => {
    expect(agreedAfterCounter(order, 108, 'tolerance')).toBe(100);
    expect(agreedAfterCounter(order, 120, 'brand')).toBe(120);
    expect(agreedAfterCounter(order, 90, 'brand')).toBe(100);
    expect(agreedAfterCounter({ agreedPrice: null }, 90, 'brand')).toBe(90);
  });
});
