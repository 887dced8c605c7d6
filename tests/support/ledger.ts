import { auditMarket } from '@cloudloom/market';
import type { TestApp } from './harness';

export interface LedgerReport {
  orders: number;
  byStatus: Record<string, number>;
  overReserved: number;
  /** line-days where the ledger's reserved differs from the sum of what live allocations hold */
  ledgerMismatches: number;
  /** allocations whose demand differs from the sum of their ledger cells */
  allocationMismatches: number;
  /** orders whose status contradicts their allocations (the audit's statusContradictions) */
  wrongTotals: number;
  /** orders waiting a day past their due date */
  stranded: number;
  allocations: number;
}

/** The platform's own audit (`npm run audit`, GET /audit) on the test's database: zeros everywhere when healthy. */
export async function auditLedger(t: TestApp): Promise<LedgerReport> {
  const a = await auditMarket((sql, params) => t.sql(sql, params));
  const [row] = await t.sql<{ n: number }>(`SELECT count(*)::int AS n FROM allocations`);
  return {
    orders: a.orders,
    byStatus: a.byStatus,
    overReserved: a.overReserved,
    ledgerMismatches: a.ledgerMismatches,
    allocationMismatches: a.allocationMismatches,
    wrongTotals: a.statusContradictions,
    stranded: a.stranded,
    allocations: row!.n,
  };
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
