import type { Logger } from '@nestjs/common';
import { DomainError } from '@cloudloom/platform';
import type { AllocationEntity, OrderEntity } from '@cloudloom/persistence';
import type { EntityManager } from 'typeorm';
import type { DomainEvent } from '../events/events.writer';
import { AllocationsRepository } from '../allocations/allocations.repository';
import { assertAllocationMove, canMoveOrder, moveAllocations, moveOrder } from '../lifecycle/lifecycle';
import { OrdersRepository } from '../orders/orders.repository';
import { releaseAllocation } from '../allocations/ledger';
import type { JobQueue } from '../jobs/job-queue';

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
 * What happens to work already in production on a day that no longer holds it: a factory's own
 * edit is refused (409: it chooses what to change), a breakdown is a fact and trims the work.
 */
export type RunningWork = 'refuse' | 'trim';

interface Held {
  allocationId: string;
  orderId: string;
  status: AllocationEntity['status'];
}

/**
 * Moves a line's ledger to new capacities without ever dropping a reservation silently: where a
 * day would fall below what is reserved, the allocations holding that day that have not started
 * are released and their orders go back to the matcher. Work already in production is refused
 * (`refuse`, a line edit) or trimmed (`trim`, a breakdown). Orders are locked before ledger rows,
 * in the same order the matcher takes them.
 */
export async function applyCapacity(m: EntityManager, lineId: string, cells: readonly CapacityCell[], running: RunningWork = 'refuse'): Promise<CapacityChange> {
  if (cells.length === 0) return { replannedOrders: [], grew: false, events: [] };
  const days = cells.map((c) => c.day);
  const capacities = cells.map((c) => c.capacity);
  const short: Held[] = await m.query(
    `SELECT DISTINCT a.id AS "allocationId", a.order_id AS "orderId", a.status
     FROM unnest($2::date[], $3::bigint[]) AS n(day, capacity)
     JOIN capacity_days c ON c.line_id = $1 AND c.day = n.day AND c.reserved > n.capacity
     JOIN allocation_days d ON d.line_id = c.line_id AND d.day = c.day
     JOIN allocations a ON a.id = d.allocation_id`,
    [lineId, days, capacities],
  );
  const started = short.filter((a) => !MOVABLE.has(a.status));
  if (started.length > 0 && running === 'refuse') {
    throw new DomainError('CONFLICT', 'Production already running on this line would no longer fit; change the days after it instead');
  }
  const orderIds = [...new Set(short.map((a) => a.orderId))].sort();
  const orders = await OrdersRepository.lockMany(m, orderIds);
  const orderOf = (id: string): OrderEntity => orders.find((o) => o.id === id)!;
  const events: DomainEvent[] = [];
  for (const { allocationId } of short.filter((a) => MOVABLE.has(a.status))) {
    const allocation = (await AllocationsRepository.find(m, allocationId))!;
    await releaseAllocation(m, allocationId);
    await moveAllocations(m, [allocation], 'cancelled', 'cancelled after a capacity change');
    const order = orderOf(allocation.orderId);
    events.push({ type: 'allocation.replanned', orderId: order.id, audience: [order.brandId, allocation.factoryId], payload: { allocationId, orderId: order.id, lineId, reason: 'line capacity reduced' } });
  }
  const replanned = new Set(short.filter((a) => MOVABLE.has(a.status)).map((a) => a.orderId));
  if (started.length > 0) {
    for (const trim of await trimRunningWork(m, lineId, days, capacities)) {
      const order = orderOf(trim.allocation.orderId);
      if (trim.remainder > 0) replanned.add(order.id);
      events.push({
        type: 'allocation.replanned', orderId: order.id, audience: [order.brandId, trim.allocation.factoryId],
        payload: {
          allocationId: trim.allocation.id, orderId: order.id, lineId, reason: 'looms down under running production',
          status: trim.allocation.status, quantity: trim.allocation.quantity, producedQuantity: trim.allocation.producedQuantity, remainder: trim.remainder,
        },
      });
    }
  }
  for (const id of replanned) {
    const order = orderOf(id);
    if (canMoveOrder(order.status, 'pending')) await moveOrder(m, order, 'pending', 're-matched');
  }
  const [grew] = await m.query<{ grew: boolean }[]>(
    `WITH n AS (SELECT * FROM unnest($2::date[], $3::bigint[], $4::numeric[]) AS n(day, capacity, fraction)),
     old AS (SELECT c.day, c.capacity FROM capacity_days c JOIN n USING (day) WHERE c.line_id = $1 ORDER BY c.day FOR UPDATE),
     upd AS (UPDATE capacity_days c SET capacity = n.capacity, fraction = n.fraction FROM n WHERE c.line_id = $1 AND c.day = n.day RETURNING c.day)
     SELECT coalesce(bool_or(n.capacity > old.capacity), false) AS grew FROM n JOIN old USING (day)`,
    [lineId, days, capacities, cells.map((c) => c.fraction)],
  );
  return { replannedOrders: [...replanned].sort(), grew: grew?.grew ?? false, events };
}

/** Allocations that have not started: released whole when their days shrink. */
const MOVABLE: ReadonlySet<AllocationEntity['status']> = new Set(['offered', 'accepted']);

