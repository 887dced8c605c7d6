import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * The price a brand agreed holds (DESIGN.md §9). `agreed_price` is the target price, or the first
 * complete plan's price (filled for existing orders from what their live allocations cost);
 * `price_tolerance_pct` how far a later plan may go above it without the brand; `approval` the
 * plan waiting for the brand in `awaiting_approval`, with `approval_expires_at` for the sweep's
 * lapse (a partial index: only waiting orders are in it); `price_declined` that the brand said no
 * to a higher price, so later plans are held to the agreed price instead of asking again.
 */
export class AgreedTerms1765420000000 implements MigrationInterface {
  name = 'AgreedTerms1765420000000';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`ALTER TABLE orders
      ADD COLUMN agreed_price numeric,
      ADD COLUMN price_tolerance_pct numeric NOT NULL DEFAULT 0 CHECK (price_tolerance_pct >= 0),
      ADD COLUMN price_declined boolean NOT NULL DEFAULT false,
      ADD COLUMN approval jsonb,
      ADD COLUMN approval_expires_at timestamptz`);
    await q.query(`UPDATE orders o SET agreed_price = coalesce(o.target_price, a.price)
      FROM (SELECT order_id, sum(price) AS price FROM allocations
            WHERE status IN ('offered', 'accepted', 'in_production', 'produced') GROUP BY order_id) a
      WHERE a.order_id = o.id`);
    await q.query(`UPDATE orders SET agreed_price = target_price WHERE agreed_price IS NULL AND target_price IS NOT NULL`);
    await q.query(`CREATE INDEX orders_awaiting_approval ON orders (approval_expires_at) WHERE status = 'awaiting_approval'`);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`DROP INDEX orders_awaiting_approval`);
    await q.query(`ALTER TABLE orders DROP COLUMN agreed_price, DROP COLUMN price_tolerance_pct, DROP COLUMN price_declined,
      DROP COLUMN approval, DROP COLUMN approval_expires_at`);
  }
}
