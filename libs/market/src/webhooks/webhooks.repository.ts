import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import type { EventType, StoredEventPayloads, WebhookAttempt, WebhookDeliveryStatus } from '@cloudloom/contracts';
import type { DataSource } from 'typeorm';

export interface SubscriptionRow {
  readonly id: string;
  readonly organizationId: string;
  readonly organizationKind: 'brand' | 'factory' | 'operator';
  readonly url: string;
  readonly events: EventType[];
  readonly active: boolean;
  readonly createdAt: Date;
  readonly updatedAt: Date;
}

export interface DeliveryRow {
  readonly id: string;
  readonly subscriptionId: string;
  readonly eventId: string;
  readonly eventType: EventType;
  readonly status: WebhookDeliveryStatus;
  readonly attempts: number;
  readonly nextAttemptAt: Date;
  readonly deliveredAt: Date | null;
  readonly createdAt: Date;
}

/** What one attempt needs: the delivery, its subscription (with the secret) and its event. */
export interface DeliveryWork {
  readonly id: string;
  readonly attempts: number;
  readonly giveUpAt: Date;
  readonly url: string;
  readonly secret: string;
  readonly organizationId: string;
  readonly organizationKind: 'brand' | 'factory' | 'operator';
  readonly event: { readonly id: string; readonly type: EventType; readonly orderId: string | null; readonly payload: StoredEventPayloads[EventType]; readonly createdAt: Date };
}

const SUBSCRIPTION = `id, organization_id AS "organizationId", organization_kind AS "organizationKind", url, events, active, created_at AS "createdAt", updated_at AS "updatedAt"`;
const DELIVERY = `d.id, d.subscription_id AS "subscriptionId", d.event_id::text AS "eventId", e.type AS "eventType", d.status, d.attempts,
  d.next_attempt_at AS "nextAttemptAt", d.delivered_at AS "deliveredAt", d.created_at AS "createdAt"`;

/** How long a claimed attempt keeps others off its delivery: longer than any attempt (timeouts are at most 30 s). */
const CLAIM_SECONDS = 60;

/**
 * The home of `webhook_subscriptions`, `webhook_deliveries` and `webhook_attempts`. Deliveries are
 * created by the trigger on `events` (migration 1765410000000), in the event's own transaction;
 * everything else about them is written here.
 */
@Injectable()
export class WebhooksRepository {
  constructor(@InjectDataSource() private readonly db: DataSource) {}

  async create(s: { organizationId: string; organizationKind: string; url: string; events: readonly string[]; secret: string }): Promise<SubscriptionRow> {
    const [row] = await this.db.query<SubscriptionRow[]>(
      `INSERT INTO webhook_subscriptions (organization_id, organization_kind, url, events, secret) VALUES ($1, $2, $3, $4, $5) RETURNING ${SUBSCRIPTION}`,
      [s.organizationId, s.organizationKind, s.url, s.events, s.secret],
    );
    return row!;
  }

  list(organizationId: string): Promise<SubscriptionRow[]> {
    return this.db.query(`SELECT ${SUBSCRIPTION} FROM webhook_subscriptions WHERE organization_id = $1 ORDER BY created_at, id`, [organizationId]);
  }

  async get(organizationId: string, id: string): Promise<SubscriptionRow | undefined> {
    const [row] = await this.db.query<SubscriptionRow[]>(`SELECT ${SUBSCRIPTION} FROM webhook_subscriptions WHERE id = $1 AND organization_id = $2`, [id, organizationId]);
    return row;
  }

  /** Only the fields given change; `undefined` keeps the stored value. */
  async update(organizationId: string, id: string, change: { url?: string; events?: readonly string[]; active?: boolean; secret?: string }): Promise<SubscriptionRow | undefined> {
    const [rows] = await this.db.query<[SubscriptionRow[], number]>(
      `UPDATE webhook_subscriptions SET url = coalesce($3, url), events = coalesce($4, events), active = coalesce($5, active), secret = coalesce($6, secret), updated_at = now()
       WHERE id = $1 AND organization_id = $2 RETURNING ${SUBSCRIPTION}`,
      [id, organizationId, change.url ?? null, change.events ?? null, change.active ?? null, change.secret ?? null],
    );
    return rows[0];
  }

