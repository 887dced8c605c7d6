import { type ChildProcess, spawn } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { createServer } from 'node:net';
import { resolve } from 'node:path';

const DIST = resolve(__dirname, '../../..');
export const API_MAIN = resolve(DIST, 'apps/api/src/main.js');
export const WORKER_MAIN = resolve(DIST, 'apps/worker/src/main.js');

export interface Proc {
  readonly child: ChildProcess;
  readonly output: () => string;
  /** Peak resident set size so far (VmHWM), in bytes. */
  peakRss(): number;
  stop(): Promise<void>;
}

/** A built entry point as its own process, as production runs it; extra node flags (e.g. --cpu-prof) first. */
export function startProcess(main: string, env: Record<string, string>, nodeFlags: readonly string[] = []): Proc {
  const base = Object.fromEntries(Object.entries(process.env).filter(([k]) => !['DATABASE_URL', 'REDIS_URL', 'PORT'].includes(k)));
  const child = spawn(process.execPath, [...nodeFlags, main], { env: { ...base, ...env }, stdio: ['ignore', 'pipe', 'pipe'] });
  let output = '';
  const keep = (chunk: Buffer): void => {
    output = (output + chunk.toString()).slice(-20_000);
  };
  child.stdout.on('data', keep);
  child.stderr.on('data', keep);
  const exited = new Promise<void>((done) => child.once('exit', () => done()));
  return {
    child,
    output: () => output,
    peakRss: () => {
      try {
        const kb = /VmHWM:\s+(\d+)\s+kB/.exec(readFileSync(`/proc/${child.pid}/status`, 'utf8'))?.[1];
        return Number(kb ?? 0) * 1024;
      } catch {
        return 0;
      }
    },
    stop: async () => {
      if (child.exitCode === null && child.signalCode === null) child.kill('SIGTERM');
      const timer = setTimeout(() => child.kill('SIGKILL'), 15_000);
      await exited;
      clearTimeout(timer);
    },
  };
}

/** Polls /health/ready until it answers 200; returns the milliseconds since `since`. */
export async function waitReady(baseUrl: string, proc: Proc, since: number, timeoutMs = 60_000): Promise<number> {
  for (;;) {
    if (proc.child.exitCode !== null) throw new Error(`the API exited early:\n${proc.output()}`);
    try {
      const res = await fetch(`${baseUrl}/health/ready`);
      if (res.status === 200) return performance.now() - since;
    } catch {
      // not listening yet
    }
    if (performance.now() - since > timeoutMs) throw new Error(`the API was not ready after ${timeoutMs} ms:\n${proc.output()}`);
    await sleep(20);
  }
}

export function freePort(): Promise<number> {
  return new Promise((done, fail) => {
    const server = createServer();
    server.once('error', fail);
    server.listen(0, '127.0.0.1', () => {
      const address = server.address();
      server.close(() => done(typeof address === 'object' && address ? address.port : 0));
    });
  });
}

export const sleep = (ms: number): Promise<void> => new Promise((done) => setTimeout(done, ms));

/** CPU time (user + system) a process has used so far, in milliseconds; 0 once it is gone. */
export function cpuMs(pid: number | undefined): number {
  if (pid === undefined) return 0;
  try {
    const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
    const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
    // utime and stime are fields 14 and 15 of stat(5), in clock ticks of 10 ms on Linux.
    return (Number(fields[11]) + Number(fields[12])) * 10;
  } catch {
    return 0;
  }
}
