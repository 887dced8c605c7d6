import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * Webhooks: subscriptions, one delivery row per (event, subscription), and each attempt's log.
 *
 * The deliveries are written by a statement-level trigger on `events`, in the transaction that
 * writes the event: an event exists exactly when the deliveries it owes do, whichever statement
 * wrote it (the matcher writes its events inside one data-modifying WITH), so no crash or lost
 * queue between the change and a dispatcher can lose a delivery. The trigger applies the feed's
 * audience rule: a subscription hears an event only if its organization is in the event's
 * audience (the operator hears every event); the payload is shaped per viewer at delivery.
 * Subscriptions have no foreign key to organizations: the operator is not a stored organization.
 */
export class Webhooks1765410000000 implements MigrationInterface {
  name = 'Webhooks1765410000000';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`CREATE TABLE webhook_subscriptions (
      id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
      organization_id uuid NOT NULL,
      organization_kind text NOT NULL CHECK (organization_kind IN ('brand', 'factory', 'operator')),
      url text NOT NULL,
      events text[] NOT NULL,
      secret text NOT NULL,
      active boolean NOT NULL DEFAULT true,
      created_at timestamptz NOT NULL DEFAULT now(),
      updated_at timestamptz NOT NULL DEFAULT now()
    )`);
    await q.query(`CREATE INDEX webhook_subscriptions_organization ON webhook_subscriptions (organization_id, created_at)`);
    await q.query(`CREATE TABLE webhook_deliveries (
      id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
      subscription_id uuid NOT NULL REFERENCES webhook_subscriptions (id) ON DELETE CASCADE,
      event_id bigint NOT NULL REFERENCES events (id) ON DELETE CASCADE,
      status text NOT NULL DEFAULT 'pending' CHECK (status IN ('pending', 'delivered', 'failed')),
      attempts integer NOT NULL DEFAULT 0,
      next_attempt_at timestamptz NOT NULL DEFAULT now(),
      give_up_at timestamptz NOT NULL DEFAULT now() + interval '24 hours',
      enqueued_at timestamptz,
      claimed_until timestamptz,
      delivered_at timestamptz,
      created_at timestamptz NOT NULL DEFAULT now(),
      UNIQUE (event_id, subscription_id)
    )`);
    await q.query(`CREATE INDEX webhook_deliveries_due ON webhook_deliveries (next_attempt_at) WHERE status = 'pending'`);
    await q.query(`CREATE INDEX webhook_deliveries_subscription ON webhook_deliveries (subscription_id, created_at DESC)`);
    await q.query(`CREATE TABLE webhook_attempts (
      id bigserial PRIMARY KEY,
      delivery_id uuid NOT NULL REFERENCES webhook_deliveries (id) ON DELETE CASCADE,
      attempt integer NOT NULL,
      at timestamptz NOT NULL DEFAULT now(),
      status_code integer,
      duration_ms integer NOT NULL,
      error_class text,
      response_snippet text
    )`);
    await q.query(`CREATE INDEX webhook_attempts_delivery ON webhook_attempts (delivery_id, attempt)`);
    await q.query(`CREATE FUNCTION webhook_deliveries_for_events() RETURNS trigger LANGUAGE plpgsql AS $$
      BEGIN
        INSERT INTO webhook_deliveries (subscription_id, event_id)
        SELECT s.id, e.id FROM inserted e
        JOIN webhook_subscriptions s ON s.active AND e.type = ANY (s.events)
          AND (s.organization_kind = 'operator' OR s.organization_id = ANY (e.audience))
        ON CONFLICT DO NOTHING;
        RETURN NULL;
      END $$`);
    await q.query(`CREATE TRIGGER events_webhook_deliveries AFTER INSERT ON events
      REFERENCING NEW TABLE AS inserted FOR EACH STATEMENT EXECUTE FUNCTION webhook_deliveries_for_events()`);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`DROP TRIGGER IF EXISTS events_webhook_deliveries ON events`);
    await q.query(`DROP FUNCTION IF EXISTS webhook_deliveries_for_events()`);
    for (const table of ['webhook_attempts', 'webhook_deliveries', 'webhook_subscriptions']) await q.query(`DROP TABLE IF EXISTS ${table}`);
  }
}
