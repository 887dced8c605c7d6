import type { PlannedAllocation } from '@cloudloom/matching';
import type { AllocationStage, AllocationStatus, OrderExplanation, OrderStatus, PriceApproval } from '@cloudloom/persistence';
import type { EntityManager } from 'typeorm';
import { addDays } from '../core/clock';
import { type DomainEvent, eventsParameter, insertEvents } from '../events/events.writer';
import type { LedgerCell } from './ledger';

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
  /** A style order's stage (DESIGN.md §8); absent on other orders. */
  readonly stage?: AllocationStage;
}

export interface OrderUpdate {
  readonly orderId: string;
  readonly status: OrderStatus;
  readonly explanation: OrderExplanation;
  /** The first complete plan's price, kept only where the order has none yet. */
  readonly agreedPrice?: number;
  /** A plan waiting for the brand (`awaiting_approval`); any other verdict clears it. */
  readonly approval?: PriceApproval;
}

/**
 * The orders a settling statement wrote nothing for: `raced` lost loom-days to another matcher
 * (planned again on their lines re-read), `changed` were written by someone else since they were
 * read without their lock (read again).
 */
export interface SettleResult {
  readonly raced: ReadonlySet<string>;
  readonly changed: ReadonlySet<string>;
}

/** The ledger cells a planned allocation takes; `today` is the plan's day 0. */
export function cellsOf(a: PlannedAllocation, today: string): LedgerCell[] {
  return a.days.map((d) => ({ lineId: a.lineId, day: addDays(today, d.day), units: d.units }));
}

/**
 * Everything one matching pass decided, in one statement whatever the batch size: the ledger
 * cells are locked in (line, day) order (two matchers never deadlock) and read under the lock; a
 * cell whose free units no longer cover what the batch planned on it (another matcher took them
 * after this one planned) is refused, and every order with a refused cell is lost: it takes
 * nothing, and its allocations, order update and events are not written. The other orders'
 * cells are reserved, and their allocations, days, order updates and events written. Two
 * orders of a batch on one cell keep or lose it together, as the check is on their sum.
 *
 * Answers the lost orders, to be planned again on their lines re-read. The reservation cannot
 * over-book: what it adds to a cell is at most the free units read under the cell's lock, and
 * the CHECK constraint on `capacity_days` backs that up.
 *
 * Either the caller's transaction holds the orders' locks (taken when it read them), or the
 * orders were read without locks and `unlocked` gives each one's row version as read: the
 * statement then locks them itself (in id order, before any cell) and an order written since it
 * was read (matched by another worker, cancelled, expired) is lost as `changed`: nothing of its
 * plan is written, and it is read again. Being one statement, it is all or nothing by itself.
 * The cells' lock step reads a count of the locked orders (an init plan, run before its first
 * row), so orders are locked before cells, as a matcher holding its orders' locks takes them;
 * should a planner ever reorder that, two matchers could deadlock (40P01, retried), never write
 * wrong rows. (The reason is here, not in the SQL: the statement's first kilobyte is what
 * `pg_stat_activity` shows, and it should show the cells it waits on.)
 */
