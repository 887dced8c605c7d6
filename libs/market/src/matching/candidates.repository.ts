import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import type { CandidateLine, LineSpec, OrderSpec } from '@cloudloom/matching';
import type { DataSource, EntityManager } from 'typeorm';

interface LineRow {
  lineId: string;
  factoryId: string;
  spec: LineSpec;
  ratePerUnit: number;
  certifications: string[];
  verified: boolean;
  active: boolean;
  autoAccept: boolean;
  load: number;
}

export interface Candidates {
  readonly lines: CandidateLine[];
  readonly autoAccept: ReadonlySet<string>;
}

/** A neutral prior until the factory's record is computed from history. */
const NEUTRAL_RECORD = { onTimeRate: 0.9, acceptanceRate: 0.9 } as const;

/**
 * Loads the lines of the order's kind with their free capacity from the ledger, day 0 being
 * `today`. The planner applies every rule itself, so it can explain each line it passes over.
 */
@Injectable()
export class CandidatesRepository {
  constructor(@InjectDataSource() private readonly db: DataSource) {}

  async load(order: OrderSpec, today: string, lastDay: number, m: EntityManager = this.db.manager): Promise<Candidates> {
    const kind = order.kind === 'fabric' ? 'weaving' : 'sewing';
    const rows: LineRow[] = await m.query(
      `SELECT l.id AS "lineId", l.factory_id AS "factoryId", l.spec, l.rate_per_unit::float8 AS "ratePerUnit",
              o.certifications, o.verified, o.active, o.auto_accept AS "autoAccept",
              COALESCE((SELECT sum(reserved)::float8 / NULLIF(sum(capacity), 0) FROM capacity_days c WHERE c.line_id = l.id), 0) AS load
       FROM lines l JOIN organizations o ON o.id = l.factory_id
       WHERE l.active AND l.kind = $1
       ORDER BY l.id`,
      [kind],
    );
    const free = new Map<string, number[]>(rows.map((r) => [r.lineId, new Array<number>(Math.max(lastDay + 1, 0)).fill(0)]));
    if (rows.length > 0 && lastDay >= 0) {
      const cells: { lineId: string; d: number; free: number }[] = await m.query(
        `SELECT line_id AS "lineId", (day - $2::date) AS d, (capacity - reserved)::float8 AS free
         FROM capacity_days WHERE line_id = ANY($1::uuid[]) AND day BETWEEN $2::date AND $2::date + $3::int`,
        [rows.map((r) => r.lineId), today, lastDay],
      );
      for (const cell of cells) {
        const days = free.get(cell.lineId);
        if (days) days[cell.d] = cell.free;
      }
    }
    return {
      lines: rows.map((r) => ({
        lineId: r.lineId,
        factoryId: r.factoryId,
        spec: r.spec,
        ratePerUnit: r.ratePerUnit,
        certifications: r.certifications,
        factoryVerified: r.verified,
        factoryActive: r.active,
        record: NEUTRAL_RECORD,
        load: r.load,
        free: free.get(r.lineId) ?? [],
      })),
      autoAccept: new Set(rows.filter((r) => r.autoAccept).map((r) => r.factoryId)),
    };
  }
}
