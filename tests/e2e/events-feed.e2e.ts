import { inDays, OPERATOR_KEY, startTestApp, type TestApp } from '../support/harness';
import { addLine, airJetLine, orderSettled, signup } from '../support/market';
import { openStream } from '../support/sse';

describe('live event feed (GET /events)', () => {
  let t: TestApp;
  beforeAll(async () => {
    t = await startTestApp();
  });
  afterAll(async () => {
    await t.close();
  });

  const fabricOrder = { kind: 'fabric', fabric: { fiber: 'polyester', weave: 'plain', widthCm: 150, picksPerCm: 25 }, quantity: 500, dueDate: inDays(12) };

  it('streams matches live to the operator and to the parties, each sees only its own, and replays from Last-Event-ID', async () => {
    const factory = await signup(t, { kind: 'factory', name: 'Changxing Water-jets' });
    await addLine(t, factory.key, { ...airJetLine, machineType: 'water_jet' });
    const brandA = await signup(t, { kind: 'brand', name: 'Brand A' });
    const brandB = await signup(t, { kind: 'brand', name: 'Brand B' });

    const operator = openStream(`${t.baseUrl}/events`, { authorization: `Bearer ${OPERATOR_KEY}` });
    const streamA = openStream(`${t.baseUrl}/events?access_token=${brandA.key}`);
    const streamB = openStream(`${t.baseUrl}/events`, { authorization: `Bearer ${brandB.key}` });
    try {
      expect(await operator.status).toBe(200);
      expect(await streamA.status).toBe(200);
      expect(await streamB.status).toBe(200);

      const posted = await t.request<{ id: string }>('POST', '/orders', { key: brandA.key, body: fabricOrder });
      await orderSettled(t, brandA.key, posted.body.id);

      await expect.poll(() => operator.messages.map((m) => m.event), { timeout: 10_000 }).toEqual(expect.arrayContaining(['order.posted', 'order.matched', 'offer.created']));
      await expect.poll(() => streamA.messages.filter((m) => m.data.orderId === posted.body.id).map((m) => m.event), { timeout: 10_000 }).toEqual(['order.posted', 'order.matched', 'offer.created']);
      // Brand B's stream is open and healthy, and sees nothing of brand A's order.
      const postedB = await t.request<{ id: string }>('POST', '/orders', { key: brandB.key, body: fabricOrder });
      await expect.poll(() => streamB.messages.some((m) => m.data.orderId === postedB.body.id), { timeout: 10_000 }).toBe(true);
      expect(streamB.messages.filter((m) => m.data.orderId === posted.body.id)).toEqual([]);

      // Reconnect with the id of the first message: everything after it comes again, in order.
      const first = streamA.messages[0]!;
      const replay = openStream(`${t.baseUrl}/events`, { authorization: `Bearer ${brandA.key}`, 'last-event-id': first.id });
      try {
        await expect.poll(() => replay.messages.map((m) => m.id), { timeout: 10_000 }).toEqual(streamA.messages.slice(1).map((m) => m.id));
      } finally {
        replay.close();
      }
    } finally {
      operator.close();
      streamA.close();
      streamB.close();
    }
  });

  it('refuses a missing key and a malformed Last-Event-ID', async () => {
    expect((await t.request('GET', '/events')).status).toBe(401);
    const res = await t.request('GET', '/events', { key: OPERATOR_KEY, headers: { 'last-event-id': 'abc' } });
    expect(res.status).toBe(400);
  });
});