export async function settleMatches(
  m: EntityManager,
  today: string,
  allocations: readonly NewAllocation[],
  orders: readonly OrderUpdate[],
  events: readonly DomainEvent[],
  unlocked: readonly { readonly orderId: string; readonly version: string }[] = [],
): Promise<SettleResult> {
  const col = <T>(f: (a: NewAllocation) => T): T[] => allocations.map(f);
  const days = allocations.flatMap((a) => cellsOf(a.plan, today).map((c) => ({ ...c, allocationId: a.id, orderId: a.orderId })));
  const rows = await m.query<{ orderId: string; changed: boolean }[]>(
    `WITH cell AS (SELECT * FROM unnest($1::uuid[], $2::uuid[], $3::uuid[], $4::date[], $5::bigint[]) AS v(allocation_id, order_id, line_id, day, units)),
     read AS (SELECT * FROM unnest($26::uuid[], $27::xid[]) AS v(id, version)),
     -- Under READ COMMITTED a row written by another transaction since this statement began is
     -- locked in its newest version and the version test applies to that one: it fails.
     current AS (SELECT o.id FROM orders o JOIN read ON read.id = o.id AND o.xmin = read.version ORDER BY o.id FOR UPDATE OF o),
     changed AS (SELECT id AS order_id FROM read WHERE id NOT IN (SELECT id FROM current)),
     locked AS (
       SELECT c.line_id, c.day, c.capacity - c.reserved AS free FROM capacity_days c
       -- The orders first, then the cells, as a matcher holding its orders' locks takes them.
       WHERE (c.line_id, c.day) IN (SELECT line_id, day FROM cell) AND (SELECT count(*) FROM current) >= 0
       ORDER BY c.line_id, c.day FOR UPDATE OF c),
     refused AS (
       SELECT w.line_id, w.day FROM (SELECT line_id, day, sum(units) AS units FROM cell WHERE order_id NOT IN (SELECT order_id FROM changed) GROUP BY line_id, day) w
       LEFT JOIN locked l ON l.line_id = w.line_id AND l.day = w.day
       WHERE l.free IS NULL OR w.units > l.free),
     raced AS (SELECT DISTINCT c.order_id FROM cell c JOIN refused r ON r.line_id = c.line_id AND r.day = c.day WHERE c.order_id NOT IN (SELECT order_id FROM changed)),
     lost AS (SELECT order_id FROM raced UNION ALL SELECT order_id FROM changed),
     kept AS (SELECT * FROM cell WHERE order_id NOT IN (SELECT order_id FROM lost)),
     r AS (UPDATE capacity_days c SET reserved = c.reserved + k.units
           FROM (SELECT line_id, day, sum(units) AS units FROM kept GROUP BY line_id, day) k
           WHERE c.line_id = k.line_id AND c.day = k.day),
     a AS (
       INSERT INTO allocations (id, order_id, factory_id, line_id, quantity, demand, start_date, end_date, status, expires_at, score, score_parts, price, stage, produced_quantity)
       SELECT v.*, 0 FROM unnest($6::uuid[], $7::uuid[], $8::uuid[], $9::uuid[], $10::int[], $11::bigint[], $12::date[], $13::date[], $14::text[],
                                 $15::timestamptz[], $16::numeric[], $17::jsonb[], $18::numeric[], $25::text[]) AS v(id, order_id)
       WHERE v.order_id NOT IN (SELECT order_id FROM lost)),
     d AS (INSERT INTO allocation_days (allocation_id, line_id, day, units) SELECT allocation_id, line_id, day, units FROM kept),
     o AS (UPDATE orders o SET status = v.status, explanation = v.explanation, updated_at = now(),
             agreed_price = coalesce(o.agreed_price, v.agreed_price), approval = v.approval, approval_expires_at = (v.approval->>'expiresAt')::timestamptz
           FROM unnest($19::uuid[], $20::text[], $21::jsonb[], $23::numeric[], $24::jsonb[]) AS v(id, status, explanation, agreed_price, approval)
           WHERE o.id = v.id AND v.id NOT IN (SELECT order_id FROM lost)),
     e AS (${insertEvents('$22', 'x.order_id NOT IN (SELECT order_id FROM lost)')})
     SELECT order_id AS "orderId", false AS changed FROM raced UNION ALL SELECT order_id, true FROM changed`,
    [
      days.map((d) => d.allocationId), days.map((d) => d.orderId), days.map((d) => d.lineId), days.map((d) => d.day), days.map((d) => d.units),
      col((a) => a.id), col((a) => a.orderId), col((a) => a.plan.factoryId), col((a) => a.plan.lineId), col((a) => a.plan.quantity),
      col((a) => a.plan.demand), col((a) => addDays(today, a.plan.startDay)), col((a) => addDays(today, a.plan.endDay)), col((a) => a.status),
      col((a) => a.expiresAt), col((a) => a.plan.score), col((a) => JSON.stringify(a.plan.scoreParts)), col((a) => a.plan.price),
      orders.map((o) => o.orderId), orders.map((o) => o.status), orders.map((o) => JSON.stringify(o.explanation)),
      eventsParameter(events),
      orders.map((o) => o.agreedPrice ?? null), orders.map((o) => (o.approval ? JSON.stringify(o.approval) : null)),
      col((a) => a.stage ?? null),
      unlocked.map((o) => o.orderId), unlocked.map((o) => o.version),
    ],
  );
  return { raced: new Set(rows.filter((r) => !r.changed).map((r) => r.orderId)), changed: new Set(rows.filter((r) => r.changed).map((r) => r.orderId)) };
}
