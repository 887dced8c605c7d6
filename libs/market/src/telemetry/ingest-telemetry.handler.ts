import { Injectable, Logger } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import type { DataSource, EntityManager } from 'typeorm';
import { Clock } from '../core/clock';
import { JobQueue } from '../jobs/job-queue';
import { ProductionService } from '../production/production.service';
import { LoomCapacity } from './loom-capacity';
import { ReadingDays } from './reading-days';

/** What one batch did, summed up by the database (the readings themselves never come back). */
interface Written {
  written: number;
  /** Lines whose set of down looms may have changed (fast path). */
  changedLines: string[] | null;
  /** Machines with a reading older than their current state: recomputed from all their readings. */
  late: string[] | null;
  picks: NewPicks[] | null;
  /** UTC days of readings that landed in the default partition (no partition for their day yet). */
  homeless: string[] | null;
}

interface NewPicks {
  lineId: string;
  day: string;
  picks: number;
}

/** Meters woven from weft picks: picks ÷ (picks per cm × 100). */
export const metersFromPicks = (picks: number, picksPerCm: number): number => Math.floor(picks / (picksPerCm * 100));

/**
 * One statement per batch: the batch row is taken out, its readings written (repeats dropped),
 * each touched machine's state moved from the batch alone when all its new readings follow its
 * current state, and what the rest of the job needs summed up: changed lines, machines with a
 * late reading, new picks per line and UTC day, days that landed in the default partition.
 * `run_start` is where the machine's last run of `down` readings in the batch begins.
 */
const INGEST = `
  WITH b AS (DELETE FROM telemetry_batches WHERE id = $1 RETURNING machine_ids, ats, states, picks),
  v AS (SELECT DISTINCT ON (r.machine_id, r.at) r.machine_id, r.at, r.state, r.picks
        FROM b, unnest(b.machine_ids, b.ats, b.states, b.picks) AS r(machine_id, at, state, picks) ORDER BY r.machine_id, r.at),
  ins AS (INSERT INTO machine_readings (machine_id, at, state, picks) SELECT machine_id, at, state, picks FROM v
          ON CONFLICT DO NOTHING RETURNING machine_id, at, state, picks, tableoid),
  agg AS (SELECT machine_id AS id, min(at) AS min_at, max(at) AS max_at, (array_agg(state ORDER BY at DESC))[1] AS last_state,
                 max(at) FILTER (WHERE state <> 'down') AS last_up
          FROM ins GROUP BY machine_id),
  runs AS (SELECT a.*, min(i.at) FILTER (WHERE i.state = 'down' AND (a.last_up IS NULL OR i.at > a.last_up)) AS run_start
           FROM agg a JOIN ins i ON i.machine_id = a.id GROUP BY a.id, a.min_at, a.max_at, a.last_state, a.last_up),
  old AS (SELECT mc.id, mc.state, mc.state_at, mc.down_since, mc.down_seen_at FROM machines mc WHERE mc.id IN (SELECT id FROM agg) ORDER BY mc.id FOR NO KEY UPDATE),
  upd AS (UPDATE machines mc SET state = b.last_state, state_at = b.max_at,
            down_since = CASE WHEN b.last_state <> 'down' THEN NULL
                              WHEN b.last_up IS NOT NULL OR old.state IS DISTINCT FROM 'down' THEN b.run_start ELSE old.down_since END,
            down_seen_at = CASE WHEN b.last_state <> 'down' THEN NULL
                                WHEN b.last_up IS NOT NULL OR old.state IS DISTINCT FROM 'down' THEN now() ELSE old.down_seen_at END
          FROM runs b JOIN old USING (id) WHERE mc.id = b.id AND (old.state_at IS NULL OR b.min_at > old.state_at)
          RETURNING mc.id, mc.line_id, old.state AS old_state, old.down_since AS old_down, mc.state, mc.down_since),
  picks AS (SELECT mc.line_id, to_char(ins.at AT TIME ZONE 'UTC', 'YYYY-MM-DD') AS day, sum(ins.picks)::float8 AS picks
            FROM ins JOIN machines mc ON mc.id = ins.machine_id WHERE ins.picks > 0 GROUP BY 1, 2)
  SELECT (SELECT count(*)::int FROM ins) AS written,
         (SELECT array_agg(DISTINCT line_id) FROM upd
          WHERE (state = 'down') <> coalesce(old_state = 'down', false) OR down_since IS DISTINCT FROM old_down) AS "changedLines",
         (SELECT array_agg(id) FROM agg WHERE id NOT IN (SELECT id FROM upd)) AS late,
         (SELECT json_agg(json_build_object('lineId', line_id, 'day', day, 'picks', picks)) FROM picks) AS picks,
         (SELECT array_agg(DISTINCT to_char(at AT TIME ZONE 'UTC', 'YYYY-MM-DD')) FROM ins WHERE tableoid = 'machine_readings_default'::regclass) AS homeless`;

