import type { PlannedAllocation } from '@cloudloom/matching';
import type { AllocationStatus, OrderExplanation, OrderStatus } from '@cloudloom/persistence';
import type { EntityManager } from 'typeorm';
import { addDays } from '../core/clock';
import { type DomainEvent, eventsParameter, insertEvents } from '../events/events.writer';
import { cellKey, type LedgerCell, releaseCells, reserveWhatFits } from './ledger';

/**
 * An allocation about to be written: the plan's part plus what the handler decided about it.
 * Ids are made in the application (randomUUID) so rows, days and events line up without relying
 * on the order of RETURNING.
 */
export interface NewAllocation {
  readonly id: string;
  readonly orderId: string;
  readonly plan: PlannedAllocation;
  readonly status: Extract<AllocationStatus, 'offered' | 'accepted'>;
  readonly expiresAt: Date | null;
}

export interface OrderUpdate {
  readonly orderId: string;
  readonly status: OrderStatus;
  readonly explanation: OrderExplanation;
}

/** The ledger cells a planned allocation takes; `today` is the plan's day 0. */
export function cellsOf(a: PlannedAllocation, today: string): LedgerCell[] {
  return a.days.map((d) => ({ lineId: a.lineId, day: addDays(today, d.day), units: d.units }));
}

/** Two orders of one batch may share a line-day: the ledger takes their sum in one row update. */
function merged(cells: readonly LedgerCell[]): LedgerCell[] {
  const byCell = new Map<string, LedgerCell>();
  for (const c of cells) {
    const key = cellKey(c);
    const seen = byCell.get(key);
    byCell.set(key, seen ? { ...seen, units: seen.units + c.units } : c);
  }
  return [...byCell.values()];
}

/**
 * Takes the ledger cells of every allocation. An order that lost any of its cells to another
 * matcher (planned on numbers that matcher had already used) holds nothing afterwards and is
 * returned, to be planned again; the others keep theirs. Two orders of a batch on one cell lose
 * or keep it together, as one row update takes their sum.
 */
export async function reserveOrders(m: EntityManager, today: string, allocations: readonly NewAllocation[]): Promise<Set<string>> {
  const cells = (a: NewAllocation): LedgerCell[] => cellsOf(a.plan, today);
  const refused = await reserveWhatFits(m, merged(allocations.flatMap(cells)));
  if (refused.size === 0) return new Set();
  const lost = new Set(allocations.filter((a) => cells(a).some((c) => refused.has(cellKey(c)))).map((a) => a.orderId));
  await releaseCells(m, merged(allocations.filter((a) => lost.has(a.orderId)).flatMap(cells).filter((c) => !refused.has(cellKey(c)))));
  return lost;
}

/**
 * Everything one matching pass decided, once its cells are reserved (`reserveOrders`), in one
 * statement of data-modifying WITHs whatever the batch size: allocations, their days, the
 * orders and the events. The caller's transaction makes it all or nothing with the ledger.
 */
export async function writeMatches(
  m: EntityManager,
  today: string,
  allocations: readonly NewAllocation[],
  orders: readonly OrderUpdate[],
  events: readonly DomainEvent[],
): Promise<void> {
  const col = <T>(f: (a: NewAllocation) => T): T[] => allocations.map(f);
  const days = allocations.flatMap((a) => cellsOf(a.plan, today).map((c) => ({ ...c, allocationId: a.id })));
  await m.query(
    `WITH a AS (
       INSERT INTO allocations (id, order_id, factory_id, line_id, quantity, demand, start_date, end_date, status, expires_at, score, score_parts, price, produced_quantity)
       SELECT v.*, 0 FROM unnest($1::uuid[], $2::uuid[], $3::uuid[], $4::uuid[], $5::int[], $6::bigint[], $7::date[], $8::date[], $9::text[],
                                 $10::timestamptz[], $11::numeric[], $12::jsonb[], $13::numeric[]) AS v),
     d AS (INSERT INTO allocation_days (allocation_id, line_id, day, units) SELECT * FROM unnest($14::uuid[], $15::uuid[], $16::date[], $17::bigint[])),
     o AS (UPDATE orders o SET status = v.status, explanation = v.explanation, updated_at = now()
           FROM unnest($18::uuid[], $19::text[], $20::jsonb[]) AS v(id, status, explanation) WHERE o.id = v.id),
     e AS (${insertEvents('$21')})
     SELECT 1`,
    [
      col((a) => a.id), col((a) => a.orderId), col((a) => a.plan.factoryId), col((a) => a.plan.lineId), col((a) => a.plan.quantity),
      col((a) => a.plan.demand), col((a) => addDays(today, a.plan.startDay)), col((a) => addDays(today, a.plan.endDay)), col((a) => a.status),
      col((a) => a.expiresAt), col((a) => a.plan.score), col((a) => JSON.stringify(a.plan.scoreParts)), col((a) => a.plan.price),
      days.map((d) => d.allocationId), days.map((d) => d.lineId), days.map((d) => d.day), days.map((d) => d.units),
      orders.map((o) => o.orderId), orders.map((o) => o.status), orders.map((o) => JSON.stringify(o.explanation)),
      eventsParameter(events),
    ],
  );
}
