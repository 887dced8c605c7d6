import type { QueueBackend } from '@cloudloom/platform';

/** Runs one SQL statement; the API passes its data source, `npm run audit` a plain client. */
export type RunSql = <T>(sql: string, params?: unknown[]) => Promise<T[]>;

export interface AuditReport {
  orders: number;
  byStatus: Record<string, number>;
  /** line-days booked beyond their capacity (or below zero) */
  overReserved: number;
  /** line-days whose `reserved` differs from what allocations hold there */
  ledgerMismatches: number;
  /** open allocations (offered, accepted) whose ledger cells do not add up to their demand */
  allocationMismatches: number;
  /** orders whose status says something their allocations do not (see `STATUS_CONTRADICTIONS`) */
  statusContradictions: number;
  /**
   * orders waiting with no job and no sweep to come, still waiting a day past their due date, or
   * awaiting a brand's approval an hour past its time (the sweep lapses it)
   */
  stranded: number;
  /** webhook deliveries pending 10 minutes past their due time: no worker is dispatching them */
  webhookDeliveriesStranded: number;
  /** whether the queue holds the sweep's schedule (undefined: no queue was given) */
  sweepScheduled: boolean | undefined;
  /** the sum of the counts above that must be zero */
  violations: number;
}

/**
 * What each status promises about the order's allocations ("live" = offered, accepted, in
 * production or produced; "open" = offered or accepted, still holding capacity):
 * proposed, confirmed, in production: live allocations make exactly the quantity (a style order:
 * its sewing stage's do, and every stage of its chain holds work);
 * unmatched: nothing live; partial: some live, less than the quantity (a style order: any stage);
 * awaiting approval: less than the quantity live (the new plan reserves nothing) and the plan waiting
 * (a style order may keep its later stages while a dearer remainder of an earlier one waits);
 * completed: every live allocation produced; cancelled, expired: nothing open.
 */
const STATUS_CONTRADICTIONS = `
  WITH held AS (
    SELECT order_id,
           sum(quantity) FILTER (WHERE status IN ('offered', 'accepted', 'in_production', 'produced') AND (stage IS NULL OR stage = 'sewing')) AS live,
           sum(quantity) FILTER (WHERE status IN ('offered', 'accepted', 'in_production', 'produced')) AS any_live,
           count(DISTINCT stage) FILTER (WHERE status IN ('offered', 'accepted', 'in_production', 'produced')) AS stages,
           count(*) FILTER (WHERE status IN ('offered', 'accepted')) AS open,
           count(*) FILTER (WHERE status IN ('offered', 'accepted', 'in_production')) AS unfinished
    FROM allocations GROUP BY order_id)
  SELECT count(*)::int AS n FROM orders o LEFT JOIN held h ON h.order_id = o.id
  WHERE (o.status IN ('proposed', 'confirmed', 'in_production') AND coalesce(h.live, 0) <> o.quantity)
     OR (o.status IN ('proposed', 'confirmed', 'in_production') AND o.kind = 'style' AND coalesce(h.stages, 0) <> (CASE WHEN o.style ? 'finishing' THEN 3 ELSE 2 END))
     OR (o.status = 'unmatched' AND coalesce(h.any_live, 0) <> 0)
     OR (o.status = 'partial' AND (coalesce(h.any_live, 0) = 0 OR (o.kind <> 'style' AND h.live >= o.quantity)))
     OR (o.status = 'awaiting_approval' AND ((o.kind <> 'style' AND coalesce(h.live, 0) >= o.quantity) OR o.approval IS NULL OR o.approval_expires_at IS NULL))
     OR (o.status = 'completed' AND coalesce(h.unfinished, 0) <> 0)
     OR (o.status IN ('cancelled', 'expired') AND coalesce(h.open, 0) <> 0)`;

/**
 * Orders (a WHERE over `orders`) still waiting a day past their due date with nothing held, or
 * awaiting a brand's approval an hour past its time: the sweep should have ended or lapsed them.
 * The audit counts them; the radar's `stranded` alert lists them.
 */
export const STRANDED_ORDERS = `(status IN ('pending', 'matching', 'unmatched', 'awaiting_approval') AND due_date < current_date - 1
         AND NOT EXISTS (SELECT 1 FROM allocations a WHERE a.order_id = orders.id AND a.status IN ('offered', 'accepted', 'in_production', 'produced')))
         OR (status = 'awaiting_approval' AND approval_expires_at < now() - interval '1 hour')`;

/**
 * Every invariant the platform promises, counted: a healthy market has zeros everywhere.
 * Reads the whole history, so it is for operators and fault tests, not for a scrape.
 */
export async function auditMarket(sql: RunSql, queues?: QueueBackend): Promise<AuditReport> {
  const statuses = await sql<{ status: string; n: number }>(`SELECT status, count(*)::int AS n FROM orders GROUP BY status`);
  const [counts] = await sql<{ overReserved: number; ledgerMismatches: number; allocationMismatches: number; statusContradictions: number; overdue: number; webhookDeliveriesStranded: number }>(`
    SELECT
      (SELECT count(*)::int FROM capacity_days WHERE reserved > capacity OR reserved < 0) AS "overReserved",
      (SELECT count(*)::int FROM capacity_days c
         FULL JOIN (SELECT line_id, day, sum(units) AS units FROM allocation_days GROUP BY line_id, day) d USING (line_id, day)
         WHERE coalesce(c.reserved, 0) <> coalesce(d.units, 0)) AS "ledgerMismatches",
      (SELECT count(*)::int FROM allocations a
         LEFT JOIN (SELECT allocation_id, sum(units) AS units FROM allocation_days GROUP BY allocation_id) d ON d.allocation_id = a.id
         WHERE a.status IN ('offered', 'accepted') AND coalesce(d.units, 0) <> a.demand) AS "allocationMismatches",
      (${STATUS_CONTRADICTIONS}) AS "statusContradictions",
      (SELECT count(*)::int FROM orders WHERE ${STRANDED_ORDERS}) AS overdue,
      (SELECT count(*)::int FROM webhook_deliveries WHERE status = 'pending' AND next_attempt_at < now() - interval '10 minutes') AS "webhookDeliveriesStranded"`);
  const sweepScheduled = queues ? await queues.isScheduled({ name: 'sweep', data: {} }) : undefined;
  let unqueued = 0;
  if (queues && !sweepScheduled) {
    // No sweep to come: a waiting order is stranded unless its own job is in the queue.
    const waiting = await sql<{ id: string }>(`SELECT id FROM orders WHERE status IN ('pending', 'matching') LIMIT 10000`);
    for (const { id } of waiting) if (!(await queues.holds({ name: 'match-order', data: { orderId: id } }))) unqueued++;
  }
  const { overdue, ...rest } = counts!;
  const stranded = overdue + unqueued;
  const byStatus = Object.fromEntries(statuses.map((s) => [s.status, s.n]));
  const violations = rest.overReserved + rest.ledgerMismatches + rest.allocationMismatches + rest.statusContradictions + stranded + rest.webhookDeliveriesStranded;
  return { orders: statuses.reduce((sum, s) => sum + s.n, 0), byStatus, ...rest, stranded, sweepScheduled, violations };
}
