import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * Counteroffers and a conversation per offer (DESIGN.md §9, docs/terms.md).
 *
 * `offer_counters`: a factory's answer to an offer with a price and/or an end date of its own,
 * with the offer's terms it answered (so the history reads without the allocation's later
 * terms). At most one is open per offer (a partial unique index); a trigger closes an open one
 * when its offer stops being offered by any path (accepted as offered, rejected, expired,
 * cancelled, released by a capacity cut), so no path can leave a counter open on a closed offer.
 * `allocations.countered` lets the factory's record count counters apart from accepts in the
 * same scan of its allocations that the matcher's snapshot makes; the answer time is the
 * counter's, so `stamp_offer_answer` keeps an earlier stamp.
 *
 * `organizations.counter_tolerance_pct` / `counter_tolerance_days`: a brand's standing
 * tolerance within which counters are accepted for it without asking.
 *
 * `offer_messages`: what the brand and the factory of an offer write each other about it.
 */
export class Counteroffers1765471000000 implements MigrationInterface {
  name = 'Counteroffers1765471000000';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`CREATE TABLE offer_counters (
      id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
      allocation_id uuid NOT NULL REFERENCES allocations(id) ON DELETE CASCADE,
      order_id uuid NOT NULL REFERENCES orders(id) ON DELETE CASCADE,
      factory_id uuid NOT NULL REFERENCES organizations(id),
      price numeric CHECK (price > 0),
      end_date date,
      note text CHECK (char_length(note) <= 500),
      offer_price numeric NOT NULL,
      offer_end_date date NOT NULL,
      status text NOT NULL DEFAULT 'open' CHECK (status IN ('open', 'accepted', 'declined', 'lapsed', 'withdrawn')),
      accepted_by text CHECK (accepted_by IN ('brand', 'tolerance')),
      created_at timestamptz NOT NULL DEFAULT now(),
      answered_at timestamptz,
      CHECK (price IS NOT NULL OR end_date IS NOT NULL),
      CHECK ((status = 'accepted') = (accepted_by IS NOT NULL))
    )`);
    await q.query(`CREATE UNIQUE INDEX offer_counters_open ON offer_counters (allocation_id) WHERE status = 'open'`);
    await q.query(`CREATE INDEX offer_counters_allocation ON offer_counters (allocation_id, created_at)`);
    await q.query(`ALTER TABLE allocations ADD COLUMN countered boolean NOT NULL DEFAULT false`);
    await q.query(`CREATE FUNCTION close_open_counter() RETURNS trigger LANGUAGE plpgsql AS $$
      BEGIN
        UPDATE offer_counters SET status = CASE WHEN NEW.status = 'expired' THEN 'lapsed' ELSE 'withdrawn' END, answered_at = now()
        WHERE allocation_id = NEW.id AND status = 'open';
        RETURN NULL;
      END $$`);
    await q.query(`CREATE TRIGGER allocations_close_counter AFTER UPDATE OF status ON allocations FOR EACH ROW
      WHEN (OLD.status = 'offered' AND NEW.status <> 'offered') EXECUTE FUNCTION close_open_counter()`);
    await q.query(`CREATE OR REPLACE FUNCTION stamp_offer_answer() RETURNS trigger LANGUAGE plpgsql AS $$
      BEGIN NEW.answered_at := coalesce(OLD.answered_at, now()); RETURN NEW; END $$`);
    await q.query(`ALTER TABLE organizations
      ADD COLUMN counter_tolerance_pct numeric NOT NULL DEFAULT 0 CHECK (counter_tolerance_pct >= 0 AND counter_tolerance_pct <= 100),
      ADD COLUMN counter_tolerance_days integer NOT NULL DEFAULT 0 CHECK (counter_tolerance_days >= 0 AND counter_tolerance_days <= 60)`);
    await q.query(`CREATE TABLE offer_messages (
      id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
      allocation_id uuid NOT NULL REFERENCES allocations(id) ON DELETE CASCADE,
      order_id uuid NOT NULL REFERENCES orders(id) ON DELETE CASCADE,
      organization_id uuid NOT NULL REFERENCES organizations(id),
      side text NOT NULL CHECK (side IN ('brand', 'factory')),
      author text,
      body text NOT NULL CHECK (char_length(body) BETWEEN 1 AND 2000),
      created_at timestamptz NOT NULL DEFAULT now()
    )`);
    await q.query(`CREATE INDEX offer_messages_allocation ON offer_messages (allocation_id, created_at, id)`);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`DROP TABLE offer_messages`);
    await q.query(`ALTER TABLE organizations DROP COLUMN counter_tolerance_pct, DROP COLUMN counter_tolerance_days`);
    await q.query(`CREATE OR REPLACE FUNCTION stamp_offer_answer() RETURNS trigger LANGUAGE plpgsql AS $$
      BEGIN NEW.answered_at := now(); RETURN NEW; END $$`);
    await q.query(`DROP TRIGGER allocations_close_counter ON allocations`);
    await q.query(`DROP FUNCTION close_open_counter()`);
    await q.query(`ALTER TABLE allocations DROP COLUMN countered`);
    await q.query(`DROP TABLE offer_counters`);
  }
}
