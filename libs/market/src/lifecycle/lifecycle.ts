import { invalidTransition } from '@cloudloom/platform';
import type { AllocationStatus, OrderStatus } from '@cloudloom/persistence';

/**
 * The lifecycle of DESIGN.md §3 as data. Every status change goes through `moveOrder` or
 * `moveAllocation`, so an illegal one is a 409 problem document, never a silent write.
 */
const ORDER: Readonly<Record<OrderStatus, readonly OrderStatus[]>> = {
  pending: ['matching', 'proposed', 'confirmed', 'unmatched', 'partial', 'cancelled', 'expired'],
  matching: ['pending', 'proposed', 'confirmed', 'unmatched', 'partial', 'cancelled', 'expired'],
  // back to pending when an offer is rejected or expires and the remainder is re-matched
  proposed: ['pending', 'confirmed', 'cancelled'],
  confirmed: ['pending', 'in_production', 'cancelled'],
  // back to pending when looms break down under running work: the produced part stays, the
  // remainder that no longer fits is re-matched
  in_production: ['pending', 'completed'],
  // nothing held, no plan: the matcher tries again when capacity appears, until the due date
  unmatched: ['pending', 'matching', 'proposed', 'confirmed', 'cancelled', 'expired'],
  // part of the quantity held (offered, accepted, running or produced), the remainder without a
  // plan: tried again like `unmatched` until the due date; after it, the order ends with what it
  // holds: `completed` once all of that is produced (short of its quantity, and it says so), or
  // `expired` if it ends up holding nothing. It never goes `in_production` (that status promises
  // the whole quantity), so its running work keeps it `partial`.
  partial: ['pending', 'matching', 'proposed', 'confirmed', 'cancelled', 'expired', 'completed'],
  completed: [],
  cancelled: [],
  expired: [],
};

const ALLOCATION: Readonly<Record<AllocationStatus, readonly AllocationStatus[]>> = {
  offered: ['accepted', 'rejected', 'expired', 'cancelled'],
  accepted: ['in_production', 'produced', 'cancelled'],
  // cancelled only when a breakdown takes all of it before anything was produced
  in_production: ['produced', 'cancelled'],
  produced: [],
  rejected: [],
  expired: [],
  cancelled: [],
};

/** Allocations that hold capacity (or used it). */
export const LIVE_ALLOCATION: ReadonlySet<AllocationStatus> = new Set(['offered', 'accepted', 'in_production', 'produced']);
/** Orders that are over: nothing moves them any more, and their offers can no longer be taken. */
export const FINISHED_ORDER: ReadonlySet<OrderStatus> = new Set(['completed', 'cancelled', 'expired']);
/** Orders no longer live: given up (cancelled) or out of time (expired). Accept and progress answer 409. */
export const ABANDONED_ORDER: ReadonlySet<OrderStatus> = new Set(['cancelled', 'expired']);
/** Orders the matcher still owes a plan. */
export const WAITING_ORDER: ReadonlySet<OrderStatus> = new Set(['pending', 'matching', 'unmatched', 'partial']);

export function canMoveOrder(from: OrderStatus, to: OrderStatus): boolean {
  return ORDER[from].includes(to);
}

export function assertOrderMove(from: OrderStatus, to: OrderStatus, action: string): void {
  if (!canMoveOrder(from, to)) throw invalidTransition('This order', from, action);
}

export function assertAllocationMove(from: AllocationStatus, to: AllocationStatus, action: string, what = 'This allocation'): void {
  if (!ALLOCATION[from].includes(to)) throw invalidTransition(what, from, action);
}
