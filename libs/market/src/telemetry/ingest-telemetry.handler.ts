import { Injectable, Logger } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import type { DataSource, EntityManager } from 'typeorm';
import { ProductionService } from '../production/production.service';
import { LoomCapacity } from './loom-capacity';

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
  ) {}

  async handle(batchId: string): Promise<{ written: number; linesChanged: number }> {
    const { written, changedLines } = await this.db.transaction(async (m) => {
      const rows = await m.query<{ machineId: string; lineId: string; day: string; picks: number; n: number }[]>(
        `WITH b AS (DELETE FROM telemetry_batches WHERE id = $1 RETURNING machine_ids, ats, states, picks),
         v AS (SELECT DISTINCT ON (r.machine_id, r.at) r.machine_id, r.at, r.state, r.picks
               FROM b, unnest(b.machine_ids, b.ats, b.states, b.picks) AS r(machine_id, at, state, picks) ORDER BY r.machine_id, r.at),
         ins AS (INSERT INTO machine_readings (machine_id, at, state, picks) SELECT machine_id, at, state, picks FROM v ON CONFLICT DO NOTHING RETURNING machine_id, at, picks)
         SELECT ins.machine_id AS "machineId", mc.line_id AS "lineId", to_char(ins.at AT TIME ZONE 'UTC', 'YYYY-MM-DD') AS day,
                coalesce(sum(ins.picks), 0)::float8 AS picks, count(*)::int AS n
         FROM ins JOIN machines mc ON mc.id = ins.machine_id GROUP BY 1, 2, 3`,
        [batchId],
      );
      if (rows.length === 0) return { written: 0, changedLines: [] as string[] };
      const changedLines = await this.updateStates(m, [...new Set(rows.map((r) => r.machineId))]);
      const byLineDay = new Map<string, NewPicks>();
      for (const r of rows) {
        if (r.picks <= 0) continue;
        const key = `${r.lineId}|${r.day}`;
        const entry = byLineDay.get(key) ?? { lineId: r.lineId, day: r.day, picks: 0 };
        entry.picks += r.picks;
        byLineDay.set(key, entry);
      }
      await this.creditPicks(m, [...byLineDay.values()]);
      return { written: rows.reduce((sum, r) => sum + r.n, 0), changedLines };
    });
    for (const lineId of changedLines) {
      try {
        await this.capacity.evaluate(lineId);
      } catch (error) {
        this.logger.warn({ lineId, err: error instanceof Error ? error.message : String(error) }, 'line capacity from telemetry failed; the sweep retries');
      }
    }
    return { written, linesChanged: changedLines.length };
  }

  /** Lines whose set of long-down looms may have changed. Machines are locked in id order. */
  private async updateStates(m: EntityManager, machineIds: string[]): Promise<string[]> {
    const before = await m.query<{ id: string; lineId: string; state: string | null; downSince: Date | null }[]>(
      `SELECT id, line_id AS "lineId", state, down_since AS "downSince" FROM machines WHERE id = ANY($1::uuid[]) ORDER BY id FOR NO KEY UPDATE`,
      [machineIds],
    );
    const after = await m.query<{ id: string; state: string; downSince: Date | null }[]>(
      // Wrapped in a SELECT: TypeORM answers a bare UPDATE with [rows, count] instead of rows.
      `WITH latest AS (
         SELECT t.id, l.at, l.state FROM unnest($1::uuid[]) AS t(id)
         CROSS JOIN LATERAL (SELECT at, state FROM machine_readings WHERE machine_id = t.id ORDER BY at DESC LIMIT 1) l),
       upd AS (UPDATE machines mc SET state = latest.state, state_at = latest.at,
         down_since = CASE WHEN latest.state = 'down' THEN (
           SELECT min(r.at) FROM machine_readings r WHERE r.machine_id = mc.id AND r.at > coalesce(
             (SELECT u.at FROM machine_readings u WHERE u.machine_id = mc.id AND u.state <> 'down' ORDER BY u.at DESC LIMIT 1), '-infinity')) END
       FROM latest WHERE mc.id = latest.id
       RETURNING mc.id, mc.state, mc.down_since)
       SELECT id, state, down_since AS "downSince" FROM upd`,
      [machineIds],
    );
    const now = new Map(after.map((a) => [a.id, a]));
    const changed = before.filter((b) => {
      const a = now.get(b.id);
      return a !== undefined && ((a.state === 'down') !== (b.state === 'down') || a.downSince?.getTime() !== b.downSince?.getTime());
    });
    return [...new Set(changed.map((b) => b.lineId))];
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
