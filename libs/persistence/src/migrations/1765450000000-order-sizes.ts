import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * A garment order's size breakdown, `[{size, quantity}]` in the brand's order (S, M, L …), summing
 * to the order's quantity (checked on input). Null when the brand sent none. Each allocation's
 * share per size is derived from it and the order's allocations (libs/matching sizes), not stored.
 */
export class OrderSizes1765450000000 implements MigrationInterface {
  name = 'OrderSizes1765450000000';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`ALTER TABLE orders ADD COLUMN sizes jsonb`);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`ALTER TABLE orders DROP COLUMN sizes`);
  }
}