interface Trim {
  readonly allocation: AllocationEntity;
  /** Quantity taken off the allocation for the matcher to place again. */
  readonly remainder: number;
}

/**
 * Days still above their new capacity once unstarted work is gone are held by running work:
 * the excess comes off those allocations' cells, finished work first (it needs no more days),
 * then the latest-started. An allocation in production keeps its produced quantity and what its
 * remaining cells still make; the rest is its remainder. If that leaves only what is produced,
 * it is produced; if nothing at all, it is cancelled.
 */
async function trimRunningWork(m: EntityManager, lineId: string, days: readonly string[], capacities: readonly number[]): Promise<Trim[]> {
  await m.query(`SELECT 1 FROM capacity_days WHERE line_id = $1 AND day = ANY($2::date[]) ORDER BY day FOR UPDATE`, [lineId, days]);
  const cuts = await m.query<{ allocationId: string; day: string; units: number; cut: number }[]>(
    `WITH n AS (SELECT * FROM unnest($2::date[], $3::bigint[]) AS n(day, capacity)),
     over AS (SELECT c.day, c.reserved - n.capacity AS excess FROM capacity_days c JOIN n USING (day) WHERE c.line_id = $1 AND c.reserved > n.capacity),
     held AS (SELECT d.allocation_id, d.day, d.units, o.excess,
                     coalesce(sum(d.units) OVER (PARTITION BY d.day ORDER BY a.status = 'produced' DESC, a.start_date DESC, a.id
                                                 ROWS BETWEEN UNBOUNDED PRECEDING AND 1 PRECEDING), 0) AS before
              FROM allocation_days d JOIN over o USING (day) JOIN allocations a ON a.id = d.allocation_id
              WHERE d.line_id = $1)
     SELECT allocation_id AS "allocationId", to_char(day, 'YYYY-MM-DD') AS day, units::float8 AS units, least(units, excess - before)::float8 AS cut
     FROM held WHERE excess > before ORDER BY allocation_id, day`,
    [lineId, days, capacities],
  );
  if (cuts.length === 0) return [];
  const ids = cuts.map((c) => c.allocationId);
  const cutDays = cuts.map((c) => c.day);
  const cutUnits = cuts.map((c) => c.cut);
  await m.query(
    `UPDATE capacity_days c SET reserved = c.reserved - v.cut
     FROM (SELECT day, sum(cut) AS cut FROM unnest($2::date[], $3::bigint[]) AS v(day, cut) GROUP BY day) v
     WHERE c.line_id = $1 AND c.day = v.day`,
    [lineId, cutDays, cutUnits],
  );
  await m.query(
    `WITH v AS (SELECT * FROM unnest($1::uuid[], $2::date[], $3::bigint[]) AS v(allocation_id, day, cut)),
     gone AS (DELETE FROM allocation_days d USING v WHERE d.allocation_id = v.allocation_id AND d.day = v.day AND d.units <= v.cut RETURNING 1)
     UPDATE allocation_days d SET units = d.units - v.cut FROM v WHERE d.allocation_id = v.allocation_id AND d.day = v.day AND d.units > v.cut`,
    [ids, cutDays, cutUnits],
  );
  const trims: Trim[] = [];
  for (const id of [...new Set(ids)]) {
    const allocation = await AllocationsRepository.lock(m, id);
    if (allocation.status !== 'in_production') continue;
    const [{ kept } = { kept: 0 }] = await m.query<{ kept: number }[]>(`SELECT coalesce(sum(units), 0)::float8 AS kept FROM allocation_days WHERE allocation_id = $1`, [id]);
    // Units per meter or piece, as the plan reserved them.
    const quantity = Math.min(allocation.quantity, Math.max(allocation.producedQuantity, Math.floor((kept * allocation.quantity) / allocation.demand + 1e-9)));
    const remainder = allocation.quantity - quantity;
    if (quantity === 0) {
      assertAllocationMove(allocation.status, 'cancelled', 'cancelled by a breakdown');
      await releaseAllocation(m, id);
      allocation.status = 'cancelled';
    } else {
      allocation.quantity = quantity;
      if (quantity === allocation.producedQuantity) {
        assertAllocationMove(allocation.status, 'produced', 'produced after a breakdown');
        allocation.status = 'produced';
      } else {
        allocation.demand = kept;
      }
    }
    await m.save(allocation);
    trims.push({ allocation, remainder });
  }
  return trims;
}

/**
 * After commit: released orders go back to the matcher (they are due soon, so first in line);
 * new capacity wakes the unmatched orders this line can make. A lost enqueue is logged and left
 * to the sweep, which finds the orders waiting in the database.
 */
export async function requeueAfterCapacityChange(
  jobs: JobQueue, logger: Logger, lineId: string, change: Pick<CapacityChange, 'replannedOrders' | 'grew'>, today: string,
): Promise<void> {
  try {
    await jobs.matchFirst(change.replannedOrders, today);
    if (change.grew) await jobs.capacityChanged(lineId);
  } catch (error) {
    logger.warn({ lineId, err: error instanceof Error ? error.message : String(error) }, 'enqueue after a capacity change failed; the sweep will retry');
  }
}
