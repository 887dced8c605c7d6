import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * Orders and offers show who changed them last (the actor of their latest events), read per
 * order on every order view: an index on the events of an order, newest last.
 */
export class EventsByOrder1765400100000 implements MigrationInterface {
  name = 'EventsByOrder1765400100000';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`CREATE INDEX events_order ON events (order_id, id) WHERE order_id IS NOT NULL`);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`DROP INDEX events_order`);
  }
}
