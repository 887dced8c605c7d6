import { Inject, Injectable, Logger } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { type AppConfig, APP_CONFIG } from '@cloudloom/platform';
import { LineEntity } from '@cloudloom/persistence';
import type { DataSource } from 'typeorm';
import { Clock } from '../core/clock';
import { JobQueue } from '../jobs/job-queue';
import { EventsWriter } from '../events/events.writer';
import { applyCapacity, type CapacityCell, requeueAfterCapacityChange } from '../lines/capacity-change';
import { machineCount } from './machines.service';
import { ReadingDays } from './reading-days';

/** A batch still in the table this long after it arrived lost its job: the sweep queues it again. */
const BATCH_LOST_AFTER_SECONDS = 30;

/**
 * Capacity follows the machines: looms down longer than `loomDownAfterSeconds` take their share
 * of the line off the ledger for the next `loomDownDays` days (today included), through the same
 * `applyCapacity` as a line edit, so allocations that no longer fit are released and re-planned.
 * Looms back up give the capacity back and wake unmatched orders. The target is recomputed from
 * the machines' states each time, so an evaluation can run any number of times.
 * A breakdown is a fact, so work already in production is trimmed too: it keeps what is produced
 * and what its remaining days still make, and the rest of its order is matched again.
 */
@Injectable()
export class LoomCapacity {
  private readonly logger = new Logger('telemetry');

  constructor(
    @InjectDataSource() private readonly db: DataSource,
    @Inject(APP_CONFIG) private readonly config: AppConfig,
    private readonly jobs: JobQueue,
    private readonly clock: Clock,
    private readonly events: EventsWriter,
    private readonly readingDays: ReadingDays,
  ) {}

  async evaluate(lineId: string): Promise<{ cells: number; replanned: number; machinesDown: number }> {
    const today = this.clock.today();
    const result = await this.db.transaction(async (m) => {
      const line = await m.findOne(LineEntity, { where: { id: lineId }, lock: { mode: 'pessimistic_write' } });
      if (!line) return undefined;
      const [counts] = await m.query<{ registered: number; down: number }[]>(
        `SELECT count(*)::int AS registered,
                count(*) FILTER (WHERE state = 'down' AND down_since <= now() - make_interval(secs => $2))::int AS down
         FROM machines WHERE line_id = $1`,
        [lineId, this.config.loomDownAfterSeconds],
      );
      const share = Math.min(counts!.down / Math.max(machineCount(line), counts!.registered, 1), 1);
      const days = await m.query<{ day: string; capacity: number; fraction: number }[]>(
        `SELECT to_char(c.day, 'YYYY-MM-DD') AS day, c.capacity::float8 AS capacity, c.fraction::float8 AS fraction
         FROM capacity_days c WHERE c.line_id = $1 AND c.day >= $2::date AND c.day < $2::date + $3::int ORDER BY c.day`,
        [lineId, today, this.config.loomDownDays],
      );
      const cells: CapacityCell[] = days.flatMap((d) => {
        const capacity = Math.floor(line.dailyCapacity * d.fraction * (1 - share));
        return capacity === d.capacity ? [] : [{ day: d.day, fraction: d.fraction, capacity }];
      });
      if (cells.length === 0) return { line, cells, change: { replannedOrders: [], grew: false, events: [] }, down: counts!.down };
      const change = await applyCapacity(m, lineId, cells, 'trim');
      await this.events.append(m, [
        ...change.events,
        { type: 'line.changed', audience: [line.factoryId], payload: { lineId, source: 'telemetry', machinesDown: counts!.down, share, days: cells.map((c) => ({ date: c.day, capacity: c.capacity })) } },
      ]);
      return { line, cells, change, down: counts!.down };
    });
    if (!result) return { cells: 0, replanned: 0, machinesDown: 0 };
    await requeueAfterCapacityChange(this.jobs, this.logger, lineId, result.change, today);
    return { cells: result.cells.length, replanned: result.change.replannedOrders.length, machinesDown: result.down };
  }

  /**
   * From the sweep: batches whose job was lost are queued again; lines with looms down (whose
   * bound may have passed since the last reading) or with capacity still held back are evaluated.
   */
  async sweep(): Promise<{ batchesRequeued: number; linesEvaluated: number }> {
    await this.readingDays.keep();
    const batches = await this.db.query<{ id: string }[]>(
      `SELECT id::text FROM telemetry_batches WHERE received_at < now() - make_interval(secs => $1) ORDER BY id LIMIT 1000`,
      [BATCH_LOST_AFTER_SECONDS],
    );
    let batchesRequeued = 0;
    try {
      for (const { id } of batches) {
        await this.jobs.ingestTelemetry(id);
        batchesRequeued++;
      }
    } catch (error) {
      this.logger.warn({ err: error instanceof Error ? error.message : String(error) }, 'telemetry batches could not be queued again; next sweep retries');
    }
    const lines = await this.db.query<{ lineId: string }[]>(
      `SELECT DISTINCT line_id AS "lineId" FROM machines WHERE state = 'down'
       UNION
       SELECT DISTINCT c.line_id FROM capacity_days c JOIN lines l ON l.id = c.line_id
       WHERE c.day >= $1::date AND c.day < $1::date + $2::int AND c.capacity <> floor(l.daily_capacity * c.fraction)
         AND EXISTS (SELECT 1 FROM machines m WHERE m.line_id = c.line_id)`,
      [this.clock.today(), this.config.loomDownDays],
    );
    for (const { lineId } of lines) {
      try {
        await this.evaluate(lineId);
      } catch (error) {
        this.logger.warn({ lineId, err: error instanceof Error ? error.message : String(error) }, 'line capacity from telemetry failed; next sweep retries');
      }
    }
    return { batchesRequeued, linesEvaluated: lines.length };
  }
}
