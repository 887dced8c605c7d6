import { Client } from 'pg';
import { auditMarket, openDatabase } from '@cloudloom/market';
import { ConfigError, loadConfig, QueueBackend } from '@cloudloom/platform';
import { parseArgs } from './args';

const USAGE = `npm run audit -- [--database-url URL]   (REDIS_URL and QUEUE_PREFIX as the app has them)`;

/**
 * `npm run audit`: every invariant the platform promises, counted on the database (DATABASE_URL,
 * --database-url, or the embedded one `npm start` uses) and the queue beside it. Prints the
 * counts; exits 1 on any violation, so a script or a test can stop on it.
 */
async function main(): Promise<number> {
  const args = parseArgs(process.argv.slice(2), ['database-url', 'help']);
  if (args.has('help')) {
    process.stdout.write(`${USAGE}\n`);
    return 0;
  }
  const url = args.get('database-url');
  const config = loadConfig(url ? { ...process.env, DATABASE_URL: url } : process.env);
  const database = await openDatabase(config);
  const client = new Client({ connectionString: database.url });
  const queues = new QueueBackend({ redisUrl: config.redisUrl, databaseUrl: database.url, prefix: config.queuePrefix, matchPartitions: config.matchPartitions });
  try {
    await client.connect();
    const report = await auditMarket(async <T>(sql: string, params?: unknown[]) => (await client.query(sql, params)).rows as T[], queues);
    const lines = [
      `orders ${report.orders} ${JSON.stringify(report.byStatus)}`,
      `over-reserved line-days   ${report.overReserved}`,
      `ledger mismatches         ${report.ledgerMismatches}`,
      `allocation mismatches     ${report.allocationMismatches}`,
      `status contradictions     ${report.statusContradictions}`,
      `stranded orders           ${report.stranded} (sweep scheduled: ${String(report.sweepScheduled)})`,
      `stranded webhook deliveries ${report.webhookDeliveriesStranded}`,
      `violations                ${report.violations}`,
      JSON.stringify(report),
    ];
    process.stdout.write(`${lines.join('\n')}\n`);
    return report.violations === 0 ? 0 : 1;
  } finally {
    await client.end().catch(() => undefined);
    await queues.close();
    await database.close();
  }
}

main().then(
  (code) => process.exit(code),
  (error: unknown) => {
    process.stderr.write(`${error instanceof ConfigError ? error.message : error instanceof Error ? error.message : String(error)}\n${USAGE}\n`);
    process.exit(2);
  },
);
