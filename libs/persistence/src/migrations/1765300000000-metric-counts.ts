import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * The seconds bounds of `cloudloom_time_to_match_seconds`, frozen here: the trigger files each
 * first plan under one of them. Other bounds mean a new migration (and `TIME_TO_MATCH_BUCKETS`).
 */
const BOUNDS = '{0.05,0.1,0.25,0.5,1,2.5,5,10,30,60,300,900,3600}';

/** The trigger's branches for a status change (-1 for the old status, +1 for the new) and a delete. */
function statusMoves(metric: string): string {
  return `ELSIF TG_OP = 'UPDATE' THEN
          INSERT INTO metric_deltas (metric, label, value)
          SELECT '${metric}', s, sum(d) FROM (
            SELECT n.status AS s, 1 AS d FROM new_rows n JOIN old_rows o USING (id) WHERE n.status <> o.status
            UNION ALL SELECT o.status, -1 FROM new_rows n JOIN old_rows o USING (id) WHERE n.status <> o.status) c
          GROUP BY s;
        ELSE
          INSERT INTO metric_deltas (metric, label, value) SELECT '${metric}', status, -count(*) FROM old_rows GROUP BY status;
        END IF;`;
}

/** Statement-level triggers (one delta row per metric and label per statement, not per row). */
async function countedBy(q: QueryRunner, table: string, fn: string): Promise<void> {
  const on = { insert: 'NEW TABLE AS new_rows', update: 'OLD TABLE AS old_rows NEW TABLE AS new_rows', delete: 'OLD TABLE AS old_rows' };
  for (const [op, tables] of Object.entries(on)) {
    await q.query(`CREATE TRIGGER ${table}_counted_${op} AFTER ${op.toUpperCase()} ON ${table} REFERENCING ${tables} FOR EACH STATEMENT EXECUTE FUNCTION ${fn}()`);
  }
}

/**
 * Metrics observed when their change commits, so a scrape costs the same at a thousand and at a
 * million orders. Writers only append to `metric_deltas` (statement-level triggers, one row per
 * metric and label per statement: no row is shared between writers, so nothing waits and nothing
 * deadlocks); the scrape and the sweep fold the deltas into `metric_totals` in one statement, and
 * a scrape reads totals plus deltas in one statement, one snapshot. A histogram's buckets are
 * stored per bucket (not cumulative) and summed by the reader, so they are cumulative by
 * construction, and `_count` is their sum.
 */
