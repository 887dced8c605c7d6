import { Inject, Injectable, Logger } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { type AppConfig, APP_CONFIG } from '@cloudloom/platform';
import type { DataSource } from 'typeorm';
import { Clock } from '../core/clock';
import { MetricCounts } from '../core/metric-counts';
import { JobQueue } from '../jobs/job-queue';
import { endOverdueOrders, lapseApprovals, LIVE_ALLOCATION } from '../lifecycle/lifecycle';
import { sendBackIfLate } from '../allocations/stage-forecast';
import { declinedSummary } from '../orders/price-approval.service';
import { OrdersRepository } from '../orders/orders.repository';
import { AllocationsRepository } from '../allocations/allocations.repository';
import { OffersService } from '../offers/offers.service';
import { LoomCapacity } from '../telemetry/loom-capacity';
import { AlertsEvaluator } from '../radar/alerts';
import { MarketRollups } from '../radar/rollups';

/**
 * Orders whose match job the queue may have lost. Unmatched orders are not among them: they
 * already have their verdict, and new capacity wakes them (capacity-changed).
 */
const OWED_A_MATCH = ['pending', 'matching'] as const;
const REQUEUE_LIMIT = 5000;
/** Style orders whose forecasts one sweep looks at, soonest due first. */
const LATE_CHAIN_LIMIT = 500;

export interface SweepReport {
  requeued: number;
  offersExpired: number;
  ordersExpired: number;
  /** Orders whose brand let a plan above the agreed price go unanswered: declined. */
  approvalsLapsed: number;
  ledgerDaysAdded: number;
  /** Telemetry batches whose job was lost, and lines whose capacity was re-evaluated from their looms. */
  batchesRequeued: number;
  linesEvaluated: number;
  /** The radar's early warnings raised and cleared by this sweep. */
  alertsRaised: number;
  alertsCleared: number;
  /** Closed hours and days rolled up into the radar's history. */
  hoursRolledUp: number;
  /** Hourly rollups past their retention, dropped (their days are kept). */
  hourlyRollupsDropped: number;
  /** Style orders sent back to the matcher because a stage's forecast now ends too late for the next. */
  lateChains: number;
  /** Steps (or items of a step) that failed this time; each is logged with its id and counted. */
  failures: number;
}

/** The sweep's steps, as named in its log lines and in `cloudloom_sweep_step_failures_total`. */
export type SweepStep = 'requeue-orders' | 'expire-orders' | 'lapse-approvals' | 'expire-offers' | 'late-chains' | 'horizon' | 'telemetry' | 'metrics' | 'alerts' | 'rollups';

