import { type ChildProcess, spawn } from 'node:child_process';
import { randomUUID } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { createServer, connect, type Socket } from 'node:net';
import { resolve } from 'node:path';

/**
 * The live-feed flood of issue 22, as the test and `npm run bench:feed` both run it: an API
 * process of its own (so its memory is measured alone), a table of events seeded in one
 * statement, and event streams opened with `Last-Event-ID: 0` by clients that never read.
 */

// This file runs from source (tests) and from dist/ (the bench): the built API is at the same place.
const ROOT = resolve(__dirname, __dirname.split(/[\\/]/).includes('dist') ? '../../..' : '../..');
const API_MAIN = resolve(ROOT, 'dist/apps/api/src/main.js');

export interface ApiProcess {
  readonly child: ChildProcess;
  readonly baseUrl: string;
  readonly output: () => string;
  stop(): Promise<void>;
}

async function freePort(): Promise<number> {
  return new Promise((done, fail) => {
    const server = createServer();
    server.once('error', fail);
    server.listen(0, '127.0.0.1', () => {
      const { port } = server.address() as { port: number };
      server.close(() => done(port));
    });
  });
}

/** The built API (no worker) on `env`'s database, once `/health` answers. */
export async function startApiProcess(env: Record<string, string>, deadlineMs = 60_000): Promise<ApiProcess> {
  const port = await freePort();
  const base = Object.fromEntries(Object.entries(process.env).filter(([k]) => !['DATABASE_URL', 'REDIS_URL', 'VITEST', 'VITEST_POOL_ID', 'VITEST_WORKER_ID'].includes(k)));
  const child = spawn(process.execPath, [API_MAIN], {
    env: { ...base, ...env, PORT: String(port), HOST: '127.0.0.1', RUN_WORKER: 'false' },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let output = '';
  child.stdout.on('data', (chunk: Buffer) => (output += chunk.toString()));
  child.stderr.on('data', (chunk: Buffer) => (output += chunk.toString()));
  const exited = new Promise<void>((done) => child.once('exit', () => done()));
  const baseUrl = `http://127.0.0.1:${port}/api/v1`;
  const until = Date.now() + deadlineMs;
  for (;;) {
    if (child.exitCode !== null) throw new Error(`API process exited: ${output}`);
    const up = await fetch(`${baseUrl}/health`).then((r) => r.ok, () => false);
    if (up) break;
    if (Date.now() > until) throw new Error(`API process did not start: ${output}`);
    await new Promise((r) => setTimeout(r, 200));
  }
  return {
    child,
    baseUrl,
    output: () => output,
    stop: async () => {
      if (child.exitCode === null && child.signalCode === null) child.kill('SIGTERM');
      await exited;
    },
  };
}

/** Resident memory of a process, in MB (Linux). */
export function rssMb(pid: number): number {
  const line = /VmRSS:\s+(\d+) kB/.exec(readFileSync(`/proc/${pid}/status`, 'utf8'));
  return line ? Number(line[1]) / 1024 : 0;
}

/**
 * `count` events in one INSERT, each addressed to every organization of `audience`, shaped
 * like a split order's `order.matched` (some 400 bytes each), as 50 bulk posts leave them.
 */
export async function seedEvents(sql: (text: string, params: unknown[]) => Promise<unknown>, audience: readonly string[], count: number): Promise<void> {
  await sql(
    `INSERT INTO events (type, order_id, audience, payload)
     SELECT 'order.matched', NULL, $1::uuid[], jsonb_build_object('orderId', gen_random_uuid(), 'status', 'proposed', 'allocations', jsonb_build_array(
       jsonb_build_object('id', gen_random_uuid(), 'factoryId', $2::uuid, 'lineId', gen_random_uuid(), 'quantity', 250, 'status', 'offered'),
       jsonb_build_object('id', gen_random_uuid(), 'factoryId', $2::uuid, 'lineId', gen_random_uuid(), 'quantity', 250, 'status', 'offered')))
     FROM generate_series(1, $3::int)`,
    [audience, randomUUID(), count],
  );
}

export interface StalledStream {
  /** The HTTP status of the answer (200 for a stream, 429 over the cap). */
  readonly status: number;
  close(): void;
}

/**
 * Opens `GET /events` with `Last-Event-ID: 0` over a raw socket, reads the status line and
 * then never reads again: what the server writes piles up in its own buffers unless it waits.
 */
export function openStalledStream(baseUrl: string, key: string, lastEventId = '0'): Promise<StalledStream> {
  const url = new URL(`${baseUrl}/events`);
  return new Promise((done, fail) => {
    const socket: Socket = connect(Number(url.port), url.hostname);
    socket.once('error', fail);
    socket.once('connect', () => {
      socket.write(`GET ${url.pathname} HTTP/1.1\r\nHost: ${url.host}\r\nAuthorization: Bearer ${key}\r\nLast-Event-ID: ${lastEventId}\r\nAccept: text/event-stream\r\n\r\n`);
    });
    socket.once('data', (chunk: Buffer) => {
      socket.pause();
      socket.removeListener('error', fail);
      socket.on('error', () => undefined);
      const status = Number(/^HTTP\/1\.1 (\d{3})/.exec(chunk.toString('latin1'))?.[1] ?? 0);
      done({ status, close: () => socket.destroy() });
    });
  });
}

/** Milliseconds one GET takes to answer in full. */
export async function timedGet(url: string, key?: string): Promise<number> {
  const started = performance.now();
  const res = await fetch(url, { headers: key ? { authorization: `Bearer ${key}` } : {} });
  await res.arrayBuffer();
  if (!res.ok) throw new Error(`GET ${url}: ${res.status}`);
  return performance.now() - started;
}

/** `cloudloom_event_streams` of the API process: the streams it still holds. */
export async function openStreams(baseUrl: string, operatorKey: string): Promise<number> {
  const res = await fetch(`${baseUrl}/metrics`, { headers: { authorization: `Bearer ${operatorKey}` } });
  const value = /^cloudloom_event_streams (\d+)$/m.exec(await res.text())?.[1];
  if (value === undefined) throw new Error('cloudloom_event_streams missing from /metrics');
  return Number(value);
}

export interface FloodFigures {
  readonly streamsOpen: number;
  readonly refused: number;
  readonly baselineRssMb: number;
  readonly peakRssMb: number;
  /** The largest RSS seen later than `settleSeconds` after the sockets closed. */
  readonly afterCloseRssMb: number;
  readonly meMs: number[];
  readonly readyMs: number[];
  /** `/me` after the sockets closed. */
  readonly meAfterMs: number[];
  /** Streams the process held during the flood, and how long after the sockets closed it held none (-1: never, within the settling time). */
  readonly streamsHeld: number;
  readonly letGoMs: number;
}

/**
 * Opens every stream of `keys` (one per entry, in order), then for `seconds` samples the
 * process's RSS and times `GET /me` and `GET /health/ready`; closes every socket and samples
 * again for `settleSeconds`.
 */
export async function flood(api: { baseUrl: string; pid: number }, keys: readonly string[], meKey: string, operatorKey: string, seconds: number, settleSeconds: number): Promise<FloodFigures> {
  await timedGet(`${api.baseUrl}/me`, meKey);
  const baselineRssMb = rssMb(api.pid);
  const streams: StalledStream[] = [];
  for (const key of keys) streams.push(await openStalledStream(api.baseUrl, key));
  const open = streams.filter((s) => s.status === 200);
  let peakRssMb = baselineRssMb;
  const meMs: number[] = [];
  const readyMs: number[] = [];
  const until = Date.now() + seconds * 1000;
  while (Date.now() < until) {
    peakRssMb = Math.max(peakRssMb, rssMb(api.pid));
    const [me, ready] = await Promise.all([timedGet(`${api.baseUrl}/me`, meKey), timedGet(`${api.baseUrl}/health/ready`)]);
    meMs.push(me);
    readyMs.push(ready);
    peakRssMb = Math.max(peakRssMb, rssMb(api.pid));
    await new Promise((r) => setTimeout(r, 250));
  }
  const streamsHeld = await openStreams(api.baseUrl, operatorKey);
  for (const s of streams) s.close();
  const closedAt = performance.now();
  let letGoMs = -1;
  const meAfterMs: number[] = [];
  const settled = Date.now() + settleSeconds * 1000;
  let afterCloseRssMb = 0;
  while (Date.now() < settled) {
    if (letGoMs < 0 && (await openStreams(api.baseUrl, operatorKey)) === 0) letGoMs = performance.now() - closedAt;
    meAfterMs.push(await timedGet(`${api.baseUrl}/me`, meKey));
    await new Promise((r) => setTimeout(r, 250));
  }
  // Sampled after the settling time: what the process holds once the clients are gone.
  for (let i = 0; i < 8; i++) {
    afterCloseRssMb = Math.max(afterCloseRssMb, rssMb(api.pid));
    meAfterMs.push(await timedGet(`${api.baseUrl}/me`, meKey));
    await new Promise((r) => setTimeout(r, 250));
  }
  return { streamsOpen: open.length, refused: streams.filter((s) => s.status === 429).length, baselineRssMb, peakRssMb, afterCloseRssMb, meMs, readyMs, meAfterMs, streamsHeld, letGoMs };
}
