import type { FairnessPolicy, OrderSpec, PlanRequest, PriceCeiling } from '@cloudloom/matching';
import { daysBetween } from '../core/clock';

/** How many lines an order may be split across when its post names no limit. */
export function defaultMaxSplits(kind: OrderSpec['kind']): number {
  return kind === 'fabric' ? 3 : 2;
}

/** What the planner needs of an order: stored (the matcher) or only checked (a quote). */
export interface PlannableOrder {
  readonly spec: OrderSpec;
  readonly quantity: number;
  readonly earliestStart: string;
  readonly dueDate: string;
  readonly maxSplits: number;
  readonly minSplitQuantity: number | null;
  readonly certifications: readonly string[];
  /** CNY for the whole order; absent or null: none. */
  readonly targetPrice?: number | null;
  readonly agreedPrice?: number | null;
  readonly priceTolerancePct?: number;
  /** The brand declined a plan above the agreed price: later plans are held to it. */
  readonly priceDeclined?: boolean;
}

/**
 * What the order already holds from earlier plans: live allocations keep their quantity and
 * their split; lines that rejected or let an offer expire are never planned again.
 */
export interface HeldWork {
  readonly live: readonly { readonly quantity: number; readonly price?: number }[];
  readonly excludedLineIds: readonly string[];
}

const NOTHING_HELD: HeldWork = { live: [], excludedLineIds: [] };

/**
 * The one place an order becomes a `PlanRequest`, so a quote plans exactly what the matcher
 * would for the same order posted now: the remainder not yet held, in the window from today,
 * with the splits left; with the market's fairness policy when it is on (`FairnessPolicySource`).
 */
export function planRequestOf(order: PlannableOrder, today: string, held: HeldWork = NOTHING_HELD, fairness?: FairnessPolicy): PlanRequest {
  return {
    order: order.spec,
    quantity: order.quantity - held.live.reduce((sum, a) => sum + a.quantity, 0),
    startDay: Math.max(daysBetween(today, order.earliestStart), 0),
    endDay: daysBetween(today, order.dueDate),
    maxSplits: Math.max(order.maxSplits - held.live.length, 1),
    ...(order.minSplitQuantity !== null ? { minSplitQuantity: order.minSplitQuantity } : {}),
    certifications: order.certifications,
    excludedLineIds: held.excludedLineIds,
    ...ceilingOf(order, held),
    ...(fairness !== undefined ? { fairness } : {}),
  };
}

/** The agreed price with the order's tolerance: what a plan may cost in all before the brand is asked. */
export function allowedPrice(order: Pick<PlannableOrder, 'agreedPrice' | 'priceTolerancePct'>): number | null {
  if (order.agreedPrice === null || order.agreedPrice === undefined) return null;
  return Math.round(order.agreedPrice * (1 + (order.priceTolerancePct ?? 0) / 100) * 100) / 100;
}

/**
 * What the matcher does with a plan that brings the order to `price` in all (held work plus the
 * plan): offer it, or ask the brand first because it is above the agreed price with tolerance.
 */
export function priceVerdict(order: Pick<PlannableOrder, 'agreedPrice' | 'priceTolerancePct'>, price: number): 'offer' | 'ask' {
  const allowed = allowedPrice(order);
  return allowed !== null && price > allowed ? 'ask' : 'offer';
}

/**
 * A hard ceiling for the remainder: the target price (a brand's target is never exceeded), or,
 * once the brand declined a higher price, the agreed price with its tolerance; less what the
 * order's live work already costs.
 */
function ceilingOf(order: PlannableOrder, held: HeldWork): { priceCeiling?: PriceCeiling } {
  const whole = order.targetPrice ?? (order.priceDeclined ? allowedPrice(order) : null);
  if (whole === null) return {};
  const spent = held.live.reduce((sum, a) => sum + (a.price ?? 0), 0);
  return { priceCeiling: { price: Math.max(0, Math.round((whole - spent) * 100) / 100), source: order.targetPrice != null ? 'target' : 'agreed' } };
}

/**
 * A style chain's ceiling (DESIGN.md §8, §9): its target price, on the chain's first plan, as a
 * single order's target is; the matcher and the quote both take it from here. A continuation
 * after a slip (`firstPlan` false) has none: a dearer one waits for the brand.
 */
export function chainCeilingOf(targetPrice: number | null | undefined, firstPlan: boolean): { priceCeiling?: PriceCeiling } {
  return targetPrice != null && firstPlan ? { priceCeiling: { price: targetPrice, source: 'target' } } : {};
}

/** A brand's standing tolerance for counteroffers (docs/terms.md): how far above an offer's price, and how many days after its end. */
export interface StandingTolerance {
  readonly pricePct: number;
  readonly days: number;
}

/** A factory's counter, beside the offer it answers and what the order's other live work costs. */
export interface CounterTerms {
  readonly offerPrice: number;
  readonly offerEndDate: string;
  /** null: the offer's own */
  readonly price: number | null;
  readonly endDate: string | null;
  /** CNY: the order's other live allocations */
  readonly othersPrice: number;
}

/** What the order costs in all once the counter's terms hold. */
export function priceWithCounter(terms: CounterTerms): number {
  return Math.round((terms.othersPrice + (terms.price ?? terms.offerPrice)) * 100) / 100;
}

/**
 * Whether a counter is taken for the brand without asking it: only within the brand's standing
 * tolerance (price at most `pricePct` above the offer's, end at most `days` after it) and within
 * the agreed price plus the order's tolerance (§9), which no standing setting can widen. Anything
 * else waits for the brand's own answer.
 */
export function counterVerdict(order: Pick<PlannableOrder, 'agreedPrice' | 'priceTolerancePct'>, terms: CounterTerms, standing: StandingTolerance): 'accept' | 'ask' {
  const price = terms.price ?? terms.offerPrice;
  const priceWithin = price <= Math.round(terms.offerPrice * (1 + standing.pricePct / 100) * 100) / 100;
  const endWithin = terms.endDate === null || daysBetween(terms.offerEndDate, terms.endDate) <= standing.days;
  return priceWithin && endWithin && priceVerdict(order, priceWithCounter(terms)) === 'offer' ? 'accept' : 'ask';
}

/**
 * The agreed price once a counter is accepted: the brand's own acceptance of a dearer whole
 * makes that whole the agreed price (as an approval does); its tolerance only ever takes what
 * the agreed price already allows, so it leaves it as it is.
 */
export function agreedAfterCounter(order: Pick<PlannableOrder, 'agreedPrice'>, total: number, by: 'brand' | 'tolerance'): number | null {
  const agreed = order.agreedPrice ?? null;
  if (by === 'tolerance') return agreed;
  return agreed === null || total > agreed ? total : agreed;
}
