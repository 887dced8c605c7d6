import { chmod, mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { TestProject } from 'vitest/node';
import { startEmbeddedPostgres } from '@cloudloom/platform';

declare module 'vitest' {
  export interface ProvidedContext {
    /** A PostgreSQL server where each test file creates (and drops) its own database. */
    adminDatabaseUrl: string;
    /** Set when tests should use Redis; otherwise BullMQ runs on PostgreSQL. */
    redisUrl: string | undefined;
  }
}

/**
 * With DATABASE_URL (CI, developers with the machine's PostgreSQL) tests use that server;
 * without it, an embedded PostgreSQL is started for the run, exactly like `npm start` does.
 */
export default async function setup(project: TestProject): Promise<() => Promise<void>> {
  const given = process.env.TEST_DATABASE_URL ?? process.env.DATABASE_URL;
  let teardown = (): Promise<void> => Promise.resolve();
  let url = given;
  if (!url) {
    const dir = await mkdtemp(join(tmpdir(), 'cloudloom-test-pg-'));
    await chmod(dir, 0o755);
    const pg = await startEmbeddedPostgres({ dataDir: join(dir, 'pg'), persistent: false, database: 'cloudloom_admin', preferredPort: 0 });
    url = pg.url;
    teardown = async () => {
      await pg.stop();
      await rm(dir, { recursive: true, force: true });
    };
  }
  project.provide('adminDatabaseUrl', url);
  project.provide('redisUrl', process.env.REDIS_URL || undefined);
  return teardown;
}
