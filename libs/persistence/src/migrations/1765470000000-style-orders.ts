import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * Style orders (DESIGN.md §8): one garment style planned as a chain weaving → finishing (when
 * asked) → sewing. The order's `spec` stays the garment the brand receives (what sewing makes,
 * `quantity` in pieces); `style` holds what the earlier stages need (fabric, meters per piece,
 * wastage, finishing, transit days), present exactly on style orders. Each allocation of a style
 * order names its `stage`; other orders' allocations have none.
 */
export class StyleOrders1765470000000 implements MigrationInterface {
  name = 'StyleOrders1765470000000';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`ALTER TABLE orders DROP CONSTRAINT orders_kind_check`);
    await q.query(`ALTER TABLE orders ADD CONSTRAINT orders_kind_check CHECK (kind IN ('fabric', 'garment', 'style'))`);
    await q.query(`ALTER TABLE orders ADD COLUMN style jsonb`);
    await q.query(`ALTER TABLE orders ADD CONSTRAINT orders_style_of_kind CHECK ((kind = 'style') = (style IS NOT NULL))`);
    await q.query(`ALTER TABLE allocations ADD COLUMN stage text CHECK (stage IN ('weaving', 'finishing', 'sewing'))`);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`ALTER TABLE allocations DROP COLUMN stage`);
    await q.query(`ALTER TABLE orders DROP CONSTRAINT orders_style_of_kind`);
    await q.query(`ALTER TABLE orders DROP COLUMN style`);
    await q.query(`ALTER TABLE orders DROP CONSTRAINT orders_kind_check`);
    await q.query(`ALTER TABLE orders ADD CONSTRAINT orders_kind_check CHECK (kind IN ('fabric', 'garment'))`);
  }
}
