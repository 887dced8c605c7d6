import type { TestApp } from '../../support/harness';

/**
 * Tables the platform writes on its own clock, not because of a request: the sweep folds
 * `metric_deltas` into `metric_totals` (so does a `/metrics` scrape), rolls closed hours up into
 * `market_rollups` and raises or clears `alerts`. Their row counts move while nothing a caller
 * did changed; the counters are compared by their values instead.
 */
const DERIVED = ['metric_deltas', 'metric_totals', 'market_rollups', 'alerts'];

/** Row counts of every table a request could write, plus the counted metrics' values: equal before and after means nothing was written. */
export async function rowCounts(t: TestApp): Promise<Record<string, number>> {
  const tables = await t.sql<{ name: string }>(
    `SELECT table_name AS name FROM information_schema.tables
     WHERE table_schema = 'public' AND table_type = 'BASE TABLE' AND table_name <> 'migrations' AND NOT (table_name = ANY($1)) ORDER BY table_name`,
    [DERIVED],
  );
  if (tables.length === 0) throw new Error('no tables found');
  const select = tables.map(({ name }) => `(SELECT count(*)::int FROM "${name}") AS "${name}"`).join(', ');
  const [row] = await t.sql<Record<string, number>>(`SELECT ${select}`);
  const metrics = await t.sql<{ metric: string; label: string; value: number }>(
    `SELECT metric, label, sum(value)::float8 AS value
     FROM (SELECT metric, label, value FROM metric_totals UNION ALL SELECT metric, label, value FROM metric_deltas) m
     GROUP BY metric, label ORDER BY metric, label`,
  );
  const counted = Object.fromEntries(metrics.map((m) => [`metric ${m.metric} ${m.label}`, m.value]));
  return { ...row!, ...counted };
}
