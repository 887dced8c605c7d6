import { Inject, Injectable, Logger } from '@nestjs/common';
import { payloadFor } from '@cloudloom/contracts';
import { type AppConfig, APP_CONFIG } from '@cloudloom/platform';
import { sendWebhook } from './webhook-sender';
import { SIGNATURE_HEADER, signature } from './webhook-signature';
import { WebhooksRepository } from './webhooks.repository';

/** The longest wait between two attempts, so a receiver back after hours is tried again within this. */
const MAX_BACKOFF_MS = 3 * 3600_000;

/**
 * When the next attempt goes, after `attemptsMade` failed ones: the base doubled each time, with
 * "equal jitter" (between half and all of it) so receivers that failed together are not retried in
 * lockstep; the last attempt is at the end of the 24 h, and none after it (null: failed).
 */
export function nextAttemptAt(now: Date, attemptsMade: number, baseMs: number, giveUpAt: Date, random = Math.random): Date | null {
  if (now.getTime() >= giveUpAt.getTime()) return null;
  const full = Math.min(baseMs * 2 ** Math.min(attemptsMade - 1, 30), MAX_BACKOFF_MS);
  const wait = full / 2 + random() * (full / 2);
  return new Date(Math.min(now.getTime() + wait, giveUpAt.getTime()));
}

/**
 * One attempt of one delivery (`deliver-webhook`). The row is claimed first, so a repeated or
 * stale job does nothing, and the outcome with its log line is written in one statement. The
 * body is the event as the feed sends it to this organization (`payloadFor`), signed.
 */
@Injectable()
export class DeliverWebhookHandler {
  private readonly logger = new Logger('webhooks');

  constructor(
    private readonly repository: WebhooksRepository,
    @Inject(APP_CONFIG) private readonly config: AppConfig,
  ) {}

  async handle(deliveryId: string, attempt: number): Promise<{ delivered: boolean } | undefined> {
    const work = await this.repository.claim(deliveryId, attempt);
    if (!work) return undefined;
    const { event } = work;
    const payload = payloadFor(event.type, event.payload, { organizationId: work.organizationId, kind: work.organizationKind });
    const body = JSON.stringify({ id: event.id, type: event.type, ...(event.orderId ? { orderId: event.orderId } : {}), createdAt: event.createdAt.toISOString(), payload });
    const url = new URL(work.url);
    const result = await sendWebhook(url, body, {
      'content-type': 'application/json',
      'user-agent': 'cloudloom-webhooks/1',
      'x-cloudloom-event': event.type,
      'x-cloudloom-delivery': work.id,
      [SIGNATURE_HEADER.toLowerCase()]: signature(work.secret, body, Math.floor(Date.now() / 1000)),
    }, { allowPrivate: this.config.webhooks.allowPrivate, timeoutMs: this.config.webhooks.timeoutMs });
    const made = work.attempts + 1;
    const retryAt = result.ok ? null : nextAttemptAt(new Date(), made, this.config.webhooks.backoffBaseMs, work.giveUpAt);
    await this.repository.settle(work.id, { attempt: made, at: new Date().toISOString(), ok: result.ok, statusCode: result.statusCode, durationMs: result.durationMs, errorClass: result.errorClass, responseSnippet: result.snippet }, retryAt);
    // The host only: a receiver's path or query may carry its own token.
    const line = { deliveryId: work.id, host: url.host, event: event.type, attempt: made, status: result.statusCode, ms: result.durationMs, errorClass: result.errorClass };
    if (result.ok) this.logger.debug(line, 'webhook delivered');
    else this.logger.warn({ ...line, final: retryAt === null }, retryAt === null ? 'webhook delivery failed for good' : 'webhook attempt failed; retried');
    return { delivered: result.ok };
  }
}
