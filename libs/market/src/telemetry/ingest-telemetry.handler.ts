import { Injectable, Logger } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import type { DataSource, EntityManager } from 'typeorm';
import { ProductionService } from '../production/production.service';
import { LoomCapacity } from './loom-capacity';
import { ReadingDays } from './reading-days';

interface Inserted {
  machineId: string;
  lineId: string;
  at: Date;
  state: string;
  picks: number | null;
  /** Written to the default partition: its day has no partition yet. */
  inDefault: boolean;
}

interface NewPicks {
  lineId: string;
  day: string;
  picks: number;
}

/** Meters woven from weft picks: picks ÷ (picks per cm × 100). */
export const metersFromPicks = (picks: number, picksPerCm: number): number => Math.floor(picks / (picksPerCm * 100));

/**
 * The `ingest-telemetry` job: takes its batch out of `telemetry_batches` and, in the same
 * transaction, writes the readings (one per machine and instant: repeats are dropped), recomputes
 * each touched machine's state from all its readings (the latest `at` wins, so arrival order does
 * not matter), and credits new picks to the line's allocations. A second delivery finds no batch.
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
  ) {}

  async handle(batchId: string): Promise<{ written: number; linesChanged: number }> {
    const { written, changedLines, homeless } = await this.db.transaction(async (m) => {
      const rows = await m.query<Inserted[]>(
        `WITH b AS (DELETE FROM telemetry_batches WHERE id = $1 RETURNING machine_ids, ats, states, picks),
         v AS (SELECT DISTINCT ON (r.machine_id, r.at) r.machine_id, r.at, r.state, r.picks
               FROM b, unnest(b.machine_ids, b.ats, b.states, b.picks) AS r(machine_id, at, state, picks) ORDER BY r.machine_id, r.at),
         ins AS (INSERT INTO machine_readings (machine_id, at, state, picks) SELECT machine_id, at, state, picks FROM v ON CONFLICT DO NOTHING RETURNING machine_id, at, state, picks, tableoid)
         SELECT ins.machine_id AS "machineId", mc.line_id AS "lineId", ins.at, ins.state, ins.picks::float8 AS picks,
                ins.tableoid = 'machine_readings_default'::regclass AS "inDefault"
         FROM ins JOIN machines mc ON mc.id = ins.machine_id`,
        [batchId],
      );
      if (rows.length === 0) return { written: 0, changedLines: [] as string[], homeless: [] as string[] };
      const changedLines = await this.updateStates(m, rows);
      const byLineDay = new Map<string, NewPicks>();
      for (const r of rows) {
        if (!r.picks) continue;
        const day = r.at.toISOString().slice(0, 10);
        const key = `${r.lineId}|${day}`;
        const entry = byLineDay.get(key) ?? { lineId: r.lineId, day, picks: 0 };
        entry.picks += r.picks;
        byLineDay.set(key, entry);
      }
      await this.creditPicks(m, [...byLineDay.values()]);
      return { written: rows.length, changedLines, homeless: rows.filter((r) => r.inDefault).map((r) => r.at.toISOString().slice(0, 10)) };
    });
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
   * Each touched machine's state is the state of its latest reading; `down_since` starts its
   * last run of `down` readings. Machines are locked in id order. Readings that all come after
   * the machine's current state (the usual case) update it from the batch alone; a machine with
   * a late reading is recomputed from all its readings. Answers the lines whose set of down
   * looms may have changed.
   */
  private async updateStates(m: EntityManager, rows: readonly Inserted[]): Promise<string[]> {
    const runs = new Map<string, { minAt: Date; maxAt: Date; lastState: string; lastUp: Date | null; runStart: Date | null }>();
    for (const r of [...rows].sort((a, b) => a.at.getTime() - b.at.getTime())) {
      const run = runs.get(r.machineId) ?? { minAt: r.at, maxAt: r.at, lastState: r.state, lastUp: null, runStart: null };
      run.maxAt = r.at;
      run.lastState = r.state;
      if (r.state === 'down') run.runStart ??= r.at;
      else {
        run.lastUp = r.at;
        run.runStart = null;
      }
      runs.set(r.machineId, run);
    }
    const ids = [...runs.keys()];
    const list = [...runs.values()];
    type Changed = { id: string; lineId: string; oldState: string | null; oldDown: Date | null; state: string; downSince: Date | null };
    const fast = await m.query<Changed[]>(
      `WITH b AS (SELECT * FROM unnest($1::uuid[], $2::timestamptz[], $3::timestamptz[], $4::text[], $5::timestamptz[], $6::boolean[]) AS b(id, min_at, max_at, last_state, run_start, has_up)),
       old AS (SELECT mc.id, mc.state, mc.state_at, mc.down_since FROM machines mc WHERE mc.id = ANY($1::uuid[]) ORDER BY mc.id FOR NO KEY UPDATE),
       upd AS (UPDATE machines mc SET state = b.last_state, state_at = b.max_at,
                 down_since = CASE WHEN b.last_state <> 'down' THEN NULL
                                   WHEN b.has_up OR old.state IS DISTINCT FROM 'down' THEN b.run_start ELSE old.down_since END
               FROM b JOIN old USING (id) WHERE mc.id = b.id AND (old.state_at IS NULL OR b.min_at > old.state_at)
               RETURNING mc.id, mc.line_id, old.state AS old_state, old.down_since AS old_down, mc.state, mc.down_since)
       SELECT id, line_id AS "lineId", old_state AS "oldState", old_down AS "oldDown", state, down_since AS "downSince" FROM upd`,
      [ids, list.map((r) => r.minAt), list.map((r) => r.maxAt), list.map((r) => r.lastState), list.map((r) => r.runStart), list.map((r) => r.lastUp !== null)],
    );
    const done = new Set(fast.map((f) => f.id));
    const late = ids.filter((id) => !done.has(id));
    const slow = late.length === 0 ? [] : await m.query<Changed[]>(
      // Wrapped in a SELECT: TypeORM answers a bare UPDATE with [rows, count] instead of rows.
      `WITH old AS (SELECT id, state, down_since FROM machines WHERE id = ANY($1::uuid[]) ORDER BY id FOR NO KEY UPDATE),
       latest AS (
         SELECT t.id, l.at, l.state FROM unnest($1::uuid[]) AS t(id)
         CROSS JOIN LATERAL (SELECT at, state FROM machine_readings WHERE machine_id = t.id ORDER BY at DESC LIMIT 1) l),
       upd AS (UPDATE machines mc SET state = latest.state, state_at = latest.at,
         down_since = CASE WHEN latest.state = 'down' THEN (
           SELECT min(r.at) FROM machine_readings r WHERE r.machine_id = mc.id AND r.at > coalesce(
             (SELECT u.at FROM machine_readings u WHERE u.machine_id = mc.id AND u.state <> 'down' ORDER BY u.at DESC LIMIT 1), '-infinity')) END
       FROM latest JOIN old USING (id) WHERE mc.id = latest.id
       RETURNING mc.id, mc.line_id, old.state AS old_state, old.down_since AS old_down, mc.state, mc.down_since)
       SELECT id, line_id AS "lineId", old_state AS "oldState", old_down AS "oldDown", state, down_since AS "downSince" FROM upd`,
      [late],
    );
    const changed = [...fast, ...slow].filter((c) => (c.state === 'down') !== (c.oldState === 'down') || c.downSince?.getTime() !== c.oldDown?.getTime());
    return [...new Set(changed.map((c) => c.lineId))];
  }

  /**
   * New picks on a line are credited to its accepted work in start order (earliest first), each
   * allocation taking at most what it needs, and only picks woven on or after its start day.
   * Produced meters follow through ProductionService's rules: never backwards, never above.
   */
  private async creditPicks(m: EntityManager, picks: NewPicks[]): Promise<void> {
    if (picks.length === 0) return;
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
    if (credited.size === 0) return;
    await m.query(
      `INSERT INTO allocation_telemetry (allocation_id, picks) SELECT * FROM unnest($1::uuid[], $2::bigint[])
       ON CONFLICT (allocation_id) DO UPDATE SET picks = excluded.picks`,
      [[...credited.keys()], [...credited.values()].map(Math.round)],
    );
    // Orders are locked in id order, as everywhere else.
    const moved = open.filter((a) => credited.has(a.id) && metersFromPicks(a.credited, a.picksPerCm) > a.produced).sort((a, b) => a.orderId.localeCompare(b.orderId));
    for (const a of moved) await this.production.record(m, a.id, Math.min(metersFromPicks(a.credited, a.picksPerCm), a.quantity));
  }
}
