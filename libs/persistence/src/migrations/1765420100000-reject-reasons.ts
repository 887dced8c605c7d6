import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * Why a factory said no (DESIGN.md §9): a code and a note on the rejected allocation, which the
 * order's brand reads and operators sum per factory and code (a partial index: only rejections).
 */
export class RejectReasons1765420100000 implements MigrationInterface {
  name = 'RejectReasons1765420100000';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`ALTER TABLE allocations
      ADD COLUMN reject_reason_code text CHECK (reject_reason_code IN ('NO_CAPACITY', 'PRICE', 'SPEC', 'MATERIAL', 'OTHER')),
      ADD COLUMN reject_note text`);
    // Earlier rejections gave free text only: kept as the note, under OTHER.
    await q.query(`UPDATE allocations a SET reject_reason_code = 'OTHER', reject_note = left(e.payload->>'reason', 500)
      FROM events e WHERE e.type = 'offer.rejected' AND (e.payload->>'allocationId')::uuid = a.id AND a.status = 'rejected'`);
    await q.query(`CREATE INDEX allocations_reject_reasons ON allocations (factory_id, reject_reason_code) WHERE reject_reason_code IS NOT NULL`);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`DROP INDEX allocations_reject_reasons`);
    await q.query(`ALTER TABLE allocations DROP COLUMN reject_reason_code, DROP COLUMN reject_note`);
  }
}
