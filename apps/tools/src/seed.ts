import { mkdir, writeFile } from 'node:fs/promises';
import { dirname, resolve } from 'node:path';
import { generateMarket, loadMarket, openDatabase } from '@cloudloom/market';
import { ConfigError, loadConfig } from '@cloudloom/platform';
import { intArg, parseArgs } from './args';

const GOAL_SECONDS = 60;
const USAGE = `npm run seed -- [--factories 6000] [--looms 540000] [--brands 500] [--sewing N] [--seed 1]
                [--database-url URL] [--reset] [--keys-file .data/seed-keys.json]`;

/**
 * `npm run seed`: a reproducible market at any size, loaded in bulk. Without --database-url or
 * DATABASE_URL it fills the embedded database that `npm start` uses.
 */
async function main(): Promise<void> {
  const args = parseArgs(process.argv.slice(2), ['factories', 'looms', 'brands', 'sewing', 'seed', 'database-url', 'reset', 'keys-file', 'help']);
  if (args.has('help')) {
    process.stdout.write(`${USAGE}\n`);
    return;
  }
  const url = args.get('database-url');
  const config = loadConfig(url ? { ...process.env, DATABASE_URL: url } : process.env);
  const factories = intArg(args, 'factories', 6000);
  const options = {
    factories,
    looms: intArg(args, 'looms', factories * 90),
    brands: intArg(args, 'brands', 500),
    sewingFactories: intArg(args, 'sewing', Math.round(factories / 4)),
    seed: intArg(args, 'seed', 1),
    today: new Date().toISOString().slice(0, 10),
    horizonDays: config.horizonDays,
  };
  const database = await openDatabase(config);
  try {
    const generatedAt = Date.now();
    const market = generateMarket(options);
    const generateMs = Date.now() - generatedAt;
    const loaded = await loadMarket(database.url, market, { reset: args.get('reset') === 'true' });
    const keysFile = resolve(args.get('keys-file') ?? resolve(config.dataDir, 'seed-keys.json'));
    await mkdir(dirname(keysFile), { recursive: true });
    await writeFile(keysFile, `${JSON.stringify({ today: market.today, seed: options.seed, keys: loaded.keys }, null, 1)}\n`, { mode: 0o600 });
    // From process start: loading the code and migrating count too.
    const seconds = process.uptime();
    const looms = market.lines.reduce((s, l) => s + (l.spec.kind === 'weaving' ? l.spec.machines : 0), 0);
    const out = [
      `seeded ${options.factories.toLocaleString('en-US')} mills (${looms.toLocaleString('en-US')} looms), ${options.sewingFactories.toLocaleString('en-US')} sewing factories, ${options.brands} brands (seed ${options.seed})`,
      `  ${loaded.lines.toLocaleString('en-US')} lines, ${loaded.ledgerDays.toLocaleString('en-US')} ledger days (${market.horizonDays}-day horizon from ${market.today}), ${market.overrides.length.toLocaleString('en-US')} days below nominal`,
      `  into ${database.embedded ? `embedded PostgreSQL (${database.location})` : 'DATABASE_URL'}; API keys in ${keysFile}`,
      `  generate ${(generateMs / 1000).toFixed(1)} s, load ${(loaded.ms / 1000).toFixed(1)} s, total ${seconds.toFixed(1)} s: ${(seconds / GOAL_SECONDS).toFixed(2)} x the ${GOAL_SECONDS} s goal`,
    ];
    process.stdout.write(`${out.join('\n')}\n`);
  } finally {
    await database.close();
  }
}

main().catch((error: unknown) => {
  process.stderr.write(`${error instanceof ConfigError ? error.message : error instanceof Error ? error.message : String(error)}\n${USAGE}\n`);
  process.exit(1);
});
