import { createHmac, timingSafeEqual } from 'node:crypto';
import IORedis from 'ioredis';
import { inDays, startTestApp, type TestApp } from '../support/harness';
import { addLine, airJetLine, signup } from '../support/market';
import { type Received, startReceiver } from './receiver';

/**
 * The receiver's side of docs/webhooks.md, written from the docs: split the header, recompute the
 * HMAC of "<t>.<body>" with the secret, compare in constant time, refuse stale timestamps.
 */
function verify(secret: string, header: string | undefined, body: string, toleranceSeconds = 300): boolean {
  if (!header) return false;
  const parts = Object.fromEntries(header.split(',').map((p) => p.split('=', 2) as [string, string]));
  const t = Number(parts.t);
  if (!Number.isInteger(t) || Math.abs(Date.now() / 1000 - t) > toleranceSeconds || !parts.v1) return false;
  const expected = createHmac('sha256', secret).update(`${t}.${body}`).digest();
  const given = Buffer.from(parts.v1, 'hex');
  return given.length === expected.length && timingSafeEqual(given, expected);
}

const fabricOrder = { kind: 'fabric', fabric: { fiber: 'polyester', weave: 'plain', widthCm: 150, picksPerCm: 25 }, quantity: 500, dueDate: inDays(12) };
interface Sent { id: string; type: string; orderId?: string; payload: Record<string, unknown> }
const eventsOf = (received: readonly Received[]): Sent[] => received.map((r) => JSON.parse(r.body) as Sent);

interface Delivery { id: string; status: string; attempts: number; log: { attempt: number; statusCode?: number; errorClass?: string }[] }

const REDIS = Boolean(process.env.REDIS_URL);
const backends = REDIS ? (['redis', 'postgres'] as const) : (['postgres'] as const);

