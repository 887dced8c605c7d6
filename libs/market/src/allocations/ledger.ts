import type { EntityManager } from 'typeorm';

/** One ledger cell's worth of units, reserved or released. */
export interface LedgerCell {
  readonly lineId: string;
  readonly day: string;
  readonly units: number;
}

/** Other transactions kept taking the capacity between planning and reserving, attempt after attempt. */
export class CapacityRaceError extends Error {
  constructor() {
    super('capacity changed while planning');
  }
}

/** Gives back exactly what an allocation holds (its allocation_days rows). */
export async function releaseAllocation(m: EntityManager, allocationId: string): Promise<void> {
  await m.query(
    `UPDATE capacity_days c SET reserved = c.reserved - d.units
     FROM (SELECT line_id, day, units FROM allocation_days WHERE allocation_id = $1 ORDER BY line_id, day) d
     WHERE c.line_id = d.line_id AND c.day = d.day`,
    [allocationId],
  );
  await m.query(`DELETE FROM allocation_days WHERE allocation_id = $1`, [allocationId]);
}

/**
 * The ledger cells these allocations hold, read without changing them: what releasing them would
 * give back (the matcher gives a style order's later stages back in memory before it re-plans them).
 */
export async function heldCells(m: EntityManager, allocationIds: readonly string[]): Promise<(LedgerCell & { readonly allocationId: string })[]> {
  if (allocationIds.length === 0) return [];
  return m.query(
    `SELECT allocation_id AS "allocationId", line_id AS "lineId", to_char(day, 'YYYY-MM-DD') AS day, units::float8 AS units
     FROM allocation_days WHERE allocation_id = ANY($1::uuid[]) ORDER BY line_id, day`,
    [allocationIds],
  );
}

/** A factory's record (answers, production on time) ranks its lines: matchers must re-read them. */
export async function touchFactoryLines(m: EntityManager, factoryId: string): Promise<void> {
  await m.query(`UPDATE lines SET version = nextval('ledger_version') WHERE factory_id = $1`, [factoryId]);
}

/**
 * Lays an allocation's demand again on its line so that it is done by `to` (a counteroffer's
 * later end date): what it holds is given back and the same units taken again, the latest days
 * first from `to` down to `from`, as a factory that asks for more time means to use it. The
 * cells are locked in day order, as the matcher locks them (orders first, then cells in
 * `(line, day)` order; the caller holds the order), and read under the lock, so what is taken
 * is at most what is free then, with the allocation's own units counted as free. Answers the
 * new first and last day, or null (nothing changed) when the line has not the free capacity.
 * `dryRun`: only answers whether it fits (the cells stay locked until the caller's commit).
 */
export async function relayAllocation(
  m: EntityManager, allocation: { readonly id: string; readonly lineId: string; readonly demand: number }, from: string, to: string, dryRun = false,
): Promise<{ startDate: string; endDate: string } | null> {
  const cells = await m.query<{ day: string; free: string }[]>(
    `SELECT c.day::text AS day, (c.capacity - c.reserved + coalesce(d.units, 0))::text AS free
     FROM capacity_days c LEFT JOIN allocation_days d ON d.allocation_id = $1 AND d.day = c.day
     WHERE c.line_id = $2 AND ((c.day BETWEEN $3::date AND $4::date) OR d.units IS NOT NULL)
     ORDER BY c.day FOR UPDATE OF c`,
    [allocation.id, allocation.lineId, from, to],
  );
  let left = allocation.demand;
  const taken: LedgerCell[] = [];
  for (const cell of cells.filter((c) => c.day >= from && c.day <= to).reverse()) {
    if (left <= 0) break;
    const units = Math.min(Number(cell.free), left);
    if (units > 0) taken.push({ lineId: allocation.lineId, day: cell.day, units });
    left -= units;
  }
  if (left > 0) return null;
  const days = taken.map((c) => c.day).sort();
  const laid = { startDate: days[0]!, endDate: days.at(-1)! };
  if (dryRun) return laid;
  await releaseAllocation(m, allocation.id);
  await m.query(
    `WITH v AS (SELECT * FROM unnest($2::date[], $3::bigint[]) AS v(day, units)),
     r AS (UPDATE capacity_days c SET reserved = c.reserved + v.units FROM v WHERE c.line_id = $4 AND c.day = v.day)
     INSERT INTO allocation_days (allocation_id, line_id, day, units) SELECT $1, $4, day, units FROM v`,
    [allocation.id, taken.map((c) => c.day), taken.map((c) => c.units), allocation.lineId],
  );
  return laid;
}
