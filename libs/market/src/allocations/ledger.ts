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