  /** Its deliveries and their log go with it (ON DELETE CASCADE). */
  async delete(organizationId: string, id: string): Promise<boolean> {
    const [, count] = await this.db.query<[unknown[], number]>(`DELETE FROM webhook_subscriptions WHERE id = $1 AND organization_id = $2`, [id, organizationId]);
    return count > 0;
  }

  /** Newest first; `before` is the previous page's last `createdAt|id`. */
  deliveries(subscriptionId: string, limit: number, before?: { createdAt: string; id: string }): Promise<DeliveryRow[]> {
    return this.db.query(
      `SELECT ${DELIVERY} FROM webhook_deliveries d JOIN events e ON e.id = d.event_id
       WHERE d.subscription_id = $1 AND ($2::timestamptz IS NULL OR (d.created_at, d.id) < ($2::timestamptz, $3::uuid))
       ORDER BY d.created_at DESC, d.id DESC LIMIT $4`,
      [subscriptionId, before?.createdAt ?? null, before?.id ?? null, limit],
    );
  }

  async delivery(subscriptionId: string, id: string): Promise<DeliveryRow | undefined> {
    const [row] = await this.db.query<DeliveryRow[]>(`SELECT ${DELIVERY} FROM webhook_deliveries d JOIN events e ON e.id = d.event_id WHERE d.id = $1 AND d.subscription_id = $2`, [id, subscriptionId]);
    return row;
  }

  async attempts(deliveryIds: readonly string[]): Promise<Map<string, WebhookAttempt[]>> {
    const rows: (WebhookAttempt & { deliveryId: string; at: Date })[] = deliveryIds.length === 0 ? [] : await this.db.query(
      `SELECT delivery_id AS "deliveryId", attempt, at, status_code AS "statusCode", duration_ms AS "durationMs", error_class AS "errorClass", response_snippet AS "responseSnippet"
       FROM webhook_attempts WHERE delivery_id = ANY($1::uuid[]) ORDER BY attempt`,
      [deliveryIds],
    );
    const byDelivery = new Map<string, WebhookAttempt[]>();
    for (const { deliveryId, at, statusCode, errorClass, responseSnippet, attempt, durationMs } of rows) {
      const entry: WebhookAttempt = { attempt, at: at.toISOString(), durationMs, ...(statusCode !== null && statusCode !== undefined ? { statusCode } : {}), ...(errorClass ? { errorClass } : {}), ...(responseSnippet ? { responseSnippet } : {}) };
      byDelivery.set(deliveryId, [...(byDelivery.get(deliveryId) ?? []), entry]);
    }
    return byDelivery;
  }

  /** Due again now, with a fresh 24 h: a redelivery asked for by its organization. */
  async redeliver(subscriptionId: string, id: string): Promise<boolean> {
    const [, count] = await this.db.query<[unknown[], number]>(
      `UPDATE webhook_deliveries SET status = 'pending', next_attempt_at = now(), give_up_at = now() + interval '24 hours', enqueued_at = NULL, delivered_at = NULL
       WHERE id = $1 AND subscription_id = $2`,
      [id, subscriptionId],
    );
    return count > 0;
  }

