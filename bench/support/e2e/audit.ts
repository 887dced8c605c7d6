import type { Pool } from 'pg';

export interface Audit {
  /** Line-days whose reservations exceed capacity. */
  readonly overReserved: number;
  /** Line-days whose `reserved` differs from what the allocations hold. */
  readonly ledgerMismatch: number;
  /** Orders holding more than their quantity, more splits than allowed, or two live pieces on one line. */
  readonly duplicateAllocations: number;
  readonly orders: number;
  readonly allocations: number;
}

const LIVE = `('offered', 'accepted', 'in_production', 'produced')`;

/** After the run: the ledger and the allocations must agree, and no order may be served twice. */
export async function audit(db: Pool): Promise<Audit> {
  const one = async (sql: string): Promise<number> => Number((await db.query<{ n: string }>(sql)).rows[0]?.n ?? 0);
  return {
    overReserved: await one(`SELECT count(*) AS n FROM capacity_days WHERE reserved > capacity OR reserved < 0`),
    ledgerMismatch: await one(
      `SELECT count(*) AS n FROM capacity_days c
       FULL JOIN (SELECT d.line_id, d.day, sum(d.units) AS units FROM allocation_days d GROUP BY 1, 2) a USING (line_id, day)
       WHERE coalesce(c.reserved, -1) <> coalesce(a.units, 0)`,
    ),
    duplicateAllocations: await one(
      `SELECT count(*) AS n FROM (
         SELECT o.id FROM orders o JOIN allocations a ON a.order_id = o.id AND a.status IN ${LIVE}
         GROUP BY o.id, o.quantity, o.max_splits
         HAVING sum(a.quantity) > o.quantity OR count(*) > o.max_splits OR count(DISTINCT a.line_id) < count(*)) x`,
    ),
    orders: await one(`SELECT count(*) AS n FROM orders`),
    allocations: await one(`SELECT count(*) AS n FROM allocations`),
  };
}

/** Several repetitions' audits as one: every count added up. */
export function sumAudits(audits: readonly Audit[]): Audit {
  const sum = (k: keyof Audit): number => audits.reduce((total, a) => total + a[k], 0);
  return { overReserved: sum('overReserved'), ledgerMismatch: sum('ledgerMismatch'), duplicateAllocations: sum('duplicateAllocations'), orders: sum('orders'), allocations: sum('allocations') };
}
