import { inDays, startTestApp, type TestApp } from '../support/harness';
import { addLine, airJetLine, orderSettled } from '../support/market';
import { as, session } from './support';

/** Who did what: the brand and the factory see, on the order and the offer, the person or key that acted. */
describe('people: every change records its actor, shown on the order and the offer', () => {
  let t: TestApp;
  beforeAll(async () => {
    t = await startTestApp();
  });
  afterAll(async () => {
    await t?.close();
  });

  it('names the person who posted, the person who accepted, and the key that cancelled', async () => {
    const brand = await t.request<{ apiKey: string; organization: { id: string } }>('POST', '/signup', { body: { kind: 'brand', name: 'Actor Brand', email: 'owner@actor-brand.example', password: 'actor-brand-owner' } });
    const mill = await t.request<{ apiKey: string }>('POST', '/signup', { body: { kind: 'factory', name: 'Actor Mill', email: 'owner@actor-mill.example', password: 'actor-mill-owner' } });
    await addLine(t, mill.body.apiKey, airJetLine);
    const poster = await session(t, 'owner@actor-brand.example', 'actor-brand-owner');
    const posted = await as<{ id: string }>(t, poster, 'POST', '/orders', { kind: 'fabric', fabric: { fiber: 'cotton', weave: 'twill', widthCm: 150, picksPerCm: 30 }, quantity: 600, dueDate: inDays(20) });
    expect(posted.status).toBe(202);
    const proposed = await orderSettled(t, brand.body.apiKey, posted.body.id);
    expect(proposed.status).toBe('proposed');
    // The matcher's own decision is the platform's: no actor.
    const afterMatch = await t.request<{ lastChange: { type: string; by: string | null } }>('GET', `/orders/${posted.body.id}`, { key: brand.body.apiKey });
    expect(afterMatch.body.lastChange.by).toBeNull();

    const accepter = await session(t, 'owner@actor-mill.example', 'actor-mill-owner');
    const offerId = proposed.allocations[0]!.id;
    const offers = await as<{ items: { id: string; answeredBy?: string | null }[] }>(t, accepter, 'GET', '/offers?status=offered');
    expect(offers.body.items.find((o) => o.id === offerId)!.answeredBy).toBeUndefined();
    expect((await as(t, accepter, 'POST', `/offers/${offerId}/accept`)).status).toBe(200);

    const seenByFactory = await as<{ items: { id: string; answeredBy?: string | null }[] }>(t, accepter, 'GET', '/offers');
    expect(seenByFactory.body.items.find((o) => o.id === offerId)!.answeredBy).toBe(`person:${accepter.personId}`);
    const seenByBrand = await t.request<{ allocations: { id: string; answeredBy?: string | null }[]; lastChange: { type: string; by: string | null } }>('GET', `/orders/${posted.body.id}`, { key: brand.body.apiKey });
    expect(seenByBrand.body.allocations.find((a) => a.id === offerId)!.answeredBy).toBe(`person:${accepter.personId}`);

    const cancelled = await t.request('POST', `/orders/${posted.body.id}/cancel`, { key: brand.body.apiKey });
    expect(cancelled.status).toBe(200);
    const [key] = await t.sql<{ id: string }>(`SELECT id FROM api_keys WHERE organization_id = $1`, [brand.body.organization.id]);
    const after = await as<{ lastChange: { type: string; by: string | null } }>(t, poster, 'GET', `/orders/${posted.body.id}`);
    expect(after.body.lastChange).toMatchObject({ type: 'order.cancelled', by: `key:${key!.id}` });
    const actors = await t.sql<{ type: string; actor: string | null }>(`SELECT type, actor FROM events WHERE order_id = $1 ORDER BY id`, [posted.body.id]);
    expect(actors.find((e) => e.type === 'order.posted')!.actor).toBe(`person:${poster.personId}`);
  });
});
