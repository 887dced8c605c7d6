import type { TestApp } from './harness';

export interface LedgerReport {
  orders: number;
  byStatus: Record<string, number>;
  overReserved: number;
  /** line-days where the ledger's reserved differs from the sum of what live allocations hold */
  ledgerMismatches: number;
  /** allocations whose demand differs from the sum of their ledger cells */
  allocationMismatches: number;
  /** orders whose live allocations do not add up to the order (proposed) or to nothing (unmatched) */
  wrongTotals: number;
  allocations: number;
}

/** Counts every way the books could be wrong; a healthy market has zeros everywhere. */
export async function auditLedger(t: TestApp): Promise<LedgerReport> {
  const statuses = await t.sql<{ status: string; n: number }>(`SELECT status, count(*)::int AS n FROM orders GROUP BY status`);
  const [r] = await t.sql<Omit<LedgerReport, 'orders' | 'byStatus'>>(`
    SELECT
      (SELECT count(*)::int FROM capacity_days WHERE reserved > capacity OR reserved < 0) AS "overReserved",
      (SELECT count(*)::int FROM capacity_days c
         FULL JOIN (SELECT line_id, day, sum(units) AS units FROM allocation_days GROUP BY line_id, day) d USING (line_id, day)
         WHERE coalesce(c.reserved, 0) <> coalesce(d.units, 0)) AS "ledgerMismatches",
      (SELECT count(*)::int FROM allocations a
         LEFT JOIN (SELECT allocation_id, sum(units) AS units FROM allocation_days GROUP BY allocation_id) d ON d.allocation_id = a.id
         WHERE a.status IN ('offered', 'accepted') AND coalesce(d.units, 0) <> a.demand) AS "allocationMismatches",
      (SELECT count(*)::int FROM orders o
         LEFT JOIN (SELECT order_id, sum(quantity) AS q FROM allocations WHERE status IN ('offered', 'accepted', 'in_production', 'produced') GROUP BY order_id) a ON a.order_id = o.id
         WHERE (o.status IN ('proposed', 'confirmed') AND coalesce(a.q, 0) <> o.quantity)
            OR (o.status = 'unmatched' AND coalesce(a.q, 0) <> 0)) AS "wrongTotals",
      (SELECT count(*)::int FROM allocations) AS allocations`);
  const byStatus = Object.fromEntries(statuses.map((s) => [s.status, s.n]));
  return { orders: statuses.reduce((sum, s) => sum + s.n, 0), byStatus, ...r! };
}

/** Posts many orders at once over HTTP, `parallel` requests in flight. */
export async function postOrders(t: TestApp, key: string, bodies: readonly Record<string, unknown>[], parallel = 32): Promise<string[]> {
  const ids: string[] = new Array<string>(bodies.length);
  let next = 0;
  const lane = async (): Promise<void> => {
    while (next < bodies.length) {
      const i = next++;
      const res = await t.request<{ id: string }>('POST', '/orders', { key, body: bodies[i] });
      if (res.status !== 202) throw new Error(`order ${i}: ${res.status} ${JSON.stringify(res.body)}`);
      ids[i] = res.body.id;
    }
  };
  await Promise.all(Array.from({ length: parallel }, lane));
  return ids;
}

export async function waitingOrders(t: TestApp): Promise<number> {
  const [row] = await t.sql<{ n: number }>(`SELECT count(*)::int AS n FROM orders WHERE status IN ('pending', 'matching')`);
  return row!.n;
}

/** A small deterministic generator, so a failing run can be replayed exactly. */
export function seeded(seed: number): () => number {
  let s = seed >>> 0;
  return () => {
    s = (s + 0x6d2b79f5) >>> 0;
    let x = s;
    x = Math.imul(x ^ (x >>> 15), x | 1);
    x ^= x + Math.imul(x ^ (x >>> 7), x | 61);
    return ((x ^ (x >>> 14)) >>> 0) / 4294967296;
  };
}