/**
 * The repeatable `sweep`: PostgreSQL is the truth and the queue may forget, so anything
 * left waiting is found here and put back. Every step is idempotent, and every step (and every
 * offer within its step) is isolated: a failure is logged with its id and counted, and the rest
 * is still done, so one bad row can never stop recovery for everyone else.
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
    private readonly counts: MetricCounts,
    private readonly alerts: AlertsEvaluator,
    private readonly rollups: MarketRollups,
  ) {}

  async run(stuckAfterSeconds = this.config.stuckAfterSeconds): Promise<SweepReport> {
    const today = this.clock.today();
    let failures = 0;
    const step = async <T>(name: SweepStep, fallback: T, work: () => Promise<T>): Promise<T> => {
      try {
        return await work();
      } catch (error) {
        failures++;
        await this.failed(name, undefined, error);
        return fallback;
      }
    };
    // Recovery of waiting orders first: nothing after it can hold it up.
    const requeued = await step('requeue-orders', 0, () => this.requeueStuck(today, stuckAfterSeconds));
    const ordersExpired = await step('expire-orders', 0, () => endOverdueOrders(this.orders, today));
    const approvalsLapsed = await step('lapse-approvals', 0, () => this.lapseApprovals(today));
    const offers = await step('expire-offers', { expired: 0, failed: 0 }, () => this.expireOffers());
    failures += offers.failed;
    const late = await step('late-chains', { sent: 0, failed: 0 }, () => this.sendBackLateChains(today));
    failures += late.failed;
    const ledgerDaysAdded = await step('horizon', 0, () => this.extendHorizon(today));
    const { batchesRequeued, linesEvaluated } = await step('telemetry', { batchesRequeued: 0, linesEvaluated: 0 }, () => this.looms.sweep());
    await step('metrics', undefined, () => this.counts.fold());
    // Last: the alerts read what the steps above just settled (expired orders are not stranded).
    const alerts = await step('alerts', { raised: 0, cleared: 0, open: 0 }, () => this.alerts.evaluate());
    const rolled = await step('rollups', { hours: 0, days: 0, hoursDropped: 0 }, () => this.rollups.sweep(this.clock.now()));
    const report = { requeued, offersExpired: offers.expired, ordersExpired, approvalsLapsed, lateChains: late.sent, ledgerDaysAdded, batchesRequeued, linesEvaluated, alertsRaised: alerts.raised, alertsCleared: alerts.cleared, hoursRolledUp: rolled.hours, hourlyRollupsDropped: rolled.hoursDropped, failures };
    if (Object.values(report).some((n) => n > 0)) this.logger.log(report, 'sweep');
    return report;
  }

  /** Logged with the step and the id it failed on, and counted for `cloudloom_sweep_step_failures_total`. */
  private async failed(step: SweepStep, id: string | undefined, error: unknown): Promise<void> {
    this.logger.warn({ step, ...(id ? { id } : {}), err: error instanceof Error ? error.message.split('\n')[0] : String(error) }, 'sweep step failed; the rest of the sweep goes on');
    // The database may be what failed: the count is then lost, the log line is not.
    await this.counts.add('sweep_step_failures', step).catch(() => undefined);
  }

  /** Orders waiting longer than they should: their job was lost (or failed), so it is added again, all in one call. */
  private async requeueStuck(today: string, stuckAfterSeconds: number): Promise<number> {
    const waiting = await this.orders.waitingSince(OWED_A_MATCH, stuckAfterSeconds, REQUEUE_LIMIT);
    await this.jobs.matchEach(waiting, today);
    return waiting.length;
  }

  /** Lapsed approvals count as declined, and their orders are planned again within the agreed price. */
  private async lapseApprovals(today: string): Promise<number> {
    const lapsed = await lapseApprovals(this.orders, this.clock.now(), declinedSummary(true));
    await this.jobs.matchEach(lapsed, today);
    return lapsed.length;
  }

  /** Each offer on its own: one that cannot be expired is logged with its id and the others still are. */
  private async expireOffers(): Promise<{ expired: number; failed: number }> {
    let expired = 0;
    let failed = 0;
    for (const id of await this.allocations.offersPastTime(1000)) {
      try {
        if (await this.offers.expire(id)) expired++;
      } catch (error) {
        failed++;
        await this.failed('expire-offers', id, error);
      }
    }
    return { expired, failed };
  }

  /**
   * A pace forecast moves with time, not only with reports (work that stops reporting falls
   * behind), and looms report without a progress report: so each sweep looks again at the styles
   * under way, and sends back to the matcher those whose chain now runs late (`sendBackIfLate`,
   * the same rule as a progress report's). Each order on its own, like the offers.
   */
  private async sendBackLateChains(today: string): Promise<{ sent: number; failed: number }> {
    const sent: string[] = [];
    let failed = 0;
    for (const { id } of await this.orders.stylesUnderway(today, LATE_CHAIN_LIMIT)) {
      try {
        const moved = await this.db.transaction(async (m) => {
          const order = await OrdersRepository.lock(m, id);
          const live = (await AllocationsRepository.ofOrder(m, id)).filter((a) => LIVE_ALLOCATION.has(a.status));
          return sendBackIfLate(m, order, live, today, this.clock.now());
        });
        if (moved) sent.push(id);
      } catch (error) {
        failed++;
        await this.failed('late-chains', id, error);
      }
    }
    await this.jobs.matchFirst(sent, today);
    return { sent: sent.length, failed };
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
