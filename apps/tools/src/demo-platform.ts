import type { Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { join } from 'node:path';
import { createApiApp, DOCS_PATH, generateMarket, loadMarket, openDatabase, type SeededKey } from '@cloudloom/market';
import { ConfigError, loadConfig } from '@cloudloom/platform';

/** What the platform tells the demo launcher once it listens. */
export interface DemoReady {
  readonly url: string;
  readonly keys: readonly SeededKey[];
  readonly banner: string;
}

export interface DemoMarket {
  readonly factories: number;
  readonly looms: number;
  readonly brands: number;
  readonly seed: number;
}

/**
 * The demo's platform process: API and worker in one process on the embedded PostgreSQL (its own
 * cluster under DATA_DIR/demo, its market reset at every start). Started by `demo.ts` in its own
 * process group, so a Ctrl-C in the terminal reaches the launcher only; the launcher stops the
 * simulator first, then sends SIGTERM here, and this process closes the API, then the database.
 */
async function main(): Promise<void> {
  const started = Date.now();
  const shape = JSON.parse(process.env.CLOUDLOOM_DEMO_MARKET ?? '{}') as DemoMarket;
  // Never a configured database or Redis: the demo resets its market, so it keeps to its own.
  const env = Object.fromEntries(Object.entries(process.env).filter(([k]) => k !== 'DATABASE_URL' && k !== 'REDIS_URL'));
  const base = loadConfig({ OFFER_TTL_SECONDS: '60', SWEEP_EVERY_MS: '5000', STUCK_AFTER_SECONDS: '10', LOG_LEVEL: 'warn', QUEUE_PREFIX: 'cloudloom_demo', ...env });
  const config = { ...base, dataDir: join(base.dataDir, 'demo') };

  const database = await openDatabase(config);
  const market = generateMarket({ ...shape, today: new Date().toISOString().slice(0, 10), horizonDays: config.horizonDays });
  const { keys } = await loadMarket(database.url, market, { reset: true });
  const app = await createApiApp({ ...config, databaseUrl: database.url });
  await app.listen(config.port, config.host);
  const { port } = (app.getHttpServer() as Server).address() as AddressInfo;
  const url = `http://${config.host === '0.0.0.0' ? '127.0.0.1' : config.host}:${port}`;

  let closing: Promise<void> | undefined;
  const shutdown = (): Promise<void> =>
    (closing ??= (async () => {
      await app.close();
      await database.close();
      process.exit(0);
    })());
  process.on('SIGTERM', () => void shutdown());
  process.on('SIGINT', () => void shutdown());
  // The launcher died without telling us: do not outlive it.
  process.on('disconnect', () => void shutdown());

  const brands = keys.filter((k) => k.kind === 'brand');
  const offered = new Set(market.organizations.filter((o) => o.kind === 'factory' && !o.autoAccept).map((o) => o.id));
  const mill = keys.find((k) => offered.has(k.organizationId))!;
  const banner = [
    '',
    `cloudloom demo is ready in ${((Date.now() - started) / 1000).toFixed(1)} s: ${keys.length - brands.length} factories, ${market.lines.length} lines, ${brands.length} brands`,
    `  console      ${url}/   (sign in with a key below)`,
    `  operator     ${config.operatorApiKey}${config.operatorKeyIsDevDefault ? '   (development default)' : ''}`,
    `  a brand      ${brands[0]!.apiKey}   (${brands[0]!.name})`,
    `  a mill       ${mill.apiKey}   (${mill.name})`,
    `  API docs     ${url}/${DOCS_PATH}     queues ${url}/admin/queues`,
    `  database     embedded PostgreSQL (${database.location}); offers live ${config.offerTtlSeconds} s`,
  ].join('\n');
  process.send?.({ url, keys, banner } satisfies DemoReady);
}

main().catch((error: unknown) => {
  process.stderr.write(`${error instanceof ConfigError ? error.message : error instanceof Error ? (error.stack ?? error.message) : String(error)}\n`);
  process.exit(1);
});
