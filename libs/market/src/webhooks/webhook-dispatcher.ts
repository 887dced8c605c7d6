import { Inject, Injectable, Logger, type OnApplicationBootstrap, type OnApplicationShutdown } from '@nestjs/common';
import { type AppConfig, APP_CONFIG } from '@cloudloom/platform';
import { JobQueue } from '../jobs/job-queue';
import { WebhooksRepository } from './webhooks.repository';

/** How often the worker looks for deliveries to queue: the delay a delivery can add to its event. */
const POLL_MS = 250;
/** Deliveries due this soon are queued now, delayed in the queue, so a retry goes on time. */
const AHEAD_MS = 5_000;
const BATCH = 500;

/**
 * Queues the webhook deliveries PostgreSQL holds. The rows are the truth (written with their
 * event, by a trigger): this only puts pointers to them in the `webhooks` queue, those due now or
 * soon, and again those whose job the queue lost (queued longer than `STUCK_AFTER_SECONDS` ago
 * and still pending), so a flushed Redis or a crashed worker delays a delivery, never loses it.
 */
@Injectable()
export class WebhookDispatcher implements OnApplicationBootstrap, OnApplicationShutdown {
  private readonly logger = new Logger('webhooks');
  private timer: NodeJS.Timeout | undefined;
  private running = false;

  constructor(
    private readonly repository: WebhooksRepository,
    private readonly jobs: JobQueue,
    @Inject(APP_CONFIG) private readonly config: AppConfig,
  ) {}

  onApplicationBootstrap(): void {
    this.timer = setInterval(() => void this.tick(), POLL_MS);
  }

  onApplicationShutdown(): void {
    clearInterval(this.timer);
  }

  /** One pass; exposed for tests. A failure is logged and the next pass tries again. */
  async tick(): Promise<number> {
    if (this.running) return 0;
    this.running = true;
    try {
      const due = await this.repository.takeDue(AHEAD_MS, this.config.stuckAfterSeconds, BATCH);
      await this.jobs.deliverWebhooks(due.map((d) => ({ deliveryId: d.id, attempt: d.attempts, delayMs: d.dueInMs })));
      return due.length;
    } catch (error) {
      // Rows marked queued whose add failed are taken again after STUCK_AFTER_SECONDS.
      this.logger.warn({ err: error instanceof Error ? error.message.split('\n')[0] : String(error) }, 'webhook dispatch failed; retried');
      return 0;
    } finally {
      this.running = false;
    }
  }
}
