import type { Logger } from '@nestjs/common';
import { DomainError, type QueueBackend } from '@cloudloom/platform';
import { AllocationEntity, OrderEntity } from '@cloudloom/persistence';
import { type EntityManager, In } from 'typeorm';
import type { DomainEvent } from '../events/events.writer';
import { canMoveOrder } from '../orders/lifecycle';
import { releaseAllocation } from '../matching/ledger';
import { matchPriority } from '../matching/priority';

/** A ledger cell's new capacity: the nominal daily capacity times that day's availability. */
export interface CapacityCell {
  readonly day: string;
  readonly capacity: number;
  readonly fraction: number;
}

export interface CapacityChange {
  /** Orders whose allocations no longer fit and were released: the matcher plans them again. */
  readonly replannedOrders: string[];
  /** True if any day gained capacity: unmatched orders may now fit. */
  readonly grew: boolean;
  readonly events: DomainEvent[];
}

/**
 * Moves a line's ledger to new capacities without ever dropping a reservation silently: where a
 * day would fall below what is reserved, the allocations holding that day are released and
 * their orders go back to the matcher. Work already in production cannot be moved: 409.
 * Orders are locked before ledger rows, in the same order the matcher takes them.
 */
export async function applyCapacity(m: EntityManager, lineId: string, cells: readonly CapacityCell[]): Promise<CapacityChange> {
  if (cells.length === 0) return { replannedOrders: [], grew: false, events: [] };
  const days = cells.map((c) => c.day);
  const capacities = cells.map((c) => c.capacity);
  const short: { allocationId: string; orderId: string; status: AllocationEntity['status'] }[] = await m.query(
    `SELECT DISTINCT a.id AS "allocationId", a.order_id AS "orderId", a.status
     FROM unnest($2::date[], $3::bigint[]) AS n(day, capacity)
     JOIN capacity_days c ON c.line_id = $1 AND c.day = n.day AND c.reserved > n.capacity
     JOIN allocation_days d ON d.line_id = c.line_id AND d.day = c.day
     JOIN allocations a ON a.id = d.allocation_id`,
    [lineId, days, capacities],
  );
  if (short.some((a) => a.status === 'in_production' || a.status === 'produced')) {
    throw new DomainError('CONFLICT', 'Production already running on this line would no longer fit; change the days after it instead');
  }
  const orderIds = [...new Set(short.map((a) => a.orderId))].sort();
  const orders = orderIds.length ? await m.find(OrderEntity, { where: { id: In(orderIds) }, order: { id: 'ASC' }, lock: { mode: 'pessimistic_write' } }) : [];
  const events: DomainEvent[] = [];
  for (const { allocationId } of short) {
    const allocation = await m.findOneByOrFail(AllocationEntity, { id: allocationId });
    await releaseAllocation(m, allocationId);
    await m.update(AllocationEntity, { id: allocationId }, { status: 'cancelled', expiresAt: null });
    const order = orders.find((o) => o.id === allocation.orderId)!;
    events.push({ type: 'allocation.replanned', orderId: order.id, audience: [order.brandId, allocation.factoryId], payload: { allocationId, orderId: order.id, lineId, reason: 'line capacity reduced' } });
  }
  for (const order of orders) {
    if (canMoveOrder(order.status, 'pending')) await m.update(OrderEntity, { id: order.id }, { status: 'pending' });
  }
  const [grew] = await m.query<{ grew: boolean }[]>(
    `WITH n AS (SELECT * FROM unnest($2::date[], $3::bigint[], $4::numeric[]) AS n(day, capacity, fraction)),
     old AS (SELECT c.day, c.capacity FROM capacity_days c JOIN n USING (day) WHERE c.line_id = $1 ORDER BY c.day FOR UPDATE),
     upd AS (UPDATE capacity_days c SET capacity = n.capacity, fraction = n.fraction FROM n WHERE c.line_id = $1 AND c.day = n.day RETURNING c.day)
     SELECT coalesce(bool_or(n.capacity > old.capacity), false) AS grew FROM n JOIN old USING (day)`,
    [lineId, days, capacities, cells.map((c) => c.fraction)],
  );
  return { replannedOrders: orders.map((o) => o.id), grew: grew?.grew ?? false, events };
}

/**
 * After commit: released orders go back to the matcher (they are due soon, so first in line);
 * new capacity wakes the unmatched orders this line can make. A lost enqueue is logged and left
 * to the sweep, which finds the orders waiting in the database.
 */
export async function requeueAfterCapacityChange(
  queues: QueueBackend, logger: Logger, lineId: string, change: Pick<CapacityChange, 'replannedOrders' | 'grew'>, today: string,
): Promise<void> {
  try {
    for (const orderId of change.replannedOrders) {
      await queues.enqueue({ name: 'match-order', data: { orderId } }, { priority: matchPriority(today, today) });
    }
    if (change.grew) await queues.enqueue({ name: 'capacity-changed', data: { lineId } });
  } catch (error) {
    logger.warn({ lineId, err: error instanceof Error ? error.message : String(error) }, 'enqueue after a capacity change failed; the sweep will retry');
  }
}