export class MetricCounts1765300000000 implements MigrationInterface {
  name = 'MetricCounts1765300000000';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`CREATE TABLE metric_deltas (id bigserial PRIMARY KEY, metric text NOT NULL, label text NOT NULL, value float8 NOT NULL)`);
    await q.query(`CREATE TABLE metric_totals (metric text NOT NULL, label text NOT NULL, value float8 NOT NULL, PRIMARY KEY (metric, label))`);

    // Orders: posted by kind (a counter), and by status now (+1 for the new status, -1 for the old).
    await q.query(`CREATE FUNCTION count_orders() RETURNS trigger LANGUAGE plpgsql AS $$
      BEGIN
        IF TG_OP = 'INSERT' THEN
          INSERT INTO metric_deltas (metric, label, value)
          SELECT 'orders_posted', kind, count(*) FROM new_rows GROUP BY kind
          UNION ALL SELECT 'orders', status, count(*) FROM new_rows GROUP BY status;
${statusMoves('orders')}
        RETURN NULL;
      END $$`);
    await countedBy(q, 'orders', 'count_orders');

    // Allocations by status now; and an order's first plan (its first allocation ever) observes
    // the time to match, in the transaction that writes it. The order row is locked by whoever
    // writes its allocations, so two first plans of one order cannot both be counted.
    await q.query(`CREATE FUNCTION count_allocations() RETURNS trigger LANGUAGE plpgsql AS $$
      BEGIN
        IF TG_OP = 'INSERT' THEN
          INSERT INTO metric_deltas (metric, label, value)
          SELECT 'offers', status, count(*) FROM new_rows GROUP BY status;
          WITH firsts AS (
            SELECT n.order_id, min(n.created_at) AS at FROM new_rows n GROUP BY n.order_id),
          waited AS (
            SELECT greatest(extract(epoch FROM f.at - o.created_at)::float8, 0) AS s
            FROM firsts f JOIN orders o ON o.id = f.order_id
            WHERE NOT EXISTS (SELECT 1 FROM allocations a WHERE a.order_id = f.order_id AND a.id NOT IN (SELECT id FROM new_rows))),
          filed AS (
            SELECT coalesce((SELECT min(b)::text FROM unnest('${BOUNDS}'::float8[]) b WHERE w.s <= b), '+Inf') AS le, w.s FROM waited w)
          INSERT INTO metric_deltas (metric, label, value)
          SELECT 'time_to_match_bucket', le, count(*) FROM filed GROUP BY le
          UNION ALL SELECT 'time_to_match_sum', '', sum(s) FROM filed HAVING count(*) > 0;
${statusMoves('offers')}
        RETURN NULL;
      END $$`);
    await countedBy(q, 'allocations', 'count_allocations');

    // TRUNCATE fires no row or statement triggers of the kinds above (`npm run seed -- --reset`
    // empties the market with it): the counts of an emptied table start again from zero.
    await q.query(`CREATE FUNCTION count_truncated() RETURNS trigger LANGUAGE plpgsql AS $$
      BEGIN
        DELETE FROM metric_deltas WHERE metric = ANY(TG_ARGV);
        DELETE FROM metric_totals WHERE metric = ANY(TG_ARGV);
        RETURN NULL;
      END $$`);
    await q.query(`CREATE TRIGGER orders_counted_truncate AFTER TRUNCATE ON orders FOR EACH STATEMENT EXECUTE FUNCTION count_truncated('orders', 'orders_posted')`);
    await q.query(`CREATE TRIGGER allocations_counted_truncate AFTER TRUNCATE ON allocations FOR EACH STATEMENT EXECUTE FUNCTION count_truncated('offers', 'time_to_match_bucket', 'time_to_match_sum')`);

    // What is already there, once.
    await q.query(`INSERT INTO metric_totals (metric, label, value)
      SELECT 'orders_posted', kind, count(*) FROM orders GROUP BY kind
      UNION ALL SELECT 'orders', status, count(*) FROM orders GROUP BY status
      UNION ALL SELECT 'offers', status, count(*) FROM allocations GROUP BY status`);
    await q.query(`WITH waited AS (
        SELECT greatest(extract(epoch FROM min(a.created_at) - o.created_at)::float8, 0) AS s
        FROM orders o JOIN allocations a ON a.order_id = o.id GROUP BY o.id, o.created_at),
      filed AS (SELECT coalesce((SELECT min(b)::text FROM unnest('${BOUNDS}'::float8[]) b WHERE w.s <= b), '+Inf') AS le, w.s FROM waited w)
      INSERT INTO metric_totals (metric, label, value)
      SELECT 'time_to_match_bucket', le, count(*) FROM filed GROUP BY le
      UNION ALL SELECT 'time_to_match_sum', '', sum(s) FROM filed HAVING count(*) > 0`);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`DROP TRIGGER orders_counted_truncate ON orders`);
    await q.query(`DROP TRIGGER allocations_counted_truncate ON allocations`);
    await q.query(`DROP FUNCTION count_truncated()`);
    for (const table of ['orders', 'allocations']) {
      for (const op of ['insert', 'update', 'delete']) await q.query(`DROP TRIGGER ${table}_counted_${op} ON ${table}`);
    }
    await q.query(`DROP FUNCTION count_orders()`);
    await q.query(`DROP FUNCTION count_allocations()`);
    await q.query(`DROP TABLE metric_totals`);
    await q.query(`DROP TABLE metric_deltas`);
  }
}
