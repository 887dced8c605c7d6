import { Inject, Injectable, Logger } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { type AppConfig, APP_CONFIG } from '@cloudloom/platform';
import type { DataSource } from 'typeorm';
import { Clock } from '../core/clock';
import { JobQueue } from '../jobs/job-queue';
import { expireOverdueOrders } from '../lifecycle/lifecycle';
import { OrdersRepository } from '../orders/orders.repository';
import { AllocationsRepository } from '../allocations/allocations.repository';
import { OffersService } from '../offers/offers.service';
import { LoomCapacity } from '../telemetry/loom-capacity';

/**
 * Orders whose match job the queue may have lost. Unmatched orders are not among them: they
 * already have their verdict, and new capacity wakes them (capacity-changed).
 */
const OWED_A_MATCH = ['pending', 'matching'] as const;
const REQUEUE_LIMIT = 5000;

export interface SweepReport {
  requeued: number;
  offersExpired: number;
  ordersExpired: number;
  ledgerDaysAdded: number;
  /** Telemetry batches whose job was lost, and lines whose capacity was re-evaluated from their looms. */
  batchesRequeued: number;
  linesEvaluated: number;
}

/**
 * The repeatable `sweep`: PostgreSQL is the truth and the queue may forget, so anything
 * left waiting is found here and put back. Every step is idempotent.
 */
@Injectable()
export class SweepHandler {
  private readonly logger = new Logger('sweep');

  constructor(
    @InjectDataSource() private readonly db: DataSource,
    @Inject(APP_CONFIG) private readonly config: AppConfig,
    private readonly jobs: JobQueue,
    private readonly orders: OrdersRepository,
    private readonly allocations: AllocationsRepository,
    private readonly offers: OffersService,
    private readonly clock: Clock,
    private readonly looms: LoomCapacity,
  ) {}

  async run(stuckAfterSeconds = this.config.stuckAfterSeconds): Promise<SweepReport> {
    const today = this.clock.today();
    const ordersExpired = await expireOverdueOrders(this.orders, today);
    const offersExpired = await this.expireOffers();
    const ledgerDaysAdded = await this.extendHorizon(today);
    const waiting = await this.orders.waitingSince(OWED_A_MATCH, stuckAfterSeconds, REQUEUE_LIMIT);
    await this.jobs.matchEach(waiting, today);
    // After the orders: telemetry's own recovery never holds up theirs.
    const { batchesRequeued, linesEvaluated } = await this.looms.sweep();
    const report = { requeued: waiting.length, offersExpired, ordersExpired, ledgerDaysAdded, batchesRequeued, linesEvaluated };
    if (Object.values(report).some((n) => n > 0)) this.logger.log(report, 'sweep');
    return report;
  }


  private async expireOffers(): Promise<number> {
    let expired = 0;
    for (const id of await this.allocations.offersPastTime(1000)) if (await this.offers.expire(id)) expired++;
    return expired;
  }

  /**
   * Keeps the rolling horizon open: every active line has a ledger row for each coming day.
   * The horizon moves once a day, so each worker extends it once per date; only the days after
   * a line's last ledger day are written (re-inserting the whole horizon on every sweep cost
   * seconds and megabytes of WAL on a market of 20,000 lines).
   */
  private async extendHorizon(today: string): Promise<number> {
    if (this.extendedFor === today) return 0;
    const rows: unknown[] = await this.db.query(
      `INSERT INTO capacity_days (line_id, day, capacity)
       SELECT l.id, d::date, l.daily_capacity
       FROM lines l
       CROSS JOIN LATERAL (SELECT max(day) AS last FROM capacity_days c WHERE c.line_id = l.id) m
       CROSS JOIN LATERAL generate_series(greatest(m.last + 1, $1::date), $1::date + ($2 - 1), interval '1 day') AS d
       WHERE l.active AND (m.last IS NULL OR m.last < $1::date + ($2 - 1))
       ON CONFLICT DO NOTHING
       RETURNING 1`,
      [today, this.config.horizonDays],
    );
    this.extendedFor = today;
    return rows.length;
  }

  /** The date this worker last extended the horizon for. */
  private extendedFor = '';
}