  /**
   * Pending deliveries to queue: due within `aheadMs` and never queued, or queued longer than
   * `requeueAfterSeconds` ago and still pending (the job was lost with the queue's memory). Marked
   * queued in the same statement, so two dispatchers do not both take a row (SKIP LOCKED).
   */
  async takeDue(aheadMs: number, requeueAfterSeconds: number, limit: number): Promise<{ id: string; attempts: number; dueInMs: number }[]> {
    // An UPDATE answers [rows, count] through TypeORM.
    const [rows] = await this.db.query<[{ id: string; attempts: number; dueInMs: number }[], number]>(
      `UPDATE webhook_deliveries d SET enqueued_at = now()
       FROM (SELECT id FROM webhook_deliveries
             WHERE status = 'pending' AND next_attempt_at <= now() + $1 * interval '1 millisecond'
               AND (enqueued_at IS NULL OR enqueued_at < now() - $2 * interval '1 second')
             ORDER BY next_attempt_at LIMIT $3 FOR UPDATE SKIP LOCKED) due
       WHERE d.id = due.id
       RETURNING d.id, d.attempts, greatest(0, extract(epoch FROM d.next_attempt_at - now()) * 1000)::int AS "dueInMs"`,
      [aheadMs, requeueAfterSeconds, limit],
    );
    return rows;
  }

  /**
   * Takes the delivery for one attempt: still pending, at the attempt the job was queued for, due,
   * and not held by another attempt. Undefined: nothing to do (a repeat or stale job).
   */
  async claim(id: string, attempt: number): Promise<DeliveryWork | undefined> {
    const [rows] = await this.db.query<[{ id: string; attempts: number; giveUpAt: Date; url: string; secret: string; organizationId: string; organizationKind: DeliveryWork['organizationKind']; eventId: string; type: EventType; orderId: string | null; payload: StoredEventPayloads[EventType]; eventCreatedAt: Date }[], number]>(
      `UPDATE webhook_deliveries d SET claimed_until = now() + ${CLAIM_SECONDS} * interval '1 second'
       FROM webhook_subscriptions s, events e
       WHERE d.id = $1 AND d.attempts = $2 AND d.status = 'pending' AND d.next_attempt_at <= now() + interval '1 second'
         AND (d.claimed_until IS NULL OR d.claimed_until < now()) AND s.id = d.subscription_id AND e.id = d.event_id
       RETURNING d.id, d.attempts, d.give_up_at AS "giveUpAt", s.url, s.secret, s.organization_id AS "organizationId", s.organization_kind AS "organizationKind",
         e.id::text AS "eventId", e.type, e.order_id AS "orderId", e.payload, e.created_at AS "eventCreatedAt"`,
      [id, attempt],
    );
    const r = rows[0];
    if (!r) return undefined;
    return { id: r.id, attempts: r.attempts, giveUpAt: r.giveUpAt, url: r.url, secret: r.secret, organizationId: r.organizationId, organizationKind: r.organizationKind, event: { id: r.eventId, type: r.type, orderId: r.orderId, payload: r.payload, createdAt: r.eventCreatedAt } };
  }

  /**
   * The attempt's outcome and its log line in one statement: delivered; pending again at
   * `retryAt` (queued afresh by the dispatcher); or failed for good when `retryAt` is null.
   */
  async settle(id: string, attempt: WebhookAttempt & { readonly ok: boolean }, retryAt: Date | null): Promise<void> {
    await this.db.query(
      `WITH log AS (
         INSERT INTO webhook_attempts (delivery_id, attempt, status_code, duration_ms, error_class, response_snippet) VALUES ($1, $2, $3, $4, $5, $6)
       )
       UPDATE webhook_deliveries SET attempts = $2, claimed_until = NULL, enqueued_at = NULL,
         status = CASE WHEN $7 THEN 'delivered' WHEN $8::timestamptz IS NULL THEN 'failed' ELSE 'pending' END,
         delivered_at = CASE WHEN $7 THEN now() END,
         next_attempt_at = coalesce($8::timestamptz, next_attempt_at)
       WHERE id = $1`,
      [id, attempt.attempt, attempt.statusCode ?? null, attempt.durationMs, attempt.errorClass ?? null, attempt.responseSnippet ?? null, attempt.ok, retryAt],
    );
  }
}
