import fc from 'fast-check';
import { type CandidateLine, planOrder } from '@cloudloom/matching';
import { agreedAfterCounter, counterVerdict, type PlannableOrder, planRequestOf, priceVerdict } from './plan-request';

/**
 * DESIGN.md §9 as a property, on the pure parts the matcher and the counters use (planRequestOf's
 * ceiling, the planner, priceVerdict, counterVerdict, agreedAfterCounter): across random rejects,
 * expiries, counters, approvals and declines, no order is ever offered (or bound by a counter
 * taken within the brand's standing tolerance) above its agreed price plus tolerance, nor offered
 * above its target, without an approval or a counter acceptance by the brand before it that
 * raised the agreed price. The same over HTTP: tests/terms/agreed-price.e2e.ts and
 * tests/terms/counteroffers.e2e.ts.
 */
const today = '2026-12-01';
const RATES = [0.008, 0.01, 0.012, 0.015, 0.02, 0.03] as const;

const line = (i: number): fc.Arbitrary<CandidateLine> => fc.record({
  rate: fc.constantFrom(...RATES),
  perDay: fc.integer({ min: 0, max: 1_200_000 }),
}).map(({ rate, perDay }) => ({
  lineId: `L${i}`, factoryId: `F${i}`, ratePerUnit: rate, certifications: [], factoryVerified: true, factoryActive: true,
  spec: { kind: 'weaving', machineType: 'rapier', machines: 10, rpm: 500, efficiency: 0.85, hoursPerDay: 22, maxWidthCm: 190 },
  record: { onTimeRate: 0.9, acceptanceRate: 0.9 }, load: 0, free: new Array<number>(30).fill(perDay),
}));

const scenario = fc.record({
  lines: fc.integer({ min: 1, max: 6 }).chain((n) => fc.tuple(...Array.from({ length: n }, (_, i) => line(i)))),
  quantity: fc.integer({ min: 100, max: 3000 }),
  targetPrice: fc.option(fc.integer({ min: 10, max: 2000 }), { nil: null }),
  priceTolerancePct: fc.constantFrom(0, 0, 10, 50),
  // What happens at each step: to an offer (accept ends it), and to a question to the brand.
  offerAnswers: fc.array(fc.constantFrom('reject' as const, 'expire' as const, 'accept' as const, 'counter' as const), { minLength: 1, maxLength: 8 }),
  brandAnswers: fc.array(fc.constantFrom('approve' as const, 'decline' as const), { minLength: 8, maxLength: 8 }),
  // A counter's price against the offer's, and the brand's standing tolerance for counters.
  counterFactors: fc.array(fc.constantFrom(0.9, 1, 1.04, 1.1, 1.3, 2), { minLength: 8, maxLength: 8 }),
  standingPct: fc.constantFrom(0, 5, 10, 50),
});

type Event =
  | { readonly type: 'offered' | 'counter_taken'; readonly price: number }
  | { readonly type: 'asked' | 'approved' | 'declined' | 'countered' | 'counter_accepted' | 'counter_declined'; readonly price: number };

describe('the agreed price, over random rejects and expiries', () => {
  it('never offers (or takes a counter) above the agreed price plus tolerance, or offers above the target, without the brand\'s approval or counter acceptance before it', () => {
    fc.assert(fc.property(scenario, ({ lines, quantity, targetPrice, priceTolerancePct, offerAnswers, brandAnswers, counterFactors, standingPct }) => {
      let order: PlannableOrder & { agreedPrice: number | null; priceDeclined: boolean } = {
        spec: { kind: 'fabric', fabric: { fiber: 'cotton', weave: 'plain', widthCm: 150, picksPerCm: 30 } },
        quantity, earliestStart: '2026-12-02', dueDate: '2026-12-21', maxSplits: 3, minSplitQuantity: null, certifications: [],
        targetPrice, agreedPrice: targetPrice, priceTolerancePct, priceDeclined: false,
      };
      const excluded: string[] = [];
      const events: Event[] = [];
      let answers = 0;
      for (let step = 0; step < offerAnswers.length + brandAnswers.length && answers < offerAnswers.length; step++) {
        const plan = planOrder(planRequestOf(order, today, { live: [], excludedLineIds: excluded }), lines);
        if (!plan.ok) break;
        if (priceVerdict(order, plan.totalPrice) === 'ask') {
          events.push({ type: 'asked', price: plan.totalPrice });
          const answer = brandAnswers[step % brandAnswers.length]!;
          events.push({ type: answer === 'approve' ? 'approved' : 'declined', price: plan.totalPrice });
          order = answer === 'approve' ? { ...order, agreedPrice: plan.totalPrice, priceDeclined: false } : { ...order, priceDeclined: true };
          continue;
        }
        events.push({ type: 'offered', price: plan.totalPrice });
        if (order.agreedPrice === null) order = { ...order, agreedPrice: plan.totalPrice };
        const answer = offerAnswers[answers++]!;
        if (answer === 'accept') break;
        if (answer === 'counter') {
          // The factory names its own price; taken at once within the standing tolerance, else the brand answers.
          const price = Math.round(plan.totalPrice * counterFactors[step % counterFactors.length]! * 100) / 100;
          const terms = { offerPrice: plan.totalPrice, offerEndDate: '2026-12-10', price, endDate: null, othersPrice: 0 };
          events.push({ type: 'countered', price });
          if (counterVerdict(order, terms, { pricePct: standingPct, days: 0 }) === 'accept') {
            events.push({ type: 'counter_taken', price });
            break;
          }
          if (brandAnswers[step % brandAnswers.length] === 'approve') {
            events.push({ type: 'counter_accepted', price });
            order = { ...order, agreedPrice: agreedAfterCounter(order, price, 'brand') };
            break;
          }
          events.push({ type: 'counter_declined', price });
        }
        excluded.push(...plan.allocations.map((a) => a.lineId));
      }
      // Replayed from the events alone: the agreed price moves only with the first offer, an
      // approval, or the brand's own acceptance of a dearer counter.
      let agreed: number | null = targetPrice;
      const allowed = (): number | null => (agreed === null ? null : Math.round(agreed * (1 + priceTolerancePct / 100) * 100) / 100);
      for (const e of events) {
        if (e.type === 'approved') agreed = e.price;
        if (e.type === 'counter_accepted' && (agreed === null || e.price > agreed)) agreed = e.price;
        if (e.type === 'counter_taken') {
          // Taken without the brand: within what it agreed, whatever its standing tolerance.
          expect(allowed()).not.toBeNull();
          expect(e.price).toBeLessThanOrEqual(allowed()!);
        }
        if (e.type !== 'offered') continue;
        if (targetPrice !== null) expect(e.price).toBeLessThanOrEqual(targetPrice);
        if (agreed !== null) expect(e.price).toBeLessThanOrEqual(allowed()!);
        agreed ??= e.price;
      }
    }), { numRuns: 500 });
  });
});
