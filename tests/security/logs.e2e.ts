import { PinoLogger } from 'nestjs-pino';
import pino from 'pino';
import { OPERATOR_KEY, startTestApp, type TestApp } from '../support/harness';
import { signup } from '../support/market';
import { send } from './support/http';

/**
 * What the logs hold: a request id on every line written while serving a request, and no key,
 * key hash or token. The lines are captured from the process's pino root logger (every request
 * logger is a child of it and writes through its stream).
 */
describe('logs', () => {
  let t: TestApp;
  const lines: string[] = [];
  let restore: () => void = () => undefined;

  beforeAll(async () => {
    t = await startTestApp();
    // Start quiet, then capture at info: request loggers are children made per request, so
    // they take the root's stream and level from here on.
    const root = PinoLogger.root as unknown as Record<symbol, unknown> & { level: string };
    const original = root[pino.symbols.streamSym];
    const level = root.level;
    root[pino.symbols.streamSym] = { write: (line: string) => void lines.push(line) };
    root.level = 'info';
    restore = () => {
      root[pino.symbols.streamSym] = original;
      root.level = level;
    };
  });
  afterAll(async () => {
    restore();
    if (t) await t.close();
  });

  it('tags each request line with its request id and never writes a key, its hash or a token', async () => {
    const brand = await signup(t, { kind: 'brand', name: 'Logged Brand' });
    const ids: string[] = [];
    const track = (r: { headers: Headers }): void => void ids.push(r.headers.get('x-request-id')!);
    track(await t.request('GET', '/me', { key: brand.key }));
    track(await t.request('GET', '/me', { key: `${brand.key}-wrong` }));
    track(await t.request('POST', '/orders', { key: brand.key, body: { kind: 'fabric' }, headers: { 'idempotency-key': 'secret-idem-7f3a' } }));
    track(await t.request('GET', '/stats', { key: OPERATOR_KEY }));
    track(await send({ method: 'GET', url: `${t.baseUrl}/events?access_token=${brand.key}` }));

    // Each request's completion line is written when the answer is; wait for all five.
    await expect.poll(() => ids.filter((id) => lines.some((l) => l.includes(id))).length, { timeout: 5_000 }).toBe(ids.length);
    const parsed = lines.map((l) => JSON.parse(l) as { req?: { id?: string; url?: string }; reqId?: string; msg?: string });
    const requestLines = parsed.filter((p) => p.req !== undefined);
    expect(requestLines.length).toBeGreaterThanOrEqual(ids.length);
    for (const line of requestLines) expect(line.req!.id, JSON.stringify(line)).toMatch(/^[\w.-]{1,64}$/);
    expect(requestLines.some((l) => l.req!.url?.includes('?'))).toBe(false);

    const all = lines.join('\n');
    const { createHash } = await import('node:crypto');
    for (const secret of [brand.key, OPERATOR_KEY, createHash('sha256').update(brand.key).digest('hex'), 'secret-idem-7f3a', 'access_token']) {
      expect(all.includes(secret), `log contains ${secret.slice(0, 12)}…`).toBe(false);
    }
  });
});
