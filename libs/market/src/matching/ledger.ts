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

const columns = (cells: readonly LedgerCell[]): [string[], string[], number[]] => {
  const sorted = [...cells].sort((a, b) => (a.lineId === b.lineId ? a.day.localeCompare(b.day) : a.lineId.localeCompare(b.lineId)));
  return [sorted.map((c) => c.lineId), sorted.map((c) => c.day), sorted.map((c) => c.units)];
};

export const cellKey = (c: { readonly lineId: string; readonly day: string }): string => `${c.lineId}/${c.day}`;

/**
 * Reserves each cell that still has the units free and answers the keys (`cellKey`) of those
 * that have not: another matcher took them after this one planned. Rows are locked in
 * (line, day) order so two matchers never deadlock; the conditional update re-checks free
 * capacity under the lock, and the CHECK constraint backs it up. The database, not timing,
 * guarantees no loom is over-booked. Cells must be distinct.
 */
export async function reserveWhatFits(m: EntityManager, cells: readonly LedgerCell[]): Promise<Set<string>> {
  if (cells.length === 0) return new Set();
  const [lines, days, units] = columns(cells);
  await m.query(
    `SELECT 1 FROM capacity_days c JOIN unnest($1::uuid[], $2::date[]) AS v(line_id, day) USING (line_id, day)
     ORDER BY c.line_id, c.day FOR UPDATE OF c`,
    [lines, days],
  );
  // Wrapped in a SELECT: TypeORM answers a bare UPDATE with [rows, count] instead of rows.
  const rows = await m.query<{ lineId: string; day: string }[]>(
    `WITH u AS (
       UPDATE capacity_days c SET reserved = c.reserved + v.units
       FROM unnest($1::uuid[], $2::date[], $3::bigint[]) AS v(line_id, day, units)
       WHERE c.line_id = v.line_id AND c.day = v.day AND c.reserved + v.units <= c.capacity
       RETURNING c.line_id, c.day)
     SELECT line_id AS "lineId", to_char(day, 'YYYY-MM-DD') AS day FROM u`,
    [lines, days, units],
  );
  const taken = new Set(rows.map(cellKey));
  return new Set(cells.map(cellKey).filter((k) => !taken.has(k)));
}

/** Gives back units reserved earlier in the same transaction (rows already locked). */
export async function releaseCells(m: EntityManager, cells: readonly LedgerCell[]): Promise<void> {
  if (cells.length === 0) return;
  const [lines, days, units] = columns(cells);
  await m.query(
    `UPDATE capacity_days c SET reserved = c.reserved - v.units
     FROM unnest($1::uuid[], $2::date[], $3::bigint[]) AS v(line_id, day, units)
     WHERE c.line_id = v.line_id AND c.day = v.day`,
    [lines, days, units],
  );
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

/** A factory's record (answers, production on time) ranks its lines: matchers must re-read them. */
export async function touchFactoryLines(m: EntityManager, factoryId: string): Promise<void> {
  await m.query(`UPDATE lines SET version = nextval('ledger_version') WHERE factory_id = $1`, [factoryId]);
}
