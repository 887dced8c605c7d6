import { type ChildProcess, spawn } from 'node:child_process';
import { chmod, mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { freePort } from '@cloudloom/platform';
import { inDays } from '../support/harness';


const MAIN = resolve(__dirname, '../../dist/apps/api/src/main.js');

/**
 * `npm start` on a machine with nothing configured: no DATABASE_URL, no REDIS_URL. The
 * built entry point starts the embedded PostgreSQL, runs BullMQ on it, and matches an order.
 */
describe('embedded default (npm start with nothing set)', () => {
  let child: ChildProcess;
  let dataDir: string;
  let output = '';

  beforeAll(async () => {
    dataDir = await mkdtemp(join(tmpdir(), 'cloudloom-smoke-'));
    await chmod(dataDir, 0o755);
    const env = Object.fromEntries(Object.entries(process.env).filter(([k]) => !['DATABASE_URL', 'REDIS_URL', 'TEST_DATABASE_URL', 'NODE_ENV', 'VITEST', 'OPERATOR_API_KEY'].includes(k)));
    // Not the default port: a developer's own `npm start` may be holding it.
    child = spawn(process.execPath, [MAIN], { env: { ...env, PORT: '0', DATA_DIR: dataDir, EMBEDDED_PG_PORT: String(await freePort()), LOG_LEVEL: 'warn' }, stdio: ['ignore', 'pipe', 'pipe'] });
    child.stdout!.on('data', (chunk: Buffer) => (output += chunk.toString()));
    child.stderr!.on('data', (chunk: Buffer) => (output += chunk.toString()));
  });

  afterAll(async () => {
    if (child.exitCode === null) {
      const exited = new Promise((done) => child.once('exit', done));
      child.kill('SIGTERM');
      await exited;
    }
    await rm(dataDir, { recursive: true, force: true });
  });

  it('starts, prints where to open it, and matches an order', async () => {
    await expect.poll(() => /API docs\s+(http:\S+)/.test(output) || child.exitCode !== null, { timeout: 30_000, interval: 100 }).toBe(true);
    expect(child.exitCode, output).toBeNull();
    expect(output).toMatch(/embedded PostgreSQL/);
    expect(output).toMatch(/BullMQ on PostgreSQL/);
    expect(output).toMatch(/operator key\s+\S+/);
    const base = /API\s+(http:\/\/\S+\/api\/v1)/.exec(output)![1]!;

    const call = async <T>(method: string, path: string, body?: unknown, key?: string): Promise<{ status: number; body: T }> => {
      const res = await fetch(`${base}${path}`, {
        method,
        headers: { 'content-type': 'application/json', ...(key ? { authorization: `Bearer ${key}` } : {}) },
        body: body === undefined ? undefined : JSON.stringify(body),
      });
      return { status: res.status, body: (await res.json()) as T };
    };

    expect((await call('GET', '/health/ready')).status).toBe(200);
    const docs = await fetch(base.replace('/api/v1', '/api/docs'));
    expect(docs.status).toBe(200);

    const factory = await call<{ apiKey: string }>('POST', '/signup', { kind: 'factory', name: 'Shengze Silk Mill' });
    const brand = await call<{ apiKey: string }>('POST', '/signup', { kind: 'brand', name: 'Liwan Label' });
    expect((await call('POST', '/lines', { kind: 'weaving', name: 'Rapiers', machineType: 'rapier', machines: 20, rpm: 450, maxWidthCm: 230, ratePerUnit: 0.02 }, factory.body.apiKey)).status).toBe(201);
    const order = await call<{ id: string }>('POST', '/orders', { kind: 'fabric', fabric: { fiber: 'silk', weave: 'satin', widthCm: 140, picksPerCm: 50 }, quantity: 800, dueDate: inDays(14) }, brand.body.apiKey);
    expect(order.status).toBe(202);
    await expect
      .poll(async () => (await call<{ status: string }>('GET', `/orders/${order.body.id}`, undefined, brand.body.apiKey)).body.status, { timeout: 15_000, interval: 100 })
      .toBe('proposed');
  });
});