/**
 * The `ingest-telemetry` job: takes its batch out of `telemetry_batches` and, in the same
 * transaction, writes the readings (one per machine and instant: repeats are dropped), moves each
 * touched machine's state (the latest `at` wins, so arrival order does not matter: a machine with
 * a late reading is recomputed from all its readings), and credits new picks to the line's
 * allocations. A second delivery finds no batch. The readings never travel back to the worker:
 * the database sums up what the rest of the job needs (INGEST).
 * After commit, lines whose looms went down or came back are evaluated (LoomCapacity).
 */
@Injectable()
export class IngestTelemetryHandler {
  private readonly logger = new Logger('telemetry');

  constructor(
    @InjectDataSource() private readonly db: DataSource,
    private readonly production: ProductionService,
    private readonly capacity: LoomCapacity,
    private readonly readingDays: ReadingDays,
    private readonly jobs: JobQueue,
    private readonly clock: Clock,
  ) {}

  async handle(batchId: string): Promise<{ written: number; linesChanged: number }> {
    const { written, changedLines, homeless, rematch } = await this.db.transaction(async (m) => {
      const [batch] = await m.query<Written[]>(INGEST, [batchId]);
      if (!batch || batch.written === 0) return { written: 0, changedLines: [] as string[], homeless: [] as string[], rematch: [] as string[] };
      const slow = batch.late?.length ? await this.recomputeStates(m, batch.late) : [];
      const rematch = await this.creditPicks(m, batch.picks ?? []);
      return { written: batch.written, changedLines: [...new Set([...(batch.changedLines ?? []), ...slow])], homeless: batch.homeless ?? [], rematch };
    });
    // Styles whose weaving the looms now forecast too late for the next stage: the matcher re-plans them (a lost enqueue is the sweep's).
    if (rematch.length > 0) {
      await this.jobs.matchFirst(rematch, this.clock.today()).catch((error: unknown) => {
        this.logger.warn({ orders: rematch, err: error instanceof Error ? error.message : String(error) }, 're-plan enqueue failed; the sweep retries');
      });
    }
    // Readings of a day without its partition (the sweep has not made it): the day is made now.
    if (homeless.length > 0) await this.readingDays.cover(homeless);
    for (const lineId of changedLines) {
      try {
        await this.capacity.evaluate(lineId);
      } catch (error) {
        this.logger.warn({ lineId, err: error instanceof Error ? error.message : String(error) }, 'line capacity from telemetry failed; the sweep retries');
      }
    }
    return { written, linesChanged: changedLines.length };
  }

