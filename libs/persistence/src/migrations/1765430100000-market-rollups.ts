import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * The radar's history: market figures per hour and per day, one row per (grain, bucket, cluster,
 * segment, metric); market-wide figures have cluster and segment ''. Written once per closed
 * bucket by the sweep (hourly from the raw tables' last closed hour, daily from the hourly rows),
 * so what a year costs depends on the number of clusters and reasons, not on the orders.
 * The indexes let an hour's rollup read only that hour's orders and allocations.
 */
export class MarketRollups1765430100000 implements MigrationInterface {
  name = 'MarketRollups1765430100000';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`CREATE TABLE market_rollups (
      grain text NOT NULL CHECK (grain IN ('hour', 'day')),
      bucket timestamptz NOT NULL,
      cluster text NOT NULL,
      segment text NOT NULL,
      metric text NOT NULL,
      value double precision NOT NULL,
      PRIMARY KEY (grain, bucket, cluster, segment, metric)
    )`);
    await q.query(`CREATE INDEX orders_created ON orders (created_at)`);
    await q.query(`CREATE INDEX allocations_created ON allocations (created_at)`);
    await q.query(`CREATE INDEX allocations_answered ON allocations (answered_at) WHERE answered_at IS NOT NULL`);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`DROP INDEX allocations_answered`);
    await q.query(`DROP INDEX allocations_created`);
    await q.query(`DROP INDEX orders_created`);
    await q.query(`DROP TABLE market_rollups`);
  }
}
