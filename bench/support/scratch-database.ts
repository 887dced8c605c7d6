import { Client } from 'pg';
import { migrate } from '@cloudloom/persistence';

/** A benchmark's own database on the admin server, migrated; `drop` removes it (and closes the admin connection). */
export interface ScratchDatabase {
  readonly url: string;
  drop(options?: { keep?: boolean }): Promise<void>;
}

export async function scratchDatabase(adminUrl: string, name: string): Promise<ScratchDatabase> {
  const admin = new Client({ connectionString: adminUrl });
  await admin.connect();
  await admin.query(`CREATE DATABASE ${name}`);
  const url = new URL(adminUrl);
  url.pathname = `/${name}`;
  await migrate(url.toString());
  return {
    url: url.toString(),
    async drop(options = {}) {
      if (!options.keep) await admin.query(`DROP DATABASE IF EXISTS ${name} WITH (FORCE)`);
      await admin.end();
    },
  };
}
