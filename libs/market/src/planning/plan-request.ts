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
