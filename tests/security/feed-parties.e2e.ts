import { type ApiProcess, startApiProcess } from '../../bench/support/feed-flood';
import { inDays, OPERATOR_KEY, startTestApp, type TestApp } from '../support/harness';
import { addLine, orderSettled, signup } from '../support/market';
import { openStream, type SseMessage } from '../support/sse';

/** Issue 22, findings 2 and 3: what each party of a split order sees, and how long a revoked key listens. */
describe('live feed: each party sees its own share, and a stream lives as long as its key', () => {
  let t: TestApp;
  let other: ApiProcess | undefined;
  beforeAll(async () => {
    t = await startTestApp();
  });
  afterAll(async () => {
    await other?.stop();
    await t.close();
  });

  const loom = (ratePerUnit: number) => ({ kind: 'weaving', name: 'Viscose hall', machineType: 'air_jet', machines: 10, rpm: 500, maxWidthCm: 190, ratePerUnit, fibers: ['viscose'] });

  it('a split order: each factory sees only its own allocations in order.matched and order.cancelled, live and on replay; the brand and the operator see all', async () => {
    const brand = await signup(t, { kind: 'brand', name: 'Split Brand' });
    const millA = await signup(t, { kind: 'factory', name: 'Shengze Mill A' });
    const millB = await signup(t, { kind: 'factory', name: 'Shengze Mill B' });
    const lineA = await addLine(t, millA.key, loom(0.02));
    const lineB = await addLine(t, millB.key, loom(0.03));
    const watch = { brand: brand.key, millA: millA.key, millB: millB.key, operator: OPERATOR_KEY };
    const live = Object.fromEntries(Object.entries(watch).map(([who, key]) => [who, openStream(`${t.baseUrl}/events`, { authorization: `Bearer ${key}` })]));
    try {
      for (const s of Object.values(live)) expect(await s.status).toBe(200);
      // About 6 loom-days of work due in 4 days: no single mill can make it (as in matching.e2e.ts).
      const quantity = Math.floor((Math.floor(10 * 500 * 60 * 22 * 0.85) * 6) / 3000);
      const posted = await t.request<{ id: string }>('POST', '/orders', { key: brand.key, body: { kind: 'fabric', fabric: { fiber: 'viscose', weave: 'twill', widthCm: 150, picksPerCm: 30 }, quantity, dueDate: inDays(4) } });
      expect(posted.status).toBe(202);
      const order = await orderSettled(t, brand.key, posted.body.id);
      expect(order.allocations.map((a) => a.lineId).sort()).toEqual([lineA.id, lineB.id].sort());
      const allocationOf = (factoryId: string) => order.allocations.find((a) => a.factoryId === factoryId)!;
      expect((await t.request('POST', `/orders/${order.id}/cancel`, { key: brand.key })).status).toBe(200);

      const ofOrder = (messages: readonly SseMessage[], type: string) => messages.filter((m) => m.data.orderId === order.id && m.event === type);
      const both = (messages: readonly SseMessage[]) => ofOrder(messages, 'order.matched').length === 1 && ofOrder(messages, 'order.cancelled').length === 1;
      for (const s of Object.values(live)) await expect.poll(() => both(s.messages), { timeout: 15_000 }).toBe(true);

      const expectAll = (messages: readonly SseMessage[]) => {
        const matched = ofOrder(messages, 'order.matched')[0]!.data.payload as { allocations: { id: string; factoryId: string; lineId: string }[] };
        expect(matched.allocations.map((a) => a.id).sort()).toEqual(order.allocations.map((a) => a.id).sort());
        const cancelled = ofOrder(messages, 'order.cancelled')[0]!.data.payload as { orderId: string; released: string[] };
        expect({ ...cancelled, released: [...cancelled.released].sort() }).toEqual({ orderId: order.id, released: order.allocations.map((a) => a.id).sort() });
      };
      const expectOwn = (messages: readonly SseMessage[], mine: { id: string; factoryId: string }, theirs: { id: string; factoryId: string; lineId: string }) => {
        const matched = ofOrder(messages, 'order.matched')[0]!.data.payload as { allocations: { id: string; factoryId: string }[] };
        expect(matched.allocations.map((a) => [a.id, a.factoryId])).toEqual([[mine.id, mine.factoryId]]);
        expect(ofOrder(messages, 'order.cancelled')[0]!.data.payload).toEqual({ orderId: order.id, released: [mine.id] });
        // Nothing of the competitor anywhere in what this factory received.
        const text = JSON.stringify(messages);
        for (const secret of [theirs.id, theirs.factoryId, theirs.lineId]) expect(text).not.toContain(secret);
      };
      const a = allocationOf(millA.id);
      const b = allocationOf(millB.id);
      expectAll(live.brand!.messages);
      expectAll(live.operator!.messages);
      expectOwn(live.millA!.messages, a, b);
      expectOwn(live.millB!.messages, b, a);
      for (const s of Object.values(live)) expect(JSON.stringify(s.messages)).not.toContain('releasedByFactory');

      // The same on replay from the start of the table.
      for (const [mine, theirs, key] of [[a, b, millA.key], [b, a, millB.key]] as const) {
        const replay = openStream(`${t.baseUrl}/events`, { authorization: `Bearer ${key}`, 'last-event-id': '0' });
        try {
          await expect.poll(() => both(replay.messages), { timeout: 15_000 }).toBe(true);
          expectOwn(replay.messages, mine, theirs);
        } finally {
          replay.close();
        }
      }
    } finally {
      for (const s of Object.values(live)) s.close();
    }
  }, 60_000);

  it('a revoked key’s streams end within seconds in every API process; the organization’s other key keeps its stream', async () => {
    other = await startApiProcess({ ...t.env, LOG_LEVEL: 'error' });
    const brand = await signup(t, { kind: 'brand', name: 'Revoking Brand' });
    const second = await t.request<{ key: { id: string }; apiKey: string }>('POST', '/me/keys', { key: brand.key, body: { label: 'integration' } });
    expect(second.status).toBe(201);
    const here = openStream(`${t.baseUrl}/events`, { authorization: `Bearer ${second.body.apiKey}` });
    const there = openStream(`${other.baseUrl}/events?access_token=${second.body.apiKey}`);
    const kept = openStream(`${other.baseUrl}/events`, { authorization: `Bearer ${brand.key}` });
    try {
      for (const s of [here, there, kept]) expect(await s.status).toBe(200);
      let endedAt = { here: 0, there: 0 };
      void here.ended.then(() => (endedAt = { ...endedAt, here: Date.now() }));
      void there.ended.then(() => (endedAt = { ...endedAt, there: Date.now() }));

      const revoked = await t.request('DELETE', `/me/keys/${second.body.key.id}`, { key: brand.key });
      expect(revoked.status).toBe(204);
      const at = Date.now();
      await expect.poll(() => endedAt.here > 0 && endedAt.there > 0, { timeout: 15_000, interval: 100 }).toBe(true);
      console.log(`revoked key: its streams ended after ${endedAt.here - at} ms (same process) and ${endedAt.there - at} ms (another API process)`);
      // The other key's stream still carries the organization's events.
      const posted = await t.request<{ id: string }>('POST', '/orders', { key: brand.key, body: { kind: 'fabric', fabric: { fiber: 'silk', weave: 'satin', widthCm: 140, picksPerCm: 40 }, quantity: 100, dueDate: inDays(20) } });
      expect(posted.status).toBe(202);
      await expect.poll(() => kept.messages.some((m) => m.data.orderId === posted.body.id), { timeout: 15_000 }).toBe(true);
      // And the revoked key opens nothing new.
      expect((await t.request('GET', '/events', { key: second.body.apiKey })).status).toBe(401);
    } finally {
      for (const s of [here, there, kept]) s.close();
    }
  }, 90_000);
});
