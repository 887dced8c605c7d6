import type { Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { ConfigError, loadConfig } from '@cloudloom/platform';
import { createApiApp, DOCS_PATH, mailDestination, openDatabase } from '@cloudloom/market';

/** `npm start`: the API, and in one-process mode the worker too, on DATABASE_URL or the embedded database. */
async function main(): Promise<void> {
  const started = Date.now();
  const config = loadConfig();
  const database = await openDatabase(config);
  const app = await createApiApp({ ...config, databaseUrl: database.url });
  const shutdown = async (): Promise<void> => {
    await app.close();
    await database.close();
  };
  // Workers in this process finish or hand back their jobs, then the database stops.
  const stop = (): void => void shutdown().then(() => process.exit(0), () => process.exit(1));
  process.once('SIGINT', stop);
  process.once('SIGTERM', stop);
  await app.listen(config.port, config.host);
  const address = (app.getHttpServer() as Server).address() as AddressInfo | null;
  const base = `http://${config.host === '0.0.0.0' ? '127.0.0.1' : config.host}:${address?.port ?? config.port}`;
  const lines = [
    '',
    `cloudloom is ready in ${((Date.now() - started) / 1000).toFixed(1)} s`,
    `  console      ${base}/   (queue board ${base}/admin/queues, metrics ${base}/api/v1/metrics; operator key for both)`,
    `  API          ${base}/api/v1   (health: ${base}/api/v1/health/ready)`,
    `  API docs     ${base}/${DOCS_PATH}`,
    `  database     ${database.embedded ? `embedded PostgreSQL (${database.location})` : 'DATABASE_URL'}`,
    `  queues       ${config.redisUrl ? 'Redis (REDIS_URL)' : 'BullMQ on PostgreSQL'}${config.runWorker ? ', worker in this process' : ', no worker (RUN_WORKER=false)'}`,
    `  mail         ${mailDestination(config)}`,
    config.operatorKeyIsDevDefault ? `  operator key ${config.operatorApiKey}   (development default; set OPERATOR_API_KEY)` : '  operator key from OPERATOR_API_KEY',
    '',
  ];
  process.stdout.write(`${lines.join('\n')}\n`);
}

main().catch((error: unknown) => {
  process.stderr.write(`${error instanceof ConfigError ? error.message : error instanceof Error ? (error.stack ?? error.message) : String(error)}\n`);
  process.exit(1);
});
