import { invalidTransition } from '@cloudloom/platform';
import { type AllocationStatus, ORDER_STATUSES, type OrderStatus } from '@cloudloom/persistence';
import type { EntityManager } from 'typeorm';
import { AllocationsRepository } from '../allocations/allocations.repository';
import { OrdersRepository } from '../orders/orders.repository';

/**
 * The lifecycle of DESIGN.md §3 as data, and who may change a status. An order's status is
 * written only through `moveOrder` (one order, checked here), `expireOverdueOrders` (the sweep's
 * set-wise move, from the statuses this table allows) and the matcher's verdicts, which
 * `assertMatchVerdict` checks before they are written. An allocation's status is written through
 * `moveAllocations`, or, where a progress report or a trim changes more than its status, saved by
 * its one writer after `assertAllocationMove`. An illegal move is a 409 problem document, never a
 * silent write.
 */
const ORDER: Readonly<Record<OrderStatus, readonly OrderStatus[]>> = {
  pending: ['matching', 'proposed', 'confirmed', 'unmatched', 'partial', 'awaiting_approval', 'cancelled', 'expired'],
  matching: ['pending', 'proposed', 'confirmed', 'unmatched', 'partial', 'awaiting_approval', 'cancelled', 'expired'],
  // back to pending when an offer is rejected or expires and the remainder is re-matched
  proposed: ['pending', 'confirmed', 'cancelled'],
  confirmed: ['pending', 'in_production', 'cancelled'],
  // back to pending when looms break down under running work: the produced part stays, the
  // remainder that no longer fits is re-matched
  in_production: ['pending', 'completed'],
  // nothing held, no plan: the matcher tries again when capacity appears, until the due date
  unmatched: ['pending', 'matching', 'proposed', 'confirmed', 'awaiting_approval', 'cancelled', 'expired'],
  // part of the quantity held (offered, accepted, running or produced), the remainder without a
  // plan: tried again like `unmatched` until the due date; after it, the order ends with what it
  // holds: `completed` once all of that is produced (short of its quantity, and it says so), or
  // `expired` if it ends up holding nothing. It never goes `in_production` (that status promises
  // the whole quantity), so its running work keeps it `partial`.
  partial: ['pending', 'matching', 'proposed', 'confirmed', 'awaiting_approval', 'cancelled', 'expired', 'completed'],
  // a re-plan above the agreed price (plus tolerance) waits for the brand, holding no new capacity:
  // approved, it goes back to the matcher (pending) within the new price; declined or lapsed, it
  // is unmatched (partial if it holds work) and held to the agreed price; past its due date
  // holding nothing it expires like an unmatched order
  awaiting_approval: ['pending', 'unmatched', 'partial', 'cancelled', 'expired'],
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

/** The statuses an order may move to `to` from. */
export function orderStatusesMovableTo(to: OrderStatus): OrderStatus[] {
  return ORDER_STATUSES.filter((from) => canMoveOrder(from, to));
}

/** Moves one order (locked by the caller's transaction) to `to`, or refuses with a 409. */
export async function moveOrder(m: EntityManager, order: { readonly id: string; readonly status: OrderStatus }, to: OrderStatus, action: string): Promise<void> {
  assertOrderMove(order.status, to, action);
  await OrdersRepository.writeStatus(m, order.id, to);
}

/**
 * Moves one order along `steps` (say in_production then completed, from one progress report),
 * each step checked, with one write of the last.
 */
export async function moveOrderAlong(m: EntityManager, order: { readonly id: string; readonly status: OrderStatus }, steps: readonly OrderStatus[], action: string): Promise<void> {
  let from = order.status;
  for (const to of steps) {
    assertOrderMove(from, to, action);
    from = to;
  }
  if (from !== order.status) await OrdersRepository.writeStatus(m, order.id, from);
}

/**
 * The matcher's verdict on a waiting order it holds locked: proposed, confirmed or unmatched
 * (an unmatched order planned again and still without a plan stays unmatched).
 */
export function assertMatchVerdict(from: OrderStatus, to: OrderStatus): void {
  // Still without a plan: an unmatched or partial order may stay as it is.
  if (from !== to || (to !== 'unmatched' && to !== 'partial')) assertOrderMove(from, to, 'matched');
}

/**
 * The sweep: past its due date an order is no longer planned. One that holds nothing is
 * `expired`; a `partial` one whose held work is all produced is `completed` (short of its
 * quantity, which its view says). One still holding open or running work carries on with it and
 * is looked at again by the next sweep.
 */
export async function endOverdueOrders(orders: OrdersRepository, today: string): Promise<number> {
  const expired = await orders.moveOverdue(orderStatusesMovableTo('expired'), 'expired', today, 'nothing');
  const completed = await orders.moveOverdue(['partial'], 'completed', today, 'produced');
  return expired + completed;
}

/**
 * The sweep: an approval the brand left unanswered past its time counts as declined. The order is
 * unmatched (partial if it holds work) and held to its agreed price; answers the orders moved, to
 * be planned again within it.
 */
export async function lapseApprovals(orders: OrdersRepository, now: Date, summary: (agreed: string) => string): Promise<{ id: string; dueDate: string }[]> {
  assertOrderMove('awaiting_approval', 'unmatched', 'lapsed');
  assertOrderMove('awaiting_approval', 'partial', 'lapsed');
  return orders.lapseApprovals(now, summary);
}

/** Moves allocations (locked by the caller's transaction) to `to`, each move checked, in one write. */
export async function moveAllocations(
  m: EntityManager, allocations: readonly { readonly id: string; readonly status: AllocationStatus }[], to: AllocationStatus, action: string, what?: string,
): Promise<void> {
  for (const a of allocations) assertAllocationMove(a.status, to, action, what);
  await AllocationsRepository.writeStatus(m, allocations.map((a) => a.id), to);
}

export function assertAllocationMove(from: AllocationStatus, to: AllocationStatus, action: string, what = 'This allocation'): void {
  if (!ALLOCATION[from].includes(to)) throw invalidTransition(what, from, action);
}
