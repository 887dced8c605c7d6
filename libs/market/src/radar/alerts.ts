import { Inject, Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import type { AlertKind, AlertPayload } from '@cloudloom/contracts';
import { type AlertConfig, type AppConfig, APP_CONFIG } from '@cloudloom/platform';
import type { DataSource, EntityManager } from 'typeorm';
import { EventsWriter } from '../events/events.writer';
import { STRANDED_ORDERS } from '../observability/audit';

/** Orders and lines listed per alert: enough to act on, bounded so a storm stays one small row. */
const LIST = 50;
const API = '/api/v1';
const CLUSTER = `coalesce(nullif(concat_ws(', ', f.city, f.province), ''), 'unknown')`;

/** A cause as evaluated now: what the alert would say if it were raised. */
export type Finding = Omit<AlertPayload, 'alertId' | 'since'>;

export interface EvaluationReport {
  readonly raised: number;
  readonly cleared: number;
  readonly open: number;
}

const pct = (x: number): string => `${Math.round(x * 1000) / 10}%`;

/**
 * The radar's early warning (DESIGN.md §12). `evaluate` reads every cause afresh and brings the
 * `alerts` table in line in one transaction: a cause found with no open alert raises one
 * (`alert.raised`), an open alert whose cause is no longer found is cleared (`alert.cleared`),
 * and one still found keeps its id and `raised_at` ("since") with its detail refreshed. The table
 * is the alerts' one home and this class its one writer; the sweep runs it, so it is periodic,
 * idempotent and safe in any number of workers (the open-cause index and the table lock).
 */
@Injectable()
export class AlertsEvaluator {
  private readonly thresholds: AlertConfig;

  constructor(
    @InjectDataSource() private readonly db: DataSource,
    @Inject(APP_CONFIG) config: AppConfig,
    private readonly events: EventsWriter,
  ) {
    this.thresholds = config.alerts;
  }

  async evaluate(): Promise<EvaluationReport> {
    return this.db.transaction(async (m) => {
      // One evaluator at a time: two sweeps comparing the same open alerts would raise twice.
      await m.query(`LOCK TABLE alerts IN SHARE ROW EXCLUSIVE MODE`);
      const findings = [...(await this.booked(m)), ...(await this.reasonsRising(m)), ...(await this.loomsDown(m)), ...(await this.stranded(m))];
      const open = await m.query<{ id: string; kind: AlertKind; cause: string; raisedAt: Date }[]>(`SELECT id, kind, cause, raised_at AS "raisedAt" FROM alerts WHERE cleared_at IS NULL`);
      const openByCause = new Map(open.map((a) => [a.cause, a]));
      const found = new Set(findings.map((f) => f.cause));
      let raised = 0;
      for (const f of findings) {
        const existing = openByCause.get(f.cause);
        if (existing) {
          await m.query(`UPDATE alerts SET detail = $2, updated_at = now() WHERE id = $1`, [existing.id, JSON.stringify({ ...f, alertId: existing.id, since: existing.raisedAt.toISOString() })]);
          continue;
        }
        const [row] = await m.query<{ id: string; raisedAt: Date }[]>(
          `INSERT INTO alerts (kind, cause, subject, detail) VALUES ($1, $2, $3, '{}') RETURNING id, raised_at AS "raisedAt"`,
          [f.kind, f.cause, f.subject],
        );
        const payload: AlertPayload = { ...f, alertId: row!.id, since: row!.raisedAt.toISOString() };
        await m.query(`UPDATE alerts SET detail = $2 WHERE id = $1`, [row!.id, JSON.stringify(payload)]);
        await this.events.append(m, [{ type: 'alert.raised', audience: [], payload }]);
        raised++;
      }
      const ended = open.filter((a) => !found.has(a.cause));
      if (ended.length) {
        await m.query(`UPDATE alerts SET cleared_at = now(), updated_at = now() WHERE id = ANY($1::uuid[])`, [ended.map((a) => a.id)]);
        await this.events.append(m, ended.map((a) => ({ type: 'alert.cleared' as const, audience: [], payload: { alertId: a.id, kind: a.kind, cause: a.cause, raisedAt: a.raisedAt.toISOString() } })));
      }
      return { raised, cleared: ended.length, open: findings.length };
    });
  }

  /** Per cluster: the days of the coming week (today included) booked past the threshold. */
  private async booked(m: EntityManager): Promise<Finding[]> {
    const rows = await m.query<{ cluster: string; days: string[]; share: number; lineIds: string[]; orderIds: string[] }[]>(
      `WITH d AS (
         SELECT ${CLUSTER} AS cluster, c.day, sum(c.reserved)::float8 / nullif(sum(c.capacity), 0) AS share
         FROM capacity_days c JOIN lines l ON l.id = c.line_id JOIN organizations f ON f.id = l.factory_id
         WHERE c.day >= current_date AND c.day < current_date + 7 AND l.active AND f.verified AND f.active
         GROUP BY 1, 2),
       hot AS (SELECT cluster, array_agg(to_char(day, 'YYYY-MM-DD') ORDER BY day) AS days, max(share) AS share, min(day) AS first, max(day) AS last
               FROM d WHERE share >= $1 GROUP BY cluster)
       SELECT h.cluster, h.days, h.share,
              array(SELECT DISTINCT l.id FROM capacity_days c JOIN lines l ON l.id = c.line_id JOIN organizations f ON f.id = l.factory_id
                    WHERE ${CLUSTER} = h.cluster AND c.day BETWEEN h.first AND h.last AND c.reserved > 0 AND l.active AND f.verified ORDER BY l.id LIMIT ${LIST}) AS "lineIds",
              array(SELECT DISTINCT a.order_id FROM allocation_days ad JOIN allocations a ON a.id = ad.allocation_id JOIN lines l ON l.id = ad.line_id JOIN organizations f ON f.id = l.factory_id
                    WHERE ${CLUSTER} = h.cluster AND ad.day BETWEEN h.first AND h.last ORDER BY a.order_id LIMIT ${LIST}) AS "orderIds"
       FROM hot h ORDER BY h.cluster`,
      [this.thresholds.bookedShare],
    );
    return rows.map((r) => ({
      kind: 'booked',
      cause: `booked:${r.cluster}`,
      subject: r.cluster,
      summary: `${r.cluster}: ${r.days.length} of the coming 7 days booked past ${pct(this.thresholds.bookedShare)} of capacity (up to ${pct(r.share)}), from ${r.days[0]}`,
      params: { cluster: r.cluster, days: r.days.length, threshold: this.thresholds.bookedShare, peak: r.share, from: r.days[0] ?? null },
      value: r.share,
      threshold: this.thresholds.bookedShare,
      days: r.days,
      orderIds: r.orderIds,
      lineIds: r.lineIds,
      links: [`${API}/market/forecast`, ...r.orderIds.map((id) => `${API}/orders/${id}`)],
    }));
  }

  /**
   * Per reason code: orders left without a plan for that reason within the window, against the
   * reason's own rate over the week before. Fires only when both at least `reasonMinOrders` and
   * `reasonFactor` times the baseline: a reason that is always common, or a handful of orders on a
   * quiet day, is noise.
   */
  private async reasonsRising(m: EntityManager): Promise<Finding[]> {
    const { reasonWindowMinutes: window, reasonMinOrders: min, reasonFactor: factor } = this.thresholds;
    const rows = await m.query<{ code: string; recent: number; baseline: number; orderIds: string[] }[]>(
      `WITH r AS (
         SELECT o.id, x->>'code' AS code, (o.explanation->>'plannedAt')::timestamptz AS at
         FROM orders o CROSS JOIN LATERAL jsonb_array_elements(o.explanation->'reasons') x
         WHERE o.status IN ('unmatched', 'partial') AND o.explanation ? 'reasons'
           AND (o.explanation->>'plannedAt')::timestamptz >= now() - make_interval(mins => $1) - interval '7 days')
       SELECT code,
              count(DISTINCT id) FILTER (WHERE at >= now() - make_interval(mins => $1))::int AS recent,
              (count(DISTINCT id) FILTER (WHERE at < now() - make_interval(mins => $1)))::float8 * $1 / (7 * 1440) AS baseline,
              (array_agg(DISTINCT id) FILTER (WHERE at >= now() - make_interval(mins => $1)))[1:${LIST}] AS "orderIds"
       FROM r GROUP BY code
       HAVING count(DISTINCT id) FILTER (WHERE at >= now() - make_interval(mins => $1)) >= $2
          AND count(DISTINCT id) FILTER (WHERE at >= now() - make_interval(mins => $1))
              > $3 * (count(DISTINCT id) FILTER (WHERE at < now() - make_interval(mins => $1)))::float8 * $1 / (7 * 1440)
       ORDER BY code`,
      [window, min, factor],
    );
    return rows.map((r) => ({
      kind: 'reason-rising',
      cause: `reason-rising:${r.code}`,
      subject: r.code,
      summary: `${r.recent} orders left unmatched for "${r.code}" in the last ${window} min, against ${r.baseline.toFixed(1)} expected from the week before (alert at ${factor}× and at least ${min})`,
      params: { code: r.code, orders: r.recent, windowMinutes: window, expected: Math.round(r.baseline * 10) / 10, factor, minOrders: min },
      value: r.recent,
      threshold: Math.max(min, factor * r.baseline),
      orderIds: r.orderIds,
      lineIds: [],
      links: [`${API}/market/orders?status=unmatched`, ...r.orderIds.map((id) => `${API}/orders/${id}`)],
    }));
  }

  /**
   * Per cluster: looms down spiking. The share of its reporting looms down now, against the
   * cluster's own share over the 7 days before (its hourly rollups, `looms_down` / `looms_reporting`
   * summed over the hours): it fires when the share is at least `loomsDownShare` (a floor: one loom
   * of a small cluster is not a spike) *and* at least `loomsDownRise` above that baseline, so a
   * cluster whose old looms are always partly down is not flagged every sweep, while one that
   * rarely loses a loom is flagged when several go at once. A rise in points, not a ratio: a ratio
   * could never fire for a cluster usually a third down. With no history yet (a new cluster, or no
   * rollups) the floor alone decides, and the summary says so.
   */
  private async loomsDown(m: EntityManager): Promise<Finding[]> {
    const { loomsDownShare: floor, loomsDownRise: rise } = this.thresholds;
    const rows = await m.query<{ cluster: string; down: number; machines: number; baseline: number | null; since: string | null; lineIds: string[] }[]>(
      `WITH now AS (
         SELECT ${CLUSTER} AS cluster, count(*) FILTER (WHERE mc.state = 'down')::int AS down, count(*)::int AS machines,
                (array_agg(DISTINCT mc.line_id) FILTER (WHERE mc.state = 'down'))[1:${LIST}] AS "lineIds",
                to_char(min(mc.down_since) FILTER (WHERE mc.state = 'down') AT TIME ZONE 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS"Z"') AS since
         FROM machines mc JOIN lines l ON l.id = mc.line_id JOIN organizations f ON f.id = l.factory_id
         WHERE mc.state IS NOT NULL AND l.active
         GROUP BY 1),
       past AS (
         SELECT cluster, sum(value) FILTER (WHERE metric = 'looms_down') / nullif(sum(value) FILTER (WHERE metric = 'looms_reporting'), 0) AS baseline
         FROM market_rollups
         WHERE grain = 'hour' AND bucket >= now() - interval '7 days 2 hours' AND bucket < now() - interval '2 hours'
           AND metric IN ('looms_down', 'looms_reporting') AND cluster <> ''
         GROUP BY cluster)
       SELECT n.cluster, n.down, n.machines, p.baseline::float8 AS baseline, n.since, n."lineIds"
       FROM now n LEFT JOIN past p ON p.cluster = n.cluster
       WHERE n.down::float8 / n.machines >= $1 AND (p.baseline IS NULL OR n.down::float8 / n.machines >= p.baseline + $2)
       ORDER BY 1`,
      [floor, rise],
    );
    return rows.map((r) => {
      const share = r.down / r.machines;
      const against = r.baseline === null
        ? `no history yet; alert at ${pct(floor)}`
        : `against ${pct(r.baseline)} over the 7 days before; alert at ${Math.round(rise * 100)} points above that and at least ${pct(floor)}`;
      return {
        kind: 'looms-down',
        cause: `looms-down:${r.cluster}`,
        subject: r.cluster,
        summary: `${r.cluster}: ${r.down} of ${r.machines} reporting looms down (${pct(share)}, ${against})${r.since ? `, the first down since ${r.since}` : ''}`,
        params: { cluster: r.cluster, down: r.down, machines: r.machines, share, baseline: r.baseline, floor, rise, since: r.since },
        value: share,
        threshold: r.baseline === null ? floor : Math.max(floor, r.baseline + rise),
        orderIds: [],
        lineIds: r.lineIds,
        // The operator's factory list (lines, looms, load); the line ids name the lines behind it.
        links: [`${API}/factories`],
      };
    });
  }

  /** The audit's stranded orders: still waiting a day past their due date with nothing held. */
  private async stranded(m: EntityManager): Promise<Finding[]> {
    const [row] = await m.query<{ n: number; orderIds: string[] }[]>(
      `SELECT count(*)::int AS n, (array_agg(id ORDER BY due_date, id))[1:${LIST}] AS "orderIds" FROM orders WHERE ${STRANDED_ORDERS}`,
    );
    if (!row || row.n === 0) return [];
    return [{
      kind: 'stranded',
      cause: 'stranded:market',
      subject: 'market',
      summary: `${row.n} orders still waiting a day past their due date with nothing held (the sweep should have ended them)`,
      params: { orders: row.n },
      value: row.n,
      threshold: 0,
      orderIds: row.orderIds,
      lineIds: [],
      links: row.orderIds.map((id) => `${API}/orders/${id}`),
    }];
  }

  /** Open alerts first (newest first), then those cleared within the last day. */
  async list(limit: number): Promise<(AlertPayload & { clearedAt: string | null })[]> {
    const rows = await this.db.query<{ detail: AlertPayload; clearedAt: Date | null }[]>(
      `SELECT detail, cleared_at AS "clearedAt" FROM alerts
       WHERE cleared_at IS NULL OR cleared_at > now() - interval '1 day'
       ORDER BY cleared_at IS NOT NULL, raised_at DESC, id LIMIT $1`,
      [limit],
    );
    return rows.map((r) => ({ ...r.detail, clearedAt: r.clearedAt?.toISOString() ?? null }));
  }
}
