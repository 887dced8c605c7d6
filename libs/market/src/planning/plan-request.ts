import type { OrderSpec, PlanRequest } from '@cloudloom/matching';
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
}

/**
 * What the order already holds from earlier plans: live allocations keep their quantity and
 * their split; lines that rejected or let an offer expire are never planned again.
 */
export interface HeldWork {
  readonly live: readonly { readonly quantity: number }[];
  readonly excludedLineIds: readonly string[];
}

const NOTHING_HELD: HeldWork = { live: [], excludedLineIds: [] };

/**
 * The one place an order becomes a `PlanRequest`, so a quote plans exactly what the matcher
 * would for the same order posted now: the remainder not yet held, in the window from today,
 * with the splits left.
 */
export function planRequestOf(order: PlannableOrder, today: string, held: HeldWork = NOTHING_HELD): PlanRequest {
  return {
    order: order.spec,
    quantity: order.quantity - held.live.reduce((sum, a) => sum + a.quantity, 0),
    startDay: Math.max(daysBetween(today, order.earliestStart), 0),
    endDay: daysBetween(today, order.dueDate),
    maxSplits: Math.max(order.maxSplits - held.live.length, 1),
    ...(order.minSplitQuantity !== null ? { minSplitQuantity: order.minSplitQuantity } : {}),
    certifications: order.certifications,
    excludedLineIds: held.excludedLineIds,
  };
}