describe.each(backends)('webhooks on the %s queue backend', (backend) => {
  let t: TestApp;
  beforeAll(async () => {
    t = await startTestApp({ WEBHOOK_ALLOW_PRIVATE: 'true', WEBHOOK_BACKOFF_BASE_MS: '100', STUCK_AFTER_SECONDS: '1' }, { backend });
  });
  afterAll(async () => {
    if (t) await t.close();
  });

  async function hook(key: string, url: string, events: string[]): Promise<{ id: string; secret: string }> {
    const made = await t.request<{ id: string; secret: string }>('POST', '/me/webhooks', { key, body: { url, events } });
    expect(made.status).toBe(201);
    expect(made.body.secret).toMatch(/^whsec_/);
    return made.body;
  }

  it('signs each delivery as documented, and sends an organization only its own events, shaped for it', async () => {
    const receiverA = await startReceiver();
    const receiverB = await startReceiver();
    const receiverF = await startReceiver();
    try {
      const factory = await signup(t, { kind: 'factory', name: 'Changxing Water-jets' });
      await addLine(t, factory.key, { ...airJetLine, machineType: 'water_jet' });
      const brandA = await signup(t, { kind: 'brand', name: 'Brand A' });
      const brandB = await signup(t, { kind: 'brand', name: 'Brand B' });
      const a = await hook(brandA.key, receiverA.url, ['order.posted', 'order.matched']);
      await hook(brandB.key, receiverB.url, ['order.posted', 'order.matched']);
      const f = await hook(factory.key, receiverF.url, ['order.matched']);
      // The secret is shown once: never in a read.
      const read = await t.request('GET', `/me/webhooks/${a.id}`, { key: brandA.key });
      expect(read.status).toBe(200);
      expect(JSON.stringify(read.body)).not.toContain(a.secret);

      const posted = await t.request<{ id: string }>('POST', '/orders', { key: brandA.key, body: fabricOrder });
      expect(posted.status).toBe(202);
      await expect.poll(() => eventsOf(receiverA.received).map((e) => e.type), { timeout: 15_000 }).toEqual(['order.posted', 'order.matched']);
      for (const r of receiverA.received) {
        expect(verify(a.secret, r.headers['x-cloudloom-signature'] as string, r.body)).toBe(true);
        // Any change to the body breaks it; another organization's secret does not verify it.
        expect(verify(a.secret, r.headers['x-cloudloom-signature'] as string, r.body.replace('}', ' }'))).toBe(false);
        expect(verify(f.secret, r.headers['x-cloudloom-signature'] as string, r.body)).toBe(false);
      }
      expect(eventsOf(receiverA.received).every((e) => e.orderId === posted.body.id)).toBe(true);
      // The factory hears of its own offer in the match, signed with its own secret.
      await expect.poll(() => receiverF.received.length, { timeout: 15_000 }).toBe(1);
      expect(verify(f.secret, receiverF.received[0]!.headers['x-cloudloom-signature'] as string, receiverF.received[0]!.body)).toBe(true);
      const matched = eventsOf(receiverF.received)[0]!;
      expect(matched.type).toBe('order.matched');
      expect((matched.payload.allocations as { factoryId: string }[]).map((x) => x.factoryId)).toEqual([factory.id]);

      // Brand B's hook is alive (its own order arrives) and never saw brand A's.
      const postedB = await t.request<{ id: string }>('POST', '/orders', { key: brandB.key, body: fabricOrder });
      await expect.poll(() => eventsOf(receiverB.received).some((e) => e.orderId === postedB.body.id), { timeout: 15_000 }).toBe(true);
      expect(JSON.stringify(receiverB.received)).not.toContain(posted.body.id);

      const log = await t.request<{ items: Delivery[] }>('GET', `/me/webhooks/${a.id}/deliveries`, { key: brandA.key });
      expect(log.body.items.map((d) => [d.status, d.attempts, d.log[0]?.statusCode])).toEqual([['delivered', 1, 200], ['delivered', 1, 200]]);
      // Another organization's webhook and its log answer 404.
      expect((await t.request('GET', `/me/webhooks/${a.id}/deliveries`, { key: brandB.key })).status).toBe(404);
    } finally {
      await Promise.all([receiverA.close(), receiverB.close(), receiverF.close()]);
    }
  });

  it('retries a receiver that fails three times and delivers on the fourth try, with every attempt logged; redeliver sends it again', async () => {
    const receiver = await startReceiver([500, 503, 500]);
    try {
      const brand = await signup(t, { kind: 'brand', name: 'Brand Retry' });
      const h = await hook(brand.key, receiver.url, ['order.posted']);
      const posted = await t.request<{ id: string }>('POST', '/orders', { key: brand.key, body: fabricOrder });
      expect(posted.status).toBe(202);
      await expect.poll(async () => (await t.request<{ items: Delivery[] }>('GET', `/me/webhooks/${h.id}/deliveries`, { key: brand.key })).body.items[0]?.status, { timeout: 20_000 }).toBe('delivered');
      const [delivery] = (await t.request<{ items: Delivery[] }>('GET', `/me/webhooks/${h.id}/deliveries`, { key: brand.key })).body.items;
      expect(delivery!.attempts).toBe(4);
      expect(delivery!.log.map((l) => [l.attempt, l.statusCode, l.errorClass ?? null])).toEqual([[1, 500, 'http_status'], [2, 503, 'http_status'], [3, 500, 'http_status'], [4, 200, null]]);
      expect(receiver.received).toHaveLength(4);
      // The same delivery each time, so a receiver can drop repeats.
      expect(new Set(receiver.received.map((r) => r.headers['x-cloudloom-delivery'])).size).toBe(1);

      const again = await t.request<Delivery>('POST', `/me/webhooks/${h.id}/deliveries/${delivery!.id}/redeliver`, { key: brand.key });
      expect(again.status).toBe(202);
      await expect.poll(() => receiver.received.length, { timeout: 15_000 }).toBe(5);
    } finally {
      await receiver.close();
    }
  });

  it('delivers an event whose queued attempt was lost with the queue (the catch-up queues it again)', async () => {
    // Retries 3 to 6 s apart here, so the second attempt sits in the queue, delayed, long enough to be lost.
    const slow = await startTestApp({ WEBHOOK_ALLOW_PRIVATE: 'true', WEBHOOK_BACKOFF_BASE_MS: '6000', STUCK_AFTER_SECONDS: '1' }, { backend });
    const receiver = await startReceiver([500]);
    try {
      const brand = await signup(slow, { kind: 'brand', name: 'Brand Flush' });
      const made = await slow.request<{ id: string }>('POST', '/me/webhooks', { key: brand.key, body: { url: receiver.url, events: ['order.posted'] } });
      expect(made.status).toBe(201);
      expect((await slow.request('POST', '/orders', { key: brand.key, body: fabricOrder })).status).toBe(202);
      const state = async (): Promise<{ attempts: number; queued: boolean; status: string } | undefined> =>
        (await slow.sql<{ attempts: number; queued: boolean; status: string }>(`SELECT attempts, enqueued_at IS NOT NULL AS queued, status FROM webhook_deliveries WHERE subscription_id = $1`, [made.body.id]))[0];
      // The first attempt failed and its retry is queued (delayed): now the queue loses it.
      await expect.poll(state, { timeout: 15_000 }).toEqual({ attempts: 1, queued: true, status: 'pending' });
      await emptyWebhooksQueue(slow);
      expect(receiver.received).toHaveLength(1);
      await expect.poll(() => receiver.received.length, { timeout: 20_000 }).toBe(2);
      await expect.poll(state, { timeout: 5_000 }).toEqual({ attempts: 2, queued: false, status: 'delivered' });
    } finally {
      await receiver.close();
      await slow.close();
    }
  });
});

/** Drops every job of the `webhooks` queue, as a flushed Redis (or a lost queue schema) would. */
async function emptyWebhooksQueue(t: TestApp): Promise<void> {
  if (t.env.REDIS_URL) {
    const redis = new IORedis(t.env.REDIS_URL);
    try {
      const keys = await redis.keys(`${t.env.QUEUE_PREFIX}:webhooks:*`);
      expect(keys.length).toBeGreaterThan(0);
      await redis.del(...keys);
    } finally {
      redis.disconnect();
    }
    return;
  }
  const tables = await t.sql<{ name: string }>(`SELECT format('%I.%I', table_schema, table_name) AS name FROM information_schema.tables WHERE table_schema = $1 AND table_type = 'BASE TABLE'`, [`${t.env.QUEUE_PREFIX}_queues`]);
  expect(tables.length).toBeGreaterThan(0);
  for (const { name } of tables) await t.sql(`DELETE FROM ${name} WHERE true`);
}
