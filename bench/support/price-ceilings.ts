import { demandOf, MarketIndex, type PlanRequest } from '@cloudloom/matching';
import { buildMarket, REFERENCE } from './market';
import { buildOrders } from './orders';

export interface CeilingRun {
  readonly orders: number;
  readonly matched: number;
  readonly priceMisses: number;
  readonly ms: number;
}

export interface CeilingRunAt extends CeilingRun {
  readonly markup: number;
}

/**
 * What target prices cost in matched orders on the reference market (the plan-hash bench's, seed
 * 42, same order mix): every order planned and reserved one after another, once without a
 * ceiling and once per markup with a target at that markup over what the order costs at the
 * median rate of the market's lines of its kind, as a brand that read the market band would set
 * it (a negative markup: a brand that wants it below the median).
 */
export function priceCeilingRuns(count: number, markups: readonly number[]): { without: CeilingRun; with: CeilingRunAt[] } {
  const lines = buildMarket(REFERENCE, 42);
  const orders = buildOrders({ garmentShare: 0.3, scarceShare: 0.15, horizon: REFERENCE.horizon }, count, 7);
  const median = (kind: 'weaving' | 'sewing'): number => {
    const rates = lines.filter((l) => l.spec.kind === kind).map((l) => l.ratePerUnit).sort((a, b) => a - b);
    return rates[Math.floor(rates.length / 2)] ?? 0;
  };
  const rate = { fabric: median('weaving') / 1000, garment: median('sewing') };
  // Only fabric and garment orders get a target (the reference mix has no others).
  const target = (o: PlanRequest, markup: number): number | undefined =>
    o.order.kind === 'fabric' || o.order.kind === 'garment' ? Math.round(demandOf(o.order, o.quantity) * rate[o.order.kind] * (1 + markup) * 100) / 100 : undefined;
  const run = (markup: number | null): CeilingRun => {
    const index = new MarketIndex({ horizon: REFERENCE.horizon });
    for (const line of lines) index.upsertLine(line);
    let matched = 0;
    let priceMisses = 0;
    const start = performance.now();
    for (const order of orders) {
      const price = markup === null ? undefined : target(order, markup);
      const result = index.plan(price !== undefined ? { ...order, priceCeiling: { price, source: 'target' } } : order);
      if (result.ok) {
        index.reservePlan(result);
        matched++;
      } else if (result.reasons.some((r) => r.code === 'PRICE_ABOVE_TARGET')) priceMisses++;
    }
    return { orders: orders.length, matched, priceMisses, ms: performance.now() - start };
  };
  return { without: run(null), with: markups.map((markup) => ({ markup, ...run(markup) })) };
}
