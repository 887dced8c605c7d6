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

/** A separate worker process (the built apps/worker) joined to the same database and queues. */
export function startWorker(env: Record<string, string>): WorkerProcess {
  const base = Object.fromEntries(Object.entries(process.env).filter(([k]) => !['DATABASE_URL', 'REDIS_URL', 'VITEST', 'VITEST_POOL_ID', 'VITEST_WORKER_ID'].includes(k)));
  const child = spawn(process.execPath, [WORKER_MAIN], { env: { ...base, ...env, RUN_WORKER: 'true' }, stdio: ['ignore', 'pipe', 'pipe'] });
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

const AUDIT_MAIN = resolve(__dirname, '../../dist/apps/tools/src/audit.js');

export interface AuditRun {
  readonly code: number | null;
  readonly output: string;
  readonly report: { violations: number; stranded: number; statusContradictions: number; ledgerMismatches: number; overReserved: number; allocationMismatches: number; orders: number; byStatus: Record<string, number> };
}

/** `npm run audit` (the built tool) as its own process, on the given app environment's database and queues. */
export async function runAudit(env: Record<string, string>): Promise<AuditRun> {
  const base = Object.fromEntries(Object.entries(process.env).filter(([k]) => !['DATABASE_URL', 'REDIS_URL', 'VITEST', 'VITEST_POOL_ID', 'VITEST_WORKER_ID'].includes(k)));
  const child = spawn(process.execPath, [AUDIT_MAIN], { env: { ...base, ...env }, stdio: ['ignore', 'pipe', 'pipe'] });
  let output = '';
  child.stdout.on('data', (chunk: Buffer) => (output += chunk.toString()));
  child.stderr.on('data', (chunk: Buffer) => (output += chunk.toString()));
  const code = await new Promise<number | null>((done) => child.once('exit', (c) => done(c)));
  const last = output.trim().split('\n').pop() ?? '';
  if (!last.startsWith('{')) throw new Error(`audit printed no report (exit ${String(code)}): ${output.slice(0, 500)}`);
  return { code, output, report: JSON.parse(last) as AuditRun['report'] };
}
