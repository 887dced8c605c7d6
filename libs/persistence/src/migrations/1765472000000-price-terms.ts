import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * What a price covers (DESIGN.md §9, prices a person can read): a line declares whether its rate
 * is for processing only or includes the yarn. An allocation keeps the terms it was offered on,
 * its unit (meters woven or finished, pieces sewn) and what its price covers, so a line that
 * changes its terms later does not rewrite the price of work already offered. The matcher writes
 * allocations in one data-modifying statement that knows nothing of these terms, so a trigger
 * copies them from the line as the row is inserted.
 */
export class PriceTerms1765472000000 implements MigrationInterface {
  name = 'PriceTerms1765472000000';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`ALTER TABLE lines ADD COLUMN price_covers text NOT NULL DEFAULT 'processing'
      CHECK (price_covers IN ('processing', 'yarn_included'))`);
    await q.query(`ALTER TABLE allocations
      ADD COLUMN unit text CHECK (unit IN ('meter', 'piece')),
      ADD COLUMN price_covers text CHECK (price_covers IN ('processing', 'yarn_included'))`);
    await q.query(`UPDATE allocations a SET unit = CASE WHEN l.kind = 'sewing' THEN 'piece' ELSE 'meter' END, price_covers = l.price_covers
      FROM lines l WHERE l.id = a.line_id`);
    await q.query(`ALTER TABLE allocations ALTER COLUMN unit SET NOT NULL, ALTER COLUMN price_covers SET NOT NULL`);
    await q.query(`CREATE FUNCTION allocation_price_terms() RETURNS trigger LANGUAGE plpgsql AS $$
      BEGIN
        SELECT CASE WHEN l.kind = 'sewing' THEN 'piece' ELSE 'meter' END, l.price_covers INTO NEW.unit, NEW.price_covers
          FROM lines l WHERE l.id = NEW.line_id;
        RETURN NEW;
      END $$`);
    await q.query(`CREATE TRIGGER allocations_price_terms BEFORE INSERT ON allocations FOR EACH ROW EXECUTE FUNCTION allocation_price_terms()`);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`DROP TRIGGER allocations_price_terms ON allocations`);
    await q.query(`DROP FUNCTION allocation_price_terms()`);
    await q.query(`ALTER TABLE allocations DROP COLUMN unit, DROP COLUMN price_covers`);
    await q.query(`ALTER TABLE lines DROP COLUMN price_covers`);
  }
}
