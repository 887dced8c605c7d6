import { inDays, startTestApp, type TestApp } from '../support/harness';
import { addLine, airJetLine, type OrderBody, signup } from '../support/market';
import { settledOrder } from '../security/support/world';

interface Offer {
  id: string;
  lineId: string;
  status: string;
  expiresAt?: string;
}

/** The factory's offer queue: the offer about to expire on top, one line's alone when asked. */
describe('the offer queue', () => {
  let t: TestApp;
  let factory: { id: string; key: string };
  let looms: string;
  let sewing: string;
  const offers: OrderBody[] = [];

  beforeAll(async () => {
    t = await startTestApp();
    factory = await signup(t, { kind: 'factory', name: 'Foshan Mills', city: 'Foshan' });
    looms = (await addLine(t, factory.key, airJetLine)).id;
    sewing = (await addLine(t, factory.key, { kind: 'sewing', name: 'Knit line', operators: 30, categories: ['tshirt'], fabricTypes: ['knit'], ratePerUnit: 0.45 })).id;
    const brand = await signup(t, { kind: 'brand', name: 'Canton Studio' });
    const bodies = [
      { kind: 'fabric', fabric: { fiber: 'cotton', weave: 'twill', widthCm: 150, picksPerCm: 30 }, quantity: 300, dueDate: inDays(20) },
      { kind: 'garment', garment: { category: 'tshirt', fabricType: 'knit', samMinutes: 12 }, quantity: 200, dueDate: inDays(20) },
      { kind: 'fabric', fabric: { fiber: 'cotton', weave: 'plain', widthCm: 150, picksPerCm: 24 }, quantity: 300, dueDate: inDays(20) },
    ];
    for (const body of bodies) {
      const posted = await t.request<OrderBody>('POST', '/orders', { key: brand.key, body });
      offers.push(await settledOrder(t, brand.key, posted.body.id));
    }
    expect(offers.map((o) => o.status)).toEqual(['proposed', 'proposed', 'proposed']);
  }, 60_000);
  afterAll(async () => {
    if (t) await t.close();
  });

  it('lists the open offers the one expiring soonest first, whenever it came', async () => {
    // The newest offer is the one about to lapse: it goes on top.
    const newest = offers[2]!.allocations[0]!.id;
    await t.sql(`UPDATE allocations SET expires_at = now() + interval '2 minutes' WHERE id = $1`, [newest]);
    const res = await t.request<{ items: Offer[] }>('GET', '/offers?status=offered', { key: factory.key });
    expect(res.status).toBe(200);
    expect(res.body.items.map((o) => o.id)).toEqual([newest, offers[0]!.allocations[0]!.id, offers[1]!.allocations[0]!.id]);
    const times = res.body.items.map((o) => Date.parse(o.expiresAt!));
    expect(times).toEqual([...times].sort((a, b) => a - b));
    // Without the status filter the list stays newest first.
    const all = await t.request<{ items: Offer[] }>('GET', '/offers', { key: factory.key });
    expect(all.body.items.map((o) => o.id)).toEqual([...offers].reverse().map((o) => o.allocations[0]!.id));
  });

  it("filters by line, and another factory's line or a bad id answers as it should", async () => {
    const sewn = await t.request<{ items: Offer[] }>('GET', `/offers?status=offered&lineId=${sewing}`, { key: factory.key });
    expect(sewn.body.items.map((o) => o.id)).toEqual([offers[1]!.allocations[0]!.id]);
    const woven = await t.request<{ items: Offer[] }>('GET', `/offers?lineId=${looms}`, { key: factory.key });
    expect(woven.body.items.every((o) => o.lineId === looms)).toBe(true);
    expect(woven.body.items).toHaveLength(2);
    const other = await signup(t, { kind: 'factory', name: 'Other Mill' });
    expect((await t.request<{ items: Offer[] }>('GET', `/offers?lineId=${looms}`, { key: other.key })).body.items).toEqual([]);
    const bad = await t.request<{ errors: { field: string }[] }>('GET', '/offers?lineId=loom-3', { key: factory.key });
    expect(bad.status).toBe(400);
    expect(bad.body.errors.map((e) => e.field)).toEqual(['lineId']);
  });
});
