import { execFileSync, spawn } from 'node:child_process';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import IORedis from 'ioredis';
import { freePort } from '@cloudloom/platform';
import { inDays, type TestApp } from './harness';
import { seeded } from './ledger';
import { addLine, signup } from './market';
import { runAudit } from './processes';

/** Short sweep and stuck intervals, so recovery takes seconds, not minutes. */
export const FAST_RECOVERY = { SWEEP_EVERY_MS: '300', STUCK_AFTER_SECONDS: '2', JOB_LOCK_MS: '2000', RATE_LIMIT_PER_KEY: '1000000' };

/** `lines` linen mills and a brand; answers the brand's key. */
export async function millMarket(t: TestApp, lines: number): Promise<string> {
  for (let i = 0; i < lines; i++) {
    const factory = await signup(t, { kind: 'factory', name: `Haining Mill ${i}` });
    await addLine(t, factory.key, { kind: 'weaving', name: 'rapiers', machineType: 'rapier', machines: 10, rpm: 500, maxWidthCm: 220, ratePerUnit: 0.01 + i / 1000 });
  }
  return (await signup(t, { kind: 'brand', name: 'Brand' })).key;
}

/** `count` linen orders of a seeded mix of sizes and due dates. */
export function linenOrders(count: number, seed: number): Record<string, unknown>[] {
  const random = seeded(seed);
  return Array.from({ length: count }, () => ({
    kind: 'fabric',
    fabric: { fiber: 'linen', weave: 'plain', widthCm: 150, picksPerCm: 25 },
    quantity: 50 + Math.floor(random() * 150),
    dueDate: inDays(4 + Math.floor(random() * 10)),
  }));
}

export function hasRedisServer(): boolean {
  try {
    execFileSync('redis-server', ['--version'], { stdio: 'ignore' });
    return true;
  } catch {
    return false;
  }
}

export interface PrivateRedis {
  readonly url: string;
  readonly port: number;
  /** Down, not flushed: saves its data to disk, then exits; `start` loads it back. */
  shutdown(): Promise<void>;
  start(): Promise<void>;
  /** Frozen (SIGSTOP): connections stay open and nothing answers; `resume` (SIGCONT) thaws it. */
  freeze(): void;
  resume(): void;
  /** Stops it for good and removes its folder (also after a failed test). */
  remove(): Promise<void>;
}

/**
 * A redis-server of the test's own on a free port (never the shared one): nothing is saved
 * unless the test asks, as on the shared machines.
 */
export async function startPrivateRedis(): Promise<PrivateRedis> {
  const port = await freePort();
  const dir = await mkdtemp(join(tmpdir(), 'cloudloom-redis-'));
  const url = `redis://127.0.0.1:${port}`;
  let server: ReturnType<typeof spawn> | undefined;
  const start = async (): Promise<void> => {
    server = spawn('redis-server', ['--port', String(port), '--bind', '127.0.0.1', '--save', '', '--appendonly', 'no', '--dir', dir, '--dbfilename', 'dump.rdb'], { stdio: 'ignore' });
    const probe = new IORedis(url, { lazyConnect: true, retryStrategy: () => 50, maxRetriesPerRequest: null });
    probe.on('error', () => undefined);
    try {
      await vi.waitFor(async () => expect(await probe.ping()).toBe('PONG'), { timeout: 10_000, interval: 50 });
    } finally {
      probe.disconnect();
    }
  };
  const exited = (): Promise<void> => new Promise((done) => (server && server.exitCode === null && server.signalCode === null ? server.once('exit', () => done()) : done()));
  await start();
  return {
    url,
    port,
    start,
    shutdown: async () => {
      const admin = new IORedis(url, { retryStrategy: () => null });
      admin.on('error', () => undefined);
      const gone = exited();
      await admin.call('SHUTDOWN', 'SAVE').catch(() => undefined);
      admin.disconnect();
      await gone;
    },
    freeze: () => server?.kill('SIGSTOP'),
    resume: () => server?.kill('SIGCONT'),
    remove: async () => {
      server?.kill('SIGCONT');
      const gone = exited();
      server?.kill('SIGKILL');
      await gone;
      await rm(dir, { recursive: true, force: true });
    },
  };
}

/**
 * What a fault test counts and prints: of the orders the API accepted, how many settled (left
 * pending and matching) and how many are stranded, and the audit (`npm run audit`, its own
 * process). Expects every accepted order settled and the audit clean.
 */
export async function expectAllSettled(name: string, t: TestApp, accepted: readonly string[], extra = ''): Promise<void> {
  const [row] = await t.sql<{ total: number; settled: number; stranded: number }>(
    `SELECT count(*)::int AS total, count(*) FILTER (WHERE status NOT IN ('pending', 'matching'))::int AS settled,
            count(*) FILTER (WHERE status IN ('pending', 'matching'))::int AS stranded
     FROM orders WHERE id = ANY($1::uuid[])`,
    [accepted],
  );
  const audit = await runAudit(t.env);
  const { orders, byStatus, overReserved, ledgerMismatches, allocationMismatches, statusContradictions, stranded, violations } = audit.report;
  console.log(`${name}: accepted ${accepted.length}, settled ${row!.settled}, stranded ${row!.stranded}${extra}; audit (exit ${String(audit.code)}) ${JSON.stringify({ orders, byStatus, overReserved, ledgerMismatches, allocationMismatches, statusContradictions, stranded, violations })}`);
  expect(row).toEqual({ total: accepted.length, settled: accepted.length, stranded: 0 });
  expect(audit.report.violations).toBe(0);
  expect(audit.code).toBe(0);
}
