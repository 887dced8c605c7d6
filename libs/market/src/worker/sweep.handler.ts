import { Inject, Injectable, Logger } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { type AppConfig, APP_CONFIG, type QueueBackend } from '@cloudloom/platform';
import type { DataSource } from 'typeorm';
import { Clock } from '../core/clock';
import { QUEUE_BACKEND } from '../core/tokens';
import { matchPriority } from '../jobs/match-priority';
import { OffersService } from '../offers/offers.service';
import { LoomCapacity } from '../telemetry/loom-capacity';

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
    @Inject(QUEUE_BACKEND) private readonly queues: QueueBackend,
    private readonly offers: OffersService,
    private readonly clock: Clock,
    private readonly looms: LoomCapacity,
  ) {}

  async run(stuckAfterSeconds = this.config.stuckAfterSeconds): Promise<SweepReport> {
    const today = this.clock.today();
    const ordersExpired = await this.expireOrders(today);
    const offersExpired = await this.expireOffers();
    const ledgerDaysAdded = await this.extendHorizon(today);
    const waiting: { id: string; dueDate: string }[] = await this.db.query(
      `SELECT id, to_char(due_date, 'YYYY-MM-DD') AS "dueDate" FROM orders
       WHERE status IN ('pending', 'matching') AND updated_at < now() - make_interval(secs => $1)
       ORDER BY due_date LIMIT 5000`,
      [stuckAfterSeconds],
    );
    for (const order of waiting) {
      await this.queues.enqueue({ name: 'match-order', data: { orderId: order.id } }, { priority: matchPriority(today, order.dueDate) });
    }
    // After the orders: telemetry's own recovery never holds up theirs.
    const { batchesRequeued, linesEvaluated } = await this.looms.sweep();
    const report = { requeued: waiting.length, offersExpired, ordersExpired, ledgerDaysAdded, batchesRequeued, linesEvaluated };
    if (Object.values(report).some((n) => n > 0)) this.logger.log(report, 'sweep');
    return report;
  }

  /** An order still without a plan on its due date can no longer be made in time. */
  private async expireOrders(today: string): Promise<number> {
    const rows: unknown[] = await this.db.query(
      `WITH expired AS (
         UPDATE orders SET status = 'expired', updated_at = now()
         WHERE status IN ('pending', 'matching', 'unmatched') AND due_date < $1::date
         RETURNING id, brand_id)
       INSERT INTO events (type, order_id, audience, payload)
       SELECT 'order.expired', id, ARRAY[brand_id], jsonb_build_object('orderId', id) FROM expired
       RETURNING 1`,
      [today],
    );
    return rows.length;
  }

  private async expireOffers(): Promise<number> {
    const due: { id: string }[] = await this.db.query(`SELECT id FROM allocations WHERE status = 'offered' AND expires_at < now() LIMIT 1000`);
    let expired = 0;
    for (const { id } of due) if (await this.offers.expire(id)) expired++;
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
