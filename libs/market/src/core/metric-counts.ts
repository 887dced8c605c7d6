import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import type { DataSource, EntityManager } from 'typeorm';

/** The metrics kept in `metric_totals` and `metric_deltas` (see the migration `MetricCounts`). */
export type CountedMetric = 'orders' | 'orders_posted' | 'offers' | 'time_to_match_bucket' | 'time_to_match_sum' | 'sweep_step_failures' | 'jobs_failed' | 'match_races_lost';

/** One reading of every counted metric: metric → label → value. */
export type MetricCountsSnapshot = ReadonlyMap<string, ReadonlyMap<string, number>>;

/**
 * Counters observed where the change commits, shared by every process: the triggers of the
 * orders and allocations tables write most of them; the worker counts its own failures here.
 * Writers only append; `fold` moves the appended rows into the totals in one statement.
 */
@Injectable()
export class MetricCounts {
  constructor(@InjectDataSource() private readonly db: DataSource) {}

  /** Adds to a counter; with `m`, inside the caller's transaction. */
  async add(metric: CountedMetric, label: string, value = 1, m: EntityManager = this.db.manager): Promise<void> {
    await m.query(`INSERT INTO metric_deltas (metric, label, value) VALUES ($1, $2, $3)`, [metric, label, value]);
  }

  /**
   * Folds what writers appended into the totals. Rows are deleted and added to the totals in one
   * statement, so any snapshot sees each observation exactly once, in one table or the other.
   */
  async fold(): Promise<void> {
    await this.db.query(
      `WITH moved AS (DELETE FROM metric_deltas RETURNING metric, label, value)
       INSERT INTO metric_totals (metric, label, value)
       SELECT metric, label, sum(value) FROM moved GROUP BY metric, label ORDER BY metric, label
       ON CONFLICT (metric, label) DO UPDATE SET value = metric_totals.value + excluded.value`,
    );
  }

  /** Every metric in one statement (one snapshot): totals plus what was appended since the last fold. */
  async read(): Promise<MetricCountsSnapshot> {
    const rows = await this.db.query<{ metric: string; label: string; value: number }[]>(
      `SELECT metric, label, sum(value)::float8 AS value
       FROM (SELECT metric, label, value FROM metric_totals UNION ALL SELECT metric, label, value FROM metric_deltas) m
       GROUP BY metric, label`,
    );
    const snapshot = new Map<string, Map<string, number>>();
    for (const row of rows) {
      const labels = snapshot.get(row.metric) ?? new Map<string, number>();
      labels.set(row.label, row.value);
      snapshot.set(row.metric, labels);
    }
    return snapshot;
  }
}
