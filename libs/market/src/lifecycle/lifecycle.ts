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
  pending: ['matching', 'proposed', 'confirmed', 'unmatched', 'cancelled', 'expired'],
  matching: ['pending', 'proposed', 'confirmed', 'unmatched', 'cancelled', 'expired'],
  // back to pending when an offer is rejected or expires and the remainder is re-matched
  proposed: ['pending', 'confirmed', 'cancelled'],
  confirmed: ['pending', 'in_production', 'cancelled'],
  // back to pending when looms break down under running work: the produced part stays, the
  // remainder that no longer fits is re-matched
  in_production: ['pending', 'completed'],
  unmatched: ['pending', 'matching', 'proposed', 'confirmed', 'cancelled', 'expired'],
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
/** Orders the matcher still owes a plan. */
export const WAITING_ORDER: ReadonlySet<OrderStatus> = new Set(['pending', 'matching', 'unmatched']);

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
  if (from !== to || to !== 'unmatched') assertOrderMove(from, to, 'matched');
}

/** The sweep: every order still owed a plan on its due date can no longer be made in time. */
export function expireOverdueOrders(orders: OrdersRepository, today: string): Promise<number> {
  return orders.moveOverdue(orderStatusesMovableTo('expired'), 'expired', today);
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