  /**
   * Machines with a late reading (older than their current state) are recomputed from all their
   * readings: the latest `at` wins, `down_since` starts its last run of `down` readings (and
   * `down_seen_at` keeps when the platform first heard of it). Answers
   * the lines whose set of down looms may have changed.
   */
  private async recomputeStates(m: EntityManager, late: readonly string[]): Promise<string[]> {
    const changed = await m.query<{ lineId: string }[]>(
      // Wrapped in a SELECT: TypeORM answers a bare UPDATE with [rows, count] instead of rows.
      `WITH old AS (SELECT id, state, down_since FROM machines WHERE id = ANY($1::uuid[]) ORDER BY id FOR NO KEY UPDATE),
       latest AS (
         SELECT t.id, l.at, l.state FROM unnest($1::uuid[]) AS t(id)
         CROSS JOIN LATERAL (SELECT at, state FROM machine_readings WHERE machine_id = t.id ORDER BY at DESC LIMIT 1) l),
       upd AS (UPDATE machines mc SET state = latest.state, state_at = latest.at,
         -- A late reading may move where the run starts, never when the platform first saw it down.
         down_seen_at = CASE WHEN latest.state = 'down' THEN coalesce(mc.down_seen_at, now()) END,
         down_since = CASE WHEN latest.state = 'down' THEN (
           SELECT min(r.at) FROM machine_readings r WHERE r.machine_id = mc.id AND r.at > coalesce(
             (SELECT u.at FROM machine_readings u WHERE u.machine_id = mc.id AND u.state <> 'down' ORDER BY u.at DESC LIMIT 1), '-infinity')) END
       FROM latest JOIN old USING (id) WHERE mc.id = latest.id
       RETURNING mc.line_id, old.state AS old_state, old.down_since AS old_down, mc.state, mc.down_since)
       SELECT DISTINCT line_id AS "lineId" FROM upd
       WHERE (state = 'down') <> coalesce(old_state = 'down', false) OR down_since IS DISTINCT FROM old_down`,
      [late],
    );
    return changed.map((c) => c.lineId);
  }

  /**
   * New picks on a line are credited to its accepted work in start order (earliest first), each
   * allocation taking at most what it needs, and only picks woven on or after its start day.
   * Produced meters follow through ProductionService's rules: never backwards, never above.
   * Answers the orders those rules sent back to the matcher (a style whose weaving runs late).
   */
  private async creditPicks(m: EntityManager, picks: NewPicks[]): Promise<string[]> {
    if (picks.length === 0) return [];
    const lineIds = [...new Set(picks.map((p) => p.lineId))];
    const open = await m.query<{ id: string; orderId: string; lineId: string; startDate: string; quantity: number; produced: number; picksPerCm: number; credited: number }[]>(
      `SELECT a.id, a.order_id AS "orderId", a.line_id AS "lineId", to_char(a.start_date, 'YYYY-MM-DD') AS "startDate", a.quantity, a.produced_quantity AS produced,
              (o.spec->'fabric'->>'picksPerCm')::float8 AS "picksPerCm", coalesce(t.picks, 0)::float8 AS credited
       FROM allocations a JOIN orders o ON o.id = a.order_id LEFT JOIN allocation_telemetry t ON t.allocation_id = a.id
       WHERE a.line_id = ANY($1::uuid[]) AND a.status IN ('accepted', 'in_production') AND o.kind = 'fabric'
       ORDER BY a.line_id, a.start_date, a.created_at, a.id`,
      [lineIds],
    );
    const credited = new Map<string, number>();
    for (const p of [...picks].sort((a, b) => a.day.localeCompare(b.day))) {
      let left = p.picks;
      for (const a of open) {
        if (left <= 0) break;
        if (a.lineId !== p.lineId || a.startDate > p.day) continue;
        const need = a.quantity * a.picksPerCm * 100 - a.credited;
        if (need <= 0) continue;
        const take = Math.min(need, left);
        a.credited += take;
        left -= take;
        credited.set(a.id, a.credited);
      }
    }
    if (credited.size === 0) return [];
    await m.query(
      `INSERT INTO allocation_telemetry (allocation_id, picks) SELECT * FROM unnest($1::uuid[], $2::bigint[])
       ON CONFLICT (allocation_id) DO UPDATE SET picks = excluded.picks`,
      [[...credited.keys()], [...credited.values()].map(Math.round)],
    );
    // Orders are locked in id order, as everywhere else.
    const moved = open.filter((a) => credited.has(a.id) && metersFromPicks(a.credited, a.picksPerCm) > a.produced).sort((a, b) => a.orderId.localeCompare(b.orderId));
    const rematch: string[] = [];
    for (const a of moved) if ((await this.production.record(m, a.id, Math.min(metersFromPicks(a.credited, a.picksPerCm), a.quantity))).rematch) rematch.push(a.orderId);
    return rematch;
  }
}
