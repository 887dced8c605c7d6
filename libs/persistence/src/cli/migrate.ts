import { loadConfig, startEmbeddedPostgres } from '@cloudloom/platform';
import { resolve } from 'node:path';
import { createDataSource, migrate } from '../data-source';

/** `npm run db:migrate` (or `db:revert`) against DATABASE_URL, or the embedded database. */
async function main(): Promise<void> {
  const config = loadConfig();
  const embedded = config.databaseUrl ? undefined : await startEmbeddedPostgres({ dataDir: resolve(config.dataDir, 'pg'), preferredPort: config.embeddedPgPort });
  const url = config.databaseUrl ?? embedded!.url;
  try {
    if (process.argv[2] === 'revert') {
      const ds = createDataSource(url, 1);
      await ds.initialize();
      await ds.undoLastMigration({ transaction: 'each' });
      await ds.destroy();
      console.log('reverted the last migration');
    } else {
      const applied = await migrate(url);
      console.log(applied.length ? `applied: ${applied.join(', ')}` : 'schema is up to date');
    }
  } finally {
    await embedded?.stop();
  }
}

main().catch((error: unknown) => {
  console.error(error instanceof Error ? error.message : error);
  process.exitCode = 1;
});
