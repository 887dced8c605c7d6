import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * When a factory answered an offer, for its record's response time (offer to accept or reject).
 * Set by the database on the move out of `offered`, so every path that answers an offer records
 * it the same way; dispatched work (autoAccept, created `accepted`) and expiries have none.
 * Past answers are filled from their `offer.accepted` / `offer.rejected` events.
 */
export class OfferAnswers1765200000000 implements MigrationInterface {
  name = 'OfferAnswers1765200000000';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`ALTER TABLE allocations ADD COLUMN answered_at timestamptz`);
    await q.query(`CREATE FUNCTION stamp_offer_answer() RETURNS trigger LANGUAGE plpgsql AS $$
      BEGIN NEW.answered_at := now(); RETURN NEW; END $$`);
    await q.query(`CREATE TRIGGER allocations_answered BEFORE UPDATE OF status ON allocations FOR EACH ROW
      WHEN (OLD.status = 'offered' AND NEW.status IN ('accepted', 'rejected')) EXECUTE FUNCTION stamp_offer_answer()`);
    await q.query(`UPDATE allocations a SET answered_at = e.at
      FROM (SELECT (payload->>'allocationId')::uuid AS id, min(created_at) AS at FROM events
            WHERE type IN ('offer.accepted', 'offer.rejected') GROUP BY 1) e
      WHERE a.id = e.id`);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`DROP TRIGGER allocations_answered ON allocations`);
    await q.query(`DROP FUNCTION stamp_offer_answer()`);
    await q.query(`ALTER TABLE allocations DROP COLUMN answered_at`);
  }
}
