import { type ChildProcess, spawn } from 'node:child_process';
import { resolve } from 'node:path';

const WORKER_MAIN = resolve(__dirname, '../../dist/apps/worker/src/main.js');

export interface WorkerProcess {
  readonly child: ChildProcess;
  readonly output: () => string;
  /** SIGTERM and wait: the graceful path. */
  stop(): Promise<void>;
  /** SIGKILL: the crash path, nothing is finished or returned. */
  kill(): Promise<void>;
}

/** The environment of a child process: the given one, without the test runner's own. */
function childEnv(env: Record<string, string>): Record<string, string | undefined> {
  const base = Object.fromEntries(Object.entries(process.env).filter(([k]) => !['DATABASE_URL', 'REDIS_URL', 'VITEST', 'VITEST_POOL_ID', 'VITEST_WORKER_ID'].includes(k)));
  return { ...base, ...env };
}

/** A built app as its own process, its output kept. */
function spawnApp(main: string, env: Record<string, string>): WorkerProcess {
  const child = spawn(process.execPath, [main], { env: childEnv(env), stdio: ['ignore', 'pipe', 'pipe'] });
  let output = '';
  child.stdout.on('data', (chunk: Buffer) => (output += chunk.toString()));
  child.stderr.on('data', (chunk: Buffer) => (output += chunk.toString()));
  const exited = new Promise<void>((done) => child.once('exit', () => done()));
  const signal = async (sig: NodeJS.Signals): Promise<void> => {
    if (child.exitCode === null && child.signalCode === null) child.kill(sig);
    await exited;
  };
  return { child, output: () => output, stop: () => signal('SIGTERM'), kill: () => signal('SIGKILL') };
}

/** A separate worker process (the built apps/worker) joined to the same database and queues. */
export function startWorker(env: Record<string, string>): WorkerProcess {
  return spawnApp(WORKER_MAIN, { ...env, RUN_WORKER: 'true' });
}

const AUDIT_MAIN = resolve(__dirname, '../../dist/apps/tools/src/audit.js');

export interface AuditRun {
  readonly code: number | null;
  readonly output: string;
  readonly report: { violations: number; stranded: number; statusContradictions: number; ledgerMismatches: number; overReserved: number; allocationMismatches: number; orders: number; byStatus: Record<string, number> };
}

/** `npm run audit` (the built tool) as its own process, on the given app environment's database and queues. */
export async function runAudit(env: Record<string, string>): Promise<AuditRun> {
  const child = spawn(process.execPath, [AUDIT_MAIN], { env: childEnv(env), stdio: ['ignore', 'pipe', 'pipe'] });
  let output = '';
  child.stdout.on('data', (chunk: Buffer) => (output += chunk.toString()));
  child.stderr.on('data', (chunk: Buffer) => (output += chunk.toString()));
  const code = await new Promise<number | null>((done) => child.once('exit', (c) => done(c)));
  const last = output.trim().split('\n').pop() ?? '';
  if (!last.startsWith('{')) throw new Error(`audit printed no report (exit ${String(code)}): ${output.slice(0, 500)}`);
  return { code, output, report: JSON.parse(last) as AuditRun['report'] };
}

const API_MAIN = resolve(__dirname, '../../dist/apps/api/src/main.js');

export interface ApiProcess extends WorkerProcess {
  /** `http://127.0.0.1:<port>/api/v1` */
  readonly baseUrl: string;
}

/** A separate API process (the built apps/api, no worker in it) on the given environment, on a free port. */
export async function startApi(env: Record<string, string>): Promise<ApiProcess> {
  const api = spawnApp(API_MAIN, { ...env, RUN_WORKER: 'false', PORT: '0', HOST: '127.0.0.1' });
  let baseUrl = '';
  await vi.waitFor(() => {
    const m = /API\s+(http:\/\/\S+\/api\/v1)/.exec(api.output());
    if (!m) throw new Error(api.child.exitCode === null ? 'the API is not ready yet' : `the API exited: ${api.output().slice(-500)}`);
    baseUrl = m[1]!;
  }, { timeout: 60_000, interval: 100 });
  return { ...api, baseUrl };
}
