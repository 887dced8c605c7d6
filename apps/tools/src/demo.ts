import { fork } from 'node:child_process';
import { intArg, parseArgs } from './args';
import type { DemoMarket, DemoReady } from './demo-platform';
import { Simulator } from './simulator';

const USAGE = 'npm run demo -- [--rate 2] [--factories 60] [--looms 5400] [--brands 12] [--seed 1]';

/**
 * `npm run demo`: starts the platform (demo-platform.js, its own process group) with a seeded
 * small market, then a simulator that talks HTTP to the API as brands and factories do, so the
 * console shows a living market. Ctrl-C stops the simulator, then the platform, then the database.
 */
function main(): void {
  const args = parseArgs(process.argv.slice(2), ['rate', 'factories', 'looms', 'brands', 'seed', 'help']);
  if (args.has('help')) {
    process.stdout.write(`${USAGE}\n`);
    return;
  }
  const factories = intArg(args, 'factories', 60);
  const market: DemoMarket = { factories, looms: intArg(args, 'looms', factories * 90), brands: intArg(args, 'brands', 12), seed: intArg(args, 'seed', 1) };
  const rate = Number(args.get('rate') ?? 2);
  if (!(rate > 0 && rate <= 200)) throw new Error(`--rate must be between 0 and 200 orders/s, not ${args.get('rate')}`);

  // detached: a terminal Ctrl-C goes to this process group only, so the shutdown order is ours.
  const platform = fork(require.resolve('./demo-platform'), [], { detached: true, env: { ...process.env, CLOUDLOOM_DEMO_MARKET: JSON.stringify(market) }, stdio: 'inherit' });
  let simulator: Simulator | undefined;
  const exited = new Promise<number>((done) => platform.once('exit', (code) => done(code ?? 1)));
  void exited.then((code) => {
    if (!stopping) process.exit(code === 0 ? 1 : code);
  });

  platform.once('message', (message: DemoReady) => {
    process.stdout.write(`${message.banner}\n  simulator    ${rate} orders/s; factories accept 75%, reject 10%, let 15% expire\n  Ctrl-C stops the simulator, then the platform.\n\n`);
    simulator = new Simulator({ baseUrl: `${message.url}/api/v1`, keys: message.keys, ordersPerSecond: rate, seed: market.seed, acceptShare: 0.75, rejectShare: 0.1, log: (line) => process.stdout.write(`${line}\n`) });
    simulator.start();
  });

  let stopping = false;
  const shutdown = async (): Promise<void> => {
    if (stopping) {
      platform.kill('SIGKILL');
      process.exit(1);
    }
    stopping = true;
    process.stdout.write('\nstopping: the simulator finishes its requests, then the API and the database close (Ctrl-C again to force)\n');
    await simulator?.stop();
    platform.kill('SIGTERM');
    const code = await exited;
    process.stdout.write(`stopped${simulator ? `: ${simulator.counts.posted} orders posted, ${simulator.counts.accepted} offers accepted, ${simulator.counts.produced} allocations produced` : ''}\n`);
    process.exit(code);
  };
  process.on('SIGINT', () => void shutdown());
  process.on('SIGTERM', () => void shutdown());
}

main();
