import { inDays, OPERATOR_KEY, startTestApp, type TestApp } from '../support/harness';
import { addLine, airJetLine, orderSettled, type OrderBody, signup } from '../support/market';

/** DESIGN.md §9: a factory's no carries a code and a note; its brand reads them, operators sum them, no other factory sees them. */
type Allocation = OrderBody['allocations'][number] & { rejectReason?: { code: string; note?: string } };

describe('reasons for a no', () => {
  let t: TestApp;
  beforeAll(async () => {
    t = await startTestApp();
  });
  afterAll(async () => {
    await t.close();
  });

  it('shows the brand the code and note, sums them for operators, and keeps them from other factories', async () => {
    const first = await signup(t, { kind: 'factory', name: 'First Mill' });
    const second = await signup(t, { kind: 'factory', name: 'Second Mill' });
    const line = { ...airJetLine, machineType: 'rapier', fibers: ['silk'] };
    const firstLine = await addLine(t, first.key, { ...line, ratePerUnit: 0.01 });
    const secondLine = await addLine(t, second.key, { ...line, ratePerUnit: 0.01 });
    const brand = await signup(t, { kind: 'brand', name: 'Reasons Brand' });
    // Equal rates: the tolerance keeps the agreed price out of this test.
    const body = { kind: 'fabric', fabric: { fiber: 'silk', weave: 'plain', widthCm: 150, picksPerCm: 30 }, quantity: 1000, dueDate: inDays(20), priceTolerancePct: 50 };
    const posted = await t.request<OrderBody>('POST', '/orders', { key: brand.key, body });
    const offered = await orderSettled(t, brand.key, posted.body.id);
    const offer = offered.allocations[0]!;
    const mine = offer.factoryId === first.id ? first : second;
    const other = mine === first ? second : first;

    // A code out of the list is refused in words, and nothing changes.
    const bad = await t.request<{ errors: { field: string; message: string }[] }>('POST', `/offers/${offer.id}/reject`, { key: mine.key, body: { reasonCode: 'BORED' } });
    expect(bad.status).toBe(400);
    expect(bad.body.errors).toEqual([{ field: 'reasonCode', message: 'reasonCode must be one of NO_CAPACITY, PRICE, SPEC, MATERIAL, OTHER' }]);

    const rejected = await t.request<Allocation>('POST', `/offers/${offer.id}/reject`, { key: mine.key, body: { reasonCode: 'MATERIAL', note: 'no silk yarn until January' } });
    expect(rejected.status).toBe(200);
    expect(rejected.body.rejectReason).toEqual({ code: 'MATERIAL', note: 'no silk yarn until January' });

    const seen = (await t.request<{ allocations: Allocation[] }>('GET', `/orders/${posted.body.id}`, { key: brand.key })).body;
    expect(seen.allocations.find((a) => a.id === offer.id)?.rejectReason).toEqual({ code: 'MATERIAL', note: 'no silk yarn until January' });

    // The other factory gets the work, and sees no trace of the first one's reason.
    await expect.poll(async () => (await t.request<{ items: Allocation[] }>('GET', '/offers', { key: other.key })).body.items.length, { timeout: 10_000 }).toBe(1);
    const othersView = JSON.stringify((await t.request('GET', '/offers', { key: other.key })).body);
    expect(othersView).not.toContain('MATERIAL');
    expect(othersView).not.toContain('silk yarn');
    expect(othersView).not.toContain(offer.id);
    expect((await t.request('GET', `/orders/${posted.body.id}`, { key: other.key })).status).toBe(404);
    const otherOffer = (await t.request<{ items: Allocation[] }>('GET', '/offers', { key: other.key })).body.items[0]!;
    expect(otherOffer.lineId).toBe(mine === first ? secondLine.id : firstLine.id);

    // Rejected without a code (as older clients do): OTHER, the text as the note.
    expect((await t.request('POST', `/offers/${otherOffer.id}/reject`, { key: other.key, body: { reason: 'looms booked' } })).status).toBe(200);

    const sums = await t.request<{ items: { factoryId: string; factoryName: string; code: string; count: number }[] }>('GET', '/market/reject-reasons', { key: OPERATOR_KEY });
    expect(sums.status).toBe(200);
    expect(sums.body.items).toEqual(expect.arrayContaining([
      { factoryId: mine.id, factoryName: mine === first ? 'First Mill' : 'Second Mill', code: 'MATERIAL', count: 1 },
      { factoryId: other.id, factoryName: other === first ? 'First Mill' : 'Second Mill', code: 'OTHER', count: 1 },
    ]));
    // Only operators.
    expect((await t.request('GET', '/market/reject-reasons', { key: brand.key })).status).toBe(404);
    expect((await t.request('GET', '/market/reject-reasons', { key: mine.key })).status).toBe(404);
  });
});
