import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import type { DataSource } from 'typeorm';
import { FACTORY_SIZES_SQL } from './fairness';

/** How long from an order being stored to its first plan: its first allocation's creation. */
const TIME_TO_MATCH = `
  SELECT extract(epoch FROM min(a.created_at) - o.created_at)::float8 AS s
  FROM orders o JOIN allocations a ON a.order_id = o.id
  GROUP BY o.id, o.created_at`;

export interface CountByKey {
  readonly key: string;
  readonly count: number;
}

export interface LoadRow {
  readonly kind: 'weaving' | 'sewing' | 'finishing';
  readonly machineType: string;
  readonly city: string | null;
  readonly province: string | null;
  readonly reserved: number;
  readonly capacity: number;
}

export interface HistogramCounts {
  /** Cumulative: observations at or below each bound, in the order of the bounds given. */
  readonly buckets: readonly number[];
  readonly count: number;
  readonly sum: number;
}

/**
 * The read side for operators and metrics: aggregate SQL over the tables that are the truth,
 * so every API process reports the same numbers whichever process did the work.
 */
@Injectable()
export class MarketQueries {
  constructor(@InjectDataSource() private readonly db: DataSource) {}

  async ordersByStatus(): Promise<CountByKey[]> {
    return this.counts(`SELECT status AS key, count(*)::int AS count FROM orders GROUP BY status`);
  }

  async ordersByKind(): Promise<CountByKey[]> {
    return this.counts(`SELECT kind AS key, count(*)::int AS count FROM orders GROUP BY kind`);
  }

  async allocationsByStatus(): Promise<CountByKey[]> {
    return this.counts(`SELECT status AS key, count(*)::int AS count FROM allocations GROUP BY status`);
  }

  /** The operators' view (any bounds): one statement, so the buckets and the total are one snapshot. */
  async timeToMatchHistogram(bounds: readonly number[]): Promise<HistogramCounts> {
    const [row] = await this.db.query<{ buckets: number[] | null; count: number; sum: number }[]>(
      `WITH t AS (${TIME_TO_MATCH})
       SELECT (SELECT array_agg(n ORDER BY i) FROM (
                 SELECT b.i, count(t.s)::int AS n FROM unnest($1::float8[]) WITH ORDINALITY AS b(le, i) LEFT JOIN t ON t.s <= b.le GROUP BY b.i) x) AS buckets,
              (SELECT count(*)::int FROM t) AS count, (SELECT coalesce(sum(s), 0)::float8 FROM t) AS sum`,
      [bounds],
    );
    return { buckets: row?.buckets ?? [], count: row?.count ?? 0, sum: row?.sum ?? 0 };
  }

  async timeToMatchPercentiles(): Promise<{ count: number; p50: number | null; p95: number | null }> {
    const [row] = await this.db.query<{ count: number; p50: number | null; p95: number | null }[]>(
      `WITH t AS (${TIME_TO_MATCH})
       SELECT count(*)::int AS count,
              percentile_cont(0.5) WITHIN GROUP (ORDER BY s)::float8 AS p50,
              percentile_cont(0.95) WITHIN GROUP (ORDER BY s)::float8 AS p95
       FROM t`,
    );
    return row ?? { count: 0, p50: null, p95: null };
  }

  /** Reserved and available capacity of active lines over [from, from + days), by machine and place. */
  async load(from: string, days: number): Promise<LoadRow[]> {
    // The ledger is summed per line first (its primary key is (line_id, day)), then grouped by
    // machine and place: four times faster at the reference market's 1.2 million ledger rows.
    const rows = await this.db.query<(Omit<LoadRow, 'reserved' | 'capacity'> & { reserved: string; capacity: string })[]>(
      `WITH per_line AS (
         SELECT line_id, sum(reserved) AS reserved, sum(capacity) AS capacity FROM capacity_days
         WHERE day >= $1::date AND day < $1::date + $2::int GROUP BY line_id)
       SELECT l.kind, coalesce(l.spec->>'machineType', l.kind) AS "machineType", f.city, f.province,
              sum(p.reserved)::text AS reserved, sum(p.capacity)::text AS capacity
       FROM per_line p JOIN lines l ON l.id = p.line_id JOIN organizations f ON f.id = l.factory_id
       WHERE l.active
       GROUP BY 1, 2, 3, 4`,
      [from, days],
    );
    return rows.map((r) => ({ ...r, reserved: Number(r.reserved), capacity: Number(r.capacity) }));
  }

  /**
   * Per verified factory with an active line: its looms and operators (active lines) and the
   * processing value (CNY) of the work it holds; and the orders holding work, in total and with
   * some at a small mill. One statement, so the figures are one snapshot.
   */
  async workByFactory(maxLooms: number, maxOperators: number): Promise<{ factories: { small: boolean; value: number }[]; orders: { total: number; atSmallMills: number } }> {
    const [row] = await this.db.query<{ factories: { small: boolean; value: number }[] | null; total: number; atSmall: number }[]>(
      `WITH f AS (${FACTORY_SIZES_SQL}),
       w AS (SELECT factory_id, order_id, price FROM allocations WHERE status IN ('offered', 'accepted', 'in_production', 'produced')),
       per AS (SELECT f.id, f.small, coalesce(sum(w.price), 0)::float8 AS value FROM f LEFT JOIN w ON w.factory_id = f.id GROUP BY f.id, f.small)
       SELECT (SELECT json_agg(json_build_object('small', small, 'value', value)) FROM per) AS factories,
              (SELECT count(DISTINCT order_id)::int FROM w) AS total,
              (SELECT count(DISTINCT w.order_id)::int FROM w JOIN f ON f.id = w.factory_id WHERE f.small) AS "atSmall"`,
      [maxLooms, maxOperators],
    );
    return { factories: row?.factories ?? [], orders: { total: row?.total ?? 0, atSmallMills: row?.atSmall ?? 0 } };
  }

  private async counts(sql: string): Promise<CountByKey[]> {
    return this.db.query<CountByKey[]>(sql);
  }
}
