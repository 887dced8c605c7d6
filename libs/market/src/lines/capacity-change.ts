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
  /** The line's days the allocation holds: a release gives them back. */
  days: string[];
}

/**
 * How a capacity change locks its line row. Not `FOR UPDATE`: the matcher inserts allocations
 * while it holds orders and ledger cells, and the foreign key to `lines` takes `FOR KEY SHARE` on
 * the line row, which `FOR UPDATE` blocks; an edit holding the line and waiting for those cells
 * deadlocked with it. `FOR NO KEY UPDATE` still serializes edits of one line and lets the matcher's
 * key checks through.
 */
export const LINE_EDIT_LOCK = { mode: 'for_no_key_update' } as const;

/** Rounds of lock, re-read, lock more; each round only grows because work appeared meanwhile. */
const LOCK_ROUNDS = 8;

/**
 * Moves a line's ledger to new capacities without ever dropping a reservation silently: where a
 * day would fall below what is reserved, the allocations holding that day that have not started
 * are released and their orders go back to the matcher. Work already in production is refused
 * (`refuse`, a line edit) or trimmed (`trim`, a breakdown). The caller holds the line row
 * (`LINE_EDIT_LOCK`); what to release or refuse is decided only on rows read under the orders'
 * and the cells' locks (`lockShortWork`).
 */
export async function applyCapacity(m: EntityManager, lineId: string, cells: readonly CapacityCell[], running: RunningWork = 'refuse'): Promise<CapacityChange> {
  if (cells.length === 0) return { replannedOrders: [], grew: false, events: [] };
  const days = cells.map((c) => c.day);
  const capacities = cells.map((c) => c.capacity);
  const { short, orders } = await lockShortWork(m, lineId, days, capacities);
  const started = short.filter((a) => !MOVABLE.has(a.status));
  if (started.length > 0 && running === 'refuse') throw runningWorkInTheWay(started, days);
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

/**
 * Locks what a capacity change may touch, in the order every writer of the ledger takes them (the
 * matcher: orders in id order, then cells in (line, day) order; progress reports, offers and
 * expiries: the order first), so no two of them wait on each other in a cycle:
 *   line row (the caller) → orders of the work on the days that fall short, by id → the line's
 *   cells of the changed days and of the days that work holds, by day.
 * Which orders those are is known only by reading the cells, so the set is read, locked and read
 * again under the locks. Reading before locking let a progress report move an allocation into
 * production between the read and the lock, and the change then cancelled running work. If the
 * second read finds work the locks do not cover (the matcher committed meanwhile), the locks are
 * given back (a savepoint) and taken again for the larger set, still in order.
 */
async function lockShortWork(m: EntityManager, lineId: string, days: readonly string[], capacities: readonly number[]): Promise<{ short: Held[]; orders: OrderEntity[] }> {
  let orderIds: string[] = [];
  let cellDays = [...new Set(days)].sort();
  for (let round = 1; ; round++) {
    await m.query('SAVEPOINT capacity_locks');
    const orders = await OrdersRepository.lockMany(m, orderIds);
    await m.query(`SELECT 1 FROM capacity_days WHERE line_id = $1 AND day = ANY($2::date[]) ORDER BY day FOR UPDATE`, [lineId, cellDays]);
    const short = await m.query<Held[]>(
      `SELECT a.id AS "allocationId", a.order_id AS "orderId", a.status,
              array(SELECT to_char(x.day, 'YYYY-MM-DD') FROM allocation_days x WHERE x.allocation_id = a.id AND x.line_id = $1 ORDER BY x.day) AS days
       FROM allocations a
       WHERE a.id IN (SELECT d.allocation_id FROM unnest($2::date[], $3::bigint[]) AS n(day, capacity)
                      JOIN capacity_days c ON c.line_id = $1 AND c.day = n.day AND c.reserved > n.capacity
                      JOIN allocation_days d ON d.line_id = c.line_id AND d.day = c.day)
       ORDER BY a.id`,
      [lineId, days, capacities],
    );
    const locked = new Set(orderIds);
    const held = new Set(cellDays);
    const moreOrders = short.filter((a) => !locked.has(a.orderId)).map((a) => a.orderId);
    const moreDays = short.flatMap((a) => a.days).filter((d) => !held.has(d));
    if (moreOrders.length === 0 && moreDays.length === 0) {
      await m.query('RELEASE SAVEPOINT capacity_locks');
      return { short, orders };
    }
    if (round === LOCK_ROUNDS) throw new DomainError('CONFLICT', 'The line\'s bookings kept changing during this change; try it again');
    await m.query('ROLLBACK TO SAVEPOINT capacity_locks');
    orderIds = [...new Set([...orderIds, ...moreOrders])].sort();
    cellDays = [...new Set([...cellDays, ...moreDays])].sort();
  }
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
  // The cells and the orders are already locked (lockShortWork).
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

const nextDay = (day: string): string => new Date(Date.parse(`${day}T00:00:00Z`) + 86_400_000).toISOString().slice(0, 10);

/**
 * The refusal of a factory's own edit that would cut into running work: it names each piece of
 * work in the way (order, allocation, the days it holds) and the first day the change could start
 * from, the day after the last day that work holds, so the dispatcher can act on it at once.
 */
function runningWorkInTheWay(started: readonly Held[], changed: readonly string[]): DomainError {
  const lastHeld = started.flatMap((a) => a.days).sort().at(-1)!;
  const firstFree = nextDay(lastHeld);
  const firstChanged = [...changed].sort()[0]!;
  const fields = started.map((a) => {
    const held = [...a.days].sort();
    return { field: 'days', message: `order ${a.orderId.slice(0, 8)} (allocation ${a.allocationId}) is in production on this line from ${held[0]!} to ${held.at(-1)!}` };
  });
  fields.push({ field: 'days', message: `the first day this change fits is ${firstFree > firstChanged ? firstFree : firstChanged}` });
  return new DomainError(
    'CONFLICT',
    `Production already running on this line holds ${started.length === 1 ? 'a day' : 'days'} this change would take away; change the days from ${firstFree} on, or wait until that work is done`,
    fields,
  );
}
