import { resolve } from 'node:path';
import { type AppConfig, startEmbeddedPostgres } from '@cloudloom/platform';
import { migrate } from '@cloudloom/persistence';

export interface Database {
  readonly url: string;
  readonly embedded: boolean;
  /** Where the embedded cluster keeps its files; 'DATABASE_URL' otherwise. */
  readonly location: string;
  close(): Promise<void>;
}

/** DATABASE_URL when set; otherwise the embedded PostgreSQL under DATA_DIR. Migrated either way. */
export async function openDatabase(config: AppConfig): Promise<Database> {
  if (config.databaseUrl) {
    await migrate(config.databaseUrl);
    return { url: config.databaseUrl, embedded: false, location: 'DATABASE_URL', close: () => Promise.resolve() };
  }
  const pg = await startEmbeddedPostgres({ dataDir: resolve(config.dataDir, 'pg'), preferredPort: config.embeddedPgPort });
  try {
    await migrate(pg.url);
  } catch (error) {
    await pg.stop();
    throw error;
  }
  return { url: pg.url, embedded: true, location: pg.dataDir, close: () => pg.stop() };
}
