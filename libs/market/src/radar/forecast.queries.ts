import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import type { DataSource } from 'typeorm';

/**
 * The key a row of the forecast is filed under: a weaving line by its machine type, a sewing line
 * once per garment category it sews (so sewing capacity is "what could serve this category", and
 * categories of one cluster overlap).
 */
const SEGMENT = `
  CROSS JOIN LATERAL (
    SELECT l.spec->>'machineType' AS segment WHERE l.kind = 'weaving'
    UNION ALL SELECT jsonb_array_elements_text(l.spec->'categories') WHERE l.kind = 'sewing') s`;
const CLUSTER = `coalesce(nullif(concat_ws(', ', f.city, f.province), ''), 'unknown')`;

export interface SegmentDay {
  readonly cluster: string;
  readonly kind: 'weaving' | 'sewing';
  readonly segment: string;
  /** day offset from the first day asked for */
  readonly day: number;
  readonly capacity: number;
  readonly reserved: number;
}

export interface SegmentLines {
  readonly cluster: string;
  readonly kind: 'weaving' | 'sewing';
  readonly segment: string;
  readonly lines: number;
}

export interface ClusterSide {
  readonly cluster: string;
  readonly kind: 'weaving' | 'sewing';
  readonly mills: number;
  readonly lines: number;
  readonly machines: number;
  readonly leadTimeDays: number | null;
}

/** The radar's reads: across all organizations, for operators only. One statement each. */
@Injectable()
export class ForecastQueries {
  constructor(@InjectDataSource() private readonly db: DataSource) {}

  /** Active lines of verified factories, per cluster and segment: what the forecast has rows for. */
  async segments(): Promise<SegmentLines[]> {
    return this.db.query<SegmentLines[]>(
      `SELECT ${CLUSTER} AS cluster, l.kind, s.segment, count(*)::int AS lines
       FROM lines l JOIN organizations f ON f.id = l.factory_id ${SEGMENT}
       WHERE l.active AND f.verified AND f.active
       GROUP BY 1, 2, 3 ORDER BY 1, 2, 3`,
    );
  }

  /**
   * Per cluster and kind: its mills, lines and looms (or operators), and its typical lead time:
   * the median days from an order's posting to the end date of the work placed here since `from`
   * (offers declined or let expire, and work released, are left out: the order went elsewhere).
   */
  async clusterSides(from: string): Promise<ClusterSide[]> {
    return this.db.query<ClusterSide[]>(
      `WITH sides AS (
         SELECT ${CLUSTER} AS cluster, l.kind, count(DISTINCT f.id)::int AS mills, count(*)::int AS lines,
                sum(CASE WHEN l.kind = 'weaving' THEN (l.spec->>'machines')::int ELSE (l.spec->>'operators')::int END)::int AS machines
         FROM lines l JOIN organizations f ON f.id = l.factory_id
         WHERE l.active AND f.verified AND f.active
         GROUP BY 1, 2),
       lead AS (
         SELECT ${CLUSTER} AS cluster, l.kind,
                percentile_cont(0.5) WITHIN GROUP (ORDER BY a.end_date - (o.created_at AT TIME ZONE 'UTC')::date)::float8 AS days
         FROM allocations a JOIN orders o ON o.id = a.order_id JOIN lines l ON l.id = a.line_id JOIN organizations f ON f.id = l.factory_id
         WHERE a.created_at >= $1::date AT TIME ZONE 'UTC' AND a.status NOT IN ('rejected', 'expired', 'cancelled')
         GROUP BY 1, 2)
       SELECT s.cluster, s.kind, s.mills, s.lines, s.machines, lead.days AS "leadTimeDays"
       FROM sides s LEFT JOIN lead ON lead.cluster = s.cluster AND lead.kind = s.kind
       ORDER BY 1, 2`,
      [from],
    );
  }

  /** The ledger per cluster, segment and day over [from, from + days): capacity and reserved units. */
  async ledger(from: string, days: number): Promise<SegmentDay[]> {
    const rows = await this.db.query<(Omit<SegmentDay, 'capacity' | 'reserved'> & { capacity: string; reserved: string })[]>(
      `WITH per_line AS (
         SELECT line_id, (day - $1::date) AS day, capacity, reserved FROM capacity_days
         WHERE day >= $1::date AND day < $1::date + $2::int)
       SELECT ${CLUSTER} AS cluster, l.kind, s.segment, p.day, sum(p.capacity)::text AS capacity, sum(p.reserved)::text AS reserved
       FROM per_line p JOIN lines l ON l.id = p.line_id JOIN organizations f ON f.id = l.factory_id ${SEGMENT}
       WHERE l.active AND f.verified AND f.active
       GROUP BY 1, 2, 3, 4`,
      [from, days],
    );
    return rows.map((r) => ({ ...r, capacity: Number(r.capacity), reserved: Number(r.reserved) }));
  }

  /**
   * Work placed in each cluster and segment per day of [from, from + days), in capacity units, by
   * the day it was matched: the demand the cluster received. Offers rejected or let expire are
   * left out, because their orders were matched again and would count twice.
   */
  async placedDemand(from: string, days: number): Promise<SegmentDay[]> {
    const rows = await this.db.query<(Omit<SegmentDay, 'capacity' | 'reserved'> & { reserved: string })[]>(
      `SELECT ${CLUSTER} AS cluster, l.kind, s.segment, ((a.created_at AT TIME ZONE 'UTC')::date - $1::date) AS day, sum(a.demand)::text AS reserved
       FROM allocations a JOIN lines l ON l.id = a.line_id JOIN organizations f ON f.id = l.factory_id ${SEGMENT}
       WHERE a.created_at >= $1::date AT TIME ZONE 'UTC' AND a.created_at < ($1::date + $2::int) AT TIME ZONE 'UTC'
         AND a.status NOT IN ('rejected', 'expired')
         AND (l.kind = 'weaving' OR s.segment = (SELECT o.spec->'garment'->>'category' FROM orders o WHERE o.id = a.order_id))
       GROUP BY 1, 2, 3, 4`,
      [from, days],
    );
    return rows.map((r) => ({ ...r, capacity: 0, reserved: Number(r.reserved) }));
  }
}
