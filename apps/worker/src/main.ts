import { NestFactory } from '@nestjs/core';
import { Logger } from 'nestjs-pino';
import { ConfigError, loadConfig } from '@cloudloom/platform';
import { mailDestination, openDatabase, WorkerAppModule } from '@cloudloom/market';

/** A worker process: an application context with the queue processors and no HTTP server. */
async function main(): Promise<void> {
  const config = loadConfig();
  if (!config.databaseUrl) throw new ConfigError('Invalid environment:\n  DATABASE_URL: a separate worker needs the shared database (npm start runs an embedded one with its own worker)');
  const database = await openDatabase(config);
  const app = await NestFactory.createApplicationContext(WorkerAppModule.forRoot({ ...config, databaseUrl: database.url }), { bufferLogs: true });
  app.useLogger(app.get(Logger));
  await app.init();
  // The notifier mails events from this process: say where those mails go.
  app.get(Logger).log(`mail: ${mailDestination(config)}`);
  // SIGTERM: workers stop taking jobs, finish the ones in hand (or hand them back), then the
  // connections close and the process exits 0.
  const stop = (): void =>
    void app
      .close()
      .then(() => database.close())
      .then(() => process.exit(0), () => process.exit(1));
  process.once('SIGTERM', stop);
  process.once('SIGINT', stop);
}

main().catch((error: unknown) => {
  process.stderr.write(`${error instanceof ConfigError ? error.message : error instanceof Error ? (error.stack ?? error.message) : String(error)}\n`);
  process.exit(1);
});
