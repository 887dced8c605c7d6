import { Inject, Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { type AppConfig, APP_CONFIG } from '@cloudloom/platform';
import type { DataSource, EntityManager } from 'typeorm';

const HOUR_MS = 3_600_000;
const CLUSTER = `coalesce(nullif(concat_ws(', ', f.city, f.province), ''), 'unknown')`;
/** Hours rolled up per sweep at most: a worker back after a day's outage catches up in a few sweeps. */
const CATCH_UP_HOURS = 24;

/**
 * Levels (a snapshot at the hour's end) average over a day; every other metric is a count or a
 * sum over the hour, and adds up.
 */
export const LEVEL_METRICS = ['booked_7d', 'capacity_7d', 'looms_down', 'looms_reporting'] as const;

/**
 * One hour's figures, each row (cluster, segment, metric, value); market-wide rows have cluster
 * and segment ''. Every read is bounded by the hour on an indexed column, so an hour's rollup
 * costs what happened in that hour, whatever the tables' size.
 */
const HOUR_FIGURES = `
  WITH first_match AS (
    SELECT a.order_id, min(a.created_at) AS at FROM allocations a
    WHERE a.created_at >= $1 AND a.created_at < $2
      AND NOT EXISTS (SELECT 1 FROM allocations e WHERE e.order_id = a.order_id AND e.created_at < $1)
    GROUP BY a.order_id)
  SELECT '' AS cluster, '' AS segment, 'orders_posted' AS metric, count(*)::float8 AS value FROM orders WHERE created_at >= $1 AND created_at < $2
  UNION ALL SELECT '', '', 'orders_matched', count(*)::float8 FROM first_match
  UNION ALL SELECT '', '', 'time_to_match_seconds_sum', coalesce(sum(extract(epoch FROM fm.at - o.created_at)), 0)::float8 FROM first_match fm JOIN orders o ON o.id = fm.order_id
  UNION ALL SELECT '', '', 'offers_answered', count(*)::float8 FROM allocations WHERE answered_at >= $1 AND answered_at < $2
  UNION ALL SELECT '', '', 'offers_accepted', count(*)::float8 FROM allocations WHERE answered_at >= $1 AND answered_at < $2 AND status IN ('accepted', 'in_production', 'produced')
  UNION ALL SELECT '', coalesce(x->>'code', 'unknown'), 'unmatched', count(DISTINCT o.id)::float8
    FROM orders o CROSS JOIN LATERAL jsonb_array_elements(o.explanation->'reasons') x
    WHERE o.updated_at >= $1 AND o.status IN ('unmatched', 'partial')
      AND (o.explanation->>'plannedAt')::timestamptz >= $1 AND (o.explanation->>'plannedAt')::timestamptz < $2
    GROUP BY 2
  UNION ALL SELECT ${CLUSTER}, CASE WHEN l.kind = 'weaving' THEN coalesce(l.spec->>'machineType', 'unknown') ELSE l.kind END, m.metric, sum(m.value)::float8
    FROM capacity_days c JOIN lines l ON l.id = c.line_id JOIN organizations f ON f.id = l.factory_id
    CROSS JOIN LATERAL (VALUES ('booked_7d', c.reserved), ('capacity_7d', c.capacity)) m(metric, value)
    WHERE c.day >= ($2::timestamptz AT TIME ZONE 'UTC')::date AND c.day < ($2::timestamptz AT TIME ZONE 'UTC')::date + 7 AND l.active AND f.verified
    GROUP BY 1, 2, 3
  UNION ALL SELECT ${CLUSTER}, coalesce(l.spec->>'machineType', 'unknown'), m.metric, sum(m.value)::float8
    FROM machines mc JOIN lines l ON l.id = mc.line_id JOIN organizations f ON f.id = l.factory_id
    CROSS JOIN LATERAL (VALUES ('looms_down', (mc.state = 'down')::int), ('looms_reporting', 1)) m(metric, value)
    WHERE mc.state IS NOT NULL AND l.active
    GROUP BY 1, 2, 3`;

/**
 * The radar's history (issue 20 point 1): the sweep rolls up each closed hour once, and each
 * closed day from its hours. A bucket is written in one statement guarded by its own rows
 * (nothing is written for a bucket that has rows), so a second sweep, a second worker or a retry
 * changes nothing: idempotent per bucket. Only `market_rollups` is written; this class is its home.
 */
@Injectable()
export class MarketRollups {
  constructor(
    @InjectDataSource() private readonly db: DataSource,
    @Inject(APP_CONFIG) private readonly config: AppConfig,
  ) {}

  /**
   * Rolls up the closed hours since the last one rolled (at most a day's worth), then the closed
   * days, then drops the hours past their retention.
   */
  async sweep(now: Date): Promise<{ hours: number; days: number; hoursDropped: number }> {
    const lastClosed = Math.floor(now.getTime() / HOUR_MS) * HOUR_MS - HOUR_MS;
    const [row] = await this.db.query<{ last: Date | null }[]>(`SELECT max(bucket) AS last FROM market_rollups WHERE grain = 'hour'`);
    const first = row?.last ? Math.max(row.last.getTime() + HOUR_MS, lastClosed - (CATCH_UP_HOURS - 1) * HOUR_MS) : lastClosed;
    let hours = 0;
    for (let h = first; h <= lastClosed; h += HOUR_MS) if (await this.rollHour(new Date(h))) hours++;
    let days = 0;
    const lastDay = Math.floor((lastClosed + HOUR_MS) / (24 * HOUR_MS)) * 24 * HOUR_MS - 24 * HOUR_MS;
    for (let d = lastDay - 24 * HOUR_MS; d <= lastDay; d += 24 * HOUR_MS) if (await this.rollDay(new Date(d))) days++;
    return { hours, days, hoursDropped: await this.dropOldHours(now) };
  }

  /**
   * Retention: hourly rows older than `ROLLUP_HOURS_KEPT_DAYS` are deleted, but only those of a
   * day already rolled up, so no figure is lost (days are kept for ever: a year of days is about
   * 1/24 of a year of hours). A range on the primary key; after the first run a sweep deletes
   * only the hours that aged past the cut since the last one. Returns the hours dropped.
   */
  async dropOldHours(now: Date): Promise<number> {
    const cut = new Date(Math.floor(now.getTime() / HOUR_MS) * HOUR_MS - this.config.rollupHoursKeptDays * 24 * HOUR_MS);
    const [row] = await this.db.query<{ hours: number }[]>(
      `WITH gone AS (
         DELETE FROM market_rollups h WHERE h.grain = 'hour' AND h.bucket < $1
           AND EXISTS (SELECT 1 FROM market_rollups d WHERE d.grain = 'day' AND d.cluster = '' AND d.segment = '' AND d.metric = 'rolled'
                       AND d.bucket = date_trunc('day', h.bucket, 'UTC'))
         RETURNING h.metric)
       SELECT count(*) FILTER (WHERE metric = 'rolled')::int AS hours FROM gone`,
      [cut],
    );
    return row?.hours ?? 0;
  }

  /** The hour starting at `start`; false when it was already rolled up. */
  async rollHour(start: Date): Promise<boolean> {
    return this.db.transaction(async (m) => {
      if (!(await this.claim(m, 'hour', start))) return false;
      await m.query(
        `INSERT INTO market_rollups (grain, bucket, cluster, segment, metric, value)
         SELECT 'hour', $1, cluster, segment, metric, value FROM (${HOUR_FIGURES}) x
         UNION ALL SELECT 'hour', $1, '', '', 'rolled', 1`,
        [start, new Date(start.getTime() + HOUR_MS)],
      );
      return true;
    });
  }

  /** The UTC day starting at `start`, from its hourly rows; false if rolled up already or a day with no hours. */
  async rollDay(start: Date): Promise<boolean> {
    return this.db.transaction(async (m) => {
      const [hours] = await m.query<{ n: number }[]>(
        `SELECT count(*)::int AS n FROM market_rollups WHERE grain = 'hour' AND metric = 'rolled' AND bucket >= $1 AND bucket < $1::timestamptz + interval '1 day'`,
        [start],
      );
      if (!hours || hours.n === 0 || !(await this.claim(m, 'day', start))) return false;
      await m.query(
        `INSERT INTO market_rollups (grain, bucket, cluster, segment, metric, value)
         SELECT 'day', $1, cluster, segment, metric, CASE WHEN metric = ANY($2::text[]) THEN avg(value) ELSE sum(value) END
         FROM market_rollups WHERE grain = 'hour' AND bucket >= $1 AND bucket < $1::timestamptz + interval '1 day'
         GROUP BY cluster, segment, metric`,
        [start, LEVEL_METRICS],
      );
      return true;
    });
  }

  /** Serializes writers of one bucket and tells whether it is still to do. */
  private async claim(m: EntityManager, grain: 'hour' | 'day', bucket: Date): Promise<boolean> {
    await m.query(`SELECT pg_advisory_xact_lock(hashtext('market_rollups'), hashtext($1 || $2::text))`, [grain, bucket.toISOString()]);
    const [done] = await m.query<{ n: number }[]>(`SELECT count(*)::int AS n FROM market_rollups WHERE grain = $1 AND bucket = $2 AND metric = 'rolled'`, [grain, bucket]);
    return (done?.n ?? 0) === 0;
  }
}
