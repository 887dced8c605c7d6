import { Inject, Injectable, Logger, type OnApplicationBootstrap, type OnApplicationShutdown } from '@nestjs/common';
import { type AnyQueueName, JOB_QUEUE, type JobName, type JobPayloads, QueueName } from '@cloudloom/contracts';
import { type AppConfig, APP_CONFIG, type QueueBackend, type QueueJob, type WorkerHandle } from '@cloudloom/platform';
import { MetricCounts } from '../core/metric-counts';
import { QUEUE_BACKEND } from '../core/tokens';
import { CapacityChangedHandler } from './capacity-changed.handler';
import { MatchLeadership } from './match-leadership';
import { MatchOrderHandler } from './match-order.handler';
import { OffersService } from '../offers/offers.service';
import { IngestTelemetryHandler } from '../telemetry/ingest-telemetry.handler';
import { SweepHandler } from './sweep.handler';
import { DeliverWebhookHandler } from '../webhooks/deliver-webhook.handler';

/** Match jobs batch, so many wait together; a webhook attempt mostly waits on its receiver (up to its timeout). */
function concurrencyOf(queue: AnyQueueName, matching: number): number {
  if (queue.startsWith(QueueName.Matching)) return matching;
  return queue === QueueName.Webhooks ? 16 : 2;
}

type Handlers = { readonly [J in JobName]: (data: JobPayloads[J]) => Promise<unknown> };

/**
 * Starts one BullMQ worker per queue and routes each job to its handler. The handler map is
 * total over JobName, so a job without a handler does not compile; a job name the map does
 * not know (an older or newer producer) fails the job loudly instead of being dropped.
 */
@Injectable()
export class JobRouter implements OnApplicationBootstrap, OnApplicationShutdown {
  private readonly logger = new Logger('worker');
  private readonly handlers: Handlers;

  constructor(
    @Inject(QUEUE_BACKEND) private readonly queues: QueueBackend,
    @Inject(APP_CONFIG) private readonly config: AppConfig,
    private readonly counts: MetricCounts,
    match: MatchOrderHandler,
    capacity: CapacityChangedHandler,
    offers: OffersService,
    sweep: SweepHandler,
    telemetry: IngestTelemetryHandler,
    webhooks: DeliverWebhookHandler,
    private readonly leadership: MatchLeadership,
  ) {
    this.handlers = {
      'match-order': (data) => match.handle(data.orderId),
      'match-orders': (data) => match.handleMany(data.orderIds),
      'expire-offer': (data) => offers.expire(data.allocationId),
      'capacity-changed': (data) => capacity.handle(data.lineId, data.before),
      sweep: () => sweep.run(),
      'ingest-telemetry': (data) => telemetry.handle(data.batchId),
      'deliver-webhook': (data) => webhooks.handle(data.deliveryId, data.attempt),
    };
  }

  private watchdog: NodeJS.Timeout | undefined;

  private async scheduleSweep(): Promise<void> {
    try {
      await this.queues.repeat({ name: 'sweep', data: {} }, this.config.sweepEveryMs);
    } catch (error) {
      this.logger.warn({ err: error instanceof Error ? error.message : String(error) }, 'could not schedule the sweep; retrying');
    }
  }

  onApplicationShutdown(): void {
    clearInterval(this.watchdog);
  }

  async dispatch(job: QueueJob): Promise<unknown> {
    const handler = this.handlers[job.name] as ((data: unknown) => Promise<unknown>) | undefined;
    if (!handler) throw new Error(`no handler for job ${String(job.name)}`);
    const started = Date.now();
    const result = await handler(job.data);
    // One structured line per job, with its id, so a job can be followed like a request.
    this.logger.debug({ job: job.name, jobId: job.id, attempt: job.attemptsMade + 1, ms: Date.now() - started, result }, 'job done');
    return result;
  }

  /** A BullMQ worker on one queue, its failures logged and counted. */
  private consume(queue: AnyQueueName): WorkerHandle {
    const worker = this.queues.worker(queue, (job) => this.dispatch(job), concurrencyOf(queue, this.config.workerConcurrency), this.config.jobLockMs);
    worker.on('failed', (job, error) => {
      const final = job !== undefined && job.attemptsMade >= (job.opts.attempts ?? 1);
      this.logger.warn({ job: job?.name, jobId: job?.id, attempt: job?.attemptsMade, final, err: error.message }, final ? 'job failed for good; the sweep adds its work again' : 'job failed; retried');
      // Counted for cloudloom_jobs_failed_total; the database may be what failed, the log line stays.
      if (final) void this.counts.add('jobs_failed', job.name).catch(() => undefined);
    });
    worker.on('error', (error) => this.logger.error({ err: error.message }, 'worker error'));
    return worker;
  }

  async onApplicationBootstrap(): Promise<void> {
    for (const name of Object.keys(JOB_QUEUE) as JobName[]) {
      if (typeof this.handlers[name] !== 'function') throw new Error(`job ${name} has no handler`);
    }
    const partitioned = this.config.matchPartitions > 0;
    // Partitioned, match jobs are taken only by each partition's leader (ADR 0003).
    for (const queue of Object.values(QueueName)) if (!(partitioned && queue === QueueName.Matching)) this.consume(queue);
    if (partitioned) this.leadership.start((queue) => this.consume(queue));
    await this.scheduleSweep();
    // The queue may lose everything, its repeatable jobs too: each worker keeps re-asserting the
    // sweep's schedule (an idempotent upsert), so a flushed Redis heals within a few periods.
    this.watchdog = setInterval(() => void this.scheduleSweep(), this.config.sweepEveryMs * 2);
    this.logger.log(`worker started on ${this.queues.kind} (${Object.values(QueueName).join(', ')})${partitioned ? `; matching in ${this.config.matchPartitions} partitions, each led by one worker` : ''}`);
  }
}
