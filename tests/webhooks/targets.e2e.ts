import { inDays, OPERATOR_KEY, startTestApp, type TestApp } from '../support/harness';
import { signup } from '../support/market';
import { startReceiver } from './receiver';

interface Problem { status: number; errors?: { field: string; message: string }[] }

/** WEBHOOK_ALLOW_PRIVATE unset, as in production: internal targets are refused when saved and when delivered to. */
describe('webhook targets (server-side request forgery)', () => {
  let t: TestApp;
  let brand: { id: string; key: string };
  beforeAll(async () => {
    t = await startTestApp();
    brand = await signup(t, { kind: 'brand', name: 'Brand SSRF' });
  });
  afterAll(async () => {
    if (t) await t.close();
  });

  const refused = async (url: string): Promise<void> => {
    const res = await t.request<Problem>('POST', '/me/webhooks', { key: brand.key, body: { url, events: ['order.posted'] } });
    expect(res.status, url).toBe(400);
    expect(res.body.errors?.map((e) => e.field), url).toEqual(['url']);
  };

  it('refuses a loopback receiver, in every spelling, and other internal ranges, naming the url', async () => {
    const receiver = await startReceiver();
    try {
      await refused(receiver.url);
      const loopback = await t.request<Problem & { detail: string }>('POST', '/me/webhooks', { key: brand.key, body: { url: receiver.url, events: ['order.posted'] } });
      expect(loopback.body.detail).toMatch(/127\.0\.0\.1.*public addresses only/);
    } finally {
      await receiver.close();
    }
    for (const url of [
      'http://localhost:8080/', 'http://[::1]/', 'http://[::ffff:127.0.0.1]/', 'http://[::ffff:7f00:1]/', 'http://2130706433/', 'http://0x7f.1/',
      'http://10.0.0.1/', 'http://192.168.1.10/', 'http://172.20.0.1/', 'http://169.254.169.254/latest/meta-data', 'http://100.64.0.1/', 'http://0.0.0.0/',
      'http://224.0.0.1/', 'http://[fe80::1]/', 'http://[fd00::1]/', 'http://[64:ff9b::7f00:1]/', 'http://[2002:7f00:1::]/',
      'ftp://files.example.com/', 'file:///etc/passwd', 'https://user:secret@hooks.example.com/', 'not a url',
    ]) await refused(url);
    expect(await t.sql('SELECT 1 FROM webhook_subscriptions')).toEqual([]);
  });

  it('accepts a public address, refuses a change to an internal one, and keeps unknown fields and foreign events out', async () => {
    const made = await t.request<{ id: string; url: string }>('POST', '/me/webhooks', { key: brand.key, body: { url: 'http://93.184.216.34/hooks?token=x', events: ['order.posted'] } });
    expect(made.status).toBe(201);
    const moved = await t.request<Problem>('PATCH', `/me/webhooks/${made.body.id}`, { key: brand.key, body: { url: 'http://127.0.0.1:9/' } });
    expect(moved.status).toBe(400);
    expect(moved.body.errors?.map((e) => e.field)).toEqual(['url']);
    expect((await t.request<{ url: string }>('GET', `/me/webhooks/${made.body.id}`, { key: brand.key })).body.url).toBe('http://93.184.216.34/hooks?token=x');
    const extra = await t.request<Problem>('POST', '/me/webhooks', { key: brand.key, body: { url: 'http://93.184.216.34/', events: ['order.posted'], secret: 'mine' } });
    expect(extra.status).toBe(400);
    const factory = await signup(t, { kind: 'factory', name: 'Mill SSRF' });
    const foreign = await t.request<Problem>('POST', '/me/webhooks', { key: factory.key, body: { url: 'http://93.184.216.34/', events: ['order.posted'] } });
    expect(foreign.status).toBe(400);
    expect(foreign.body.errors?.map((e) => e.field)).toEqual(['events']);
    // The operator may subscribe to the radar's alerts; a brand may not.
    expect((await t.request('POST', '/me/webhooks', { key: OPERATOR_KEY, body: { url: 'http://93.184.216.34/ops', events: ['alert.raised', 'alert.cleared'] } })).status).toBe(201);
    expect((await t.request<Problem>('POST', '/me/webhooks', { key: brand.key, body: { url: 'http://93.184.216.34/', events: ['alert.raised'] } })).body.errors?.map((e) => e.field)).toEqual(['events']);
    expect((await t.request('DELETE', `/me/webhooks/${made.body.id}`, { key: brand.key })).status).toBe(204);
    expect((await t.request('GET', `/me/webhooks/${made.body.id}`, { key: brand.key })).status).toBe(404);
  });

  it('checks the address again at delivery: a subscription pointing inside (saved before, or a name rebound) gets nothing sent', async () => {
    const receiver = await startReceiver();
    try {
      // As if the name had resolved to a public address when it was saved.
      const [sub] = await t.sql<{ id: string }>(
        `INSERT INTO webhook_subscriptions (organization_id, organization_kind, url, events, secret) VALUES ($1, 'brand', $2, '{order.posted}', 'whsec_test') RETURNING id`,
        [brand.id, receiver.url],
      );
      const posted = await t.request('POST', '/orders', { key: brand.key, body: { kind: 'fabric', fabric: { fiber: 'polyester', weave: 'plain', widthCm: 150, picksPerCm: 25 }, quantity: 500, dueDate: inDays(12) } });
      expect(posted.status).toBe(202);
      const attempts = async (): Promise<{ error_class: string | null; status_code: number | null }[]> =>
        t.sql(`SELECT a.error_class, a.status_code FROM webhook_attempts a JOIN webhook_deliveries d ON d.id = a.delivery_id WHERE d.subscription_id = $1`, [sub!.id]);
      await expect.poll(attempts, { timeout: 15_000 }).toEqual([{ error_class: 'refused_target', status_code: null }]);
      expect(receiver.received).toEqual([]);
    } finally {
      await receiver.close();
    }
  });

  it('counts in the audit a delivery left pending long past its time', async () => {
    const healthy = await t.request<{ webhookDeliveriesStranded: number }>('GET', '/audit', { key: OPERATOR_KEY });
    expect(healthy.body.webhookDeliveriesStranded).toBe(0);
    // Due 11 minutes ago and marked queued in the future: no dispatcher takes it, as if none ran.
    const [sub] = await t.sql<{ id: string }>(`SELECT id FROM webhook_subscriptions WHERE organization_id = $1 LIMIT 1`, [brand.id]);
    const [stuck] = await t.sql<{ id: string }>(
      `INSERT INTO webhook_deliveries (subscription_id, event_id, next_attempt_at, enqueued_at) SELECT $1, max(id), now() - interval '11 minutes', now() + interval '1 hour' FROM events RETURNING id`,
      [sub!.id],
    );
    const audit = await t.request<{ webhookDeliveriesStranded: number; violations: number }>('GET', '/audit', { key: OPERATOR_KEY });
    expect(audit.body).toMatchObject({ webhookDeliveriesStranded: 1 });
    expect(audit.body.violations).toBeGreaterThanOrEqual(1);
    await t.sql(`DELETE FROM webhook_deliveries WHERE id = $1`, [stuck!.id]);
  });
});
