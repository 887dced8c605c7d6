import type { TestApp } from '../../support/harness';

/** Row counts of every table of the application's schema: what "nothing was written" means. */
export async function rowCounts(t: TestApp): Promise<Record<string, number>> {
  const tables = await t.sql<{ name: string }>(
    `SELECT table_name AS name FROM information_schema.tables
     WHERE table_schema = 'public' AND table_type = 'BASE TABLE' AND table_name <> 'migrations' ORDER BY table_name`,
  );
  if (tables.length === 0) throw new Error('no tables found');
  const select = tables.map(({ name }) => `(SELECT count(*)::int FROM "${name}") AS "${name}"`).join(', ');
  const [row] = await t.sql<Record<string, number>>(`SELECT ${select}`);
  return row!;
}
