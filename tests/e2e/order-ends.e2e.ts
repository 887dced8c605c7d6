import { inDays, startTestApp, type TestApp } from '../support/harness';
import { auditLedger } from '../support/ledger';
import { addLine, airJetLine, orderSettled, type OrderBody, signup } from '../support/market';

type Order = OrderBody & { outlook: string; progress: { producedQuantity: number } };

const FAST_SWEEP = { SWEEP_EVERY_MS: '300', STUCK_AFTER_SECONDS: '2' };

async function order(t: TestApp, key: string, id: string): Promise<Order> {
  return (await t.request<Order>('GET', `/orders/${id}`, { key })).body;
}

async function expectAuditClean(t: TestApp): Promise<void> {
  const audit = await auditLedger(t);
  expect({ overReserved: audit.overReserved, ledgerMismatches: audit.ledgerMismatches, allocationMismatches: audit.allocationMismatches, wrongTotals: audit.wrongTotals, stranded: audit.stranded }).toEqual({
    overReserved: 0, ledgerMismatches: 0, allocationMismatches: 0, wrongTotals: 0, stranded: 0,
  });
}

/**
 * Every order ends somewhere meaningful: one that holds work is never `unmatched`, an order that
 * is over takes no more work, and what an order's status means is said in its view.
 */
describe('how orders end', () => {
  let t: TestApp;
  beforeAll(async () => {
    t = await startTestApp(FAST_SWEEP);
  });
  afterAll(async () => {
    await t.close();
  });

  it('an order holding work whose remainder has no plan is partial, and ends completed short after its due date', async () => {
    const first = await signup(t, { kind: 'factory', name: 'First Mill' });
    const second = await signup(t, { kind: 'factory', name: 'Second Mill' });
    const firstLine = await addLine(t, first.key, { ...airJetLine, ratePerUnit: 0.01 });
    await addLine(t, second.key, { ...airJetLine, ratePerUnit: 0.02 });
    const brand = await signup(t, { kind: 'brand', name: 'Split Brand' });
    // Three working days; one and a half lines' worth: the order needs both mills.
    const quantity = Math.floor((1.5 * 3 * firstLine.dailyCapacity) / 3000);
    const posted = await t.request<OrderBody>('POST', '/orders', { key: brand.key, body: { kind: 'fabric', fabric: { fiber: 'cotton', weave: 'plain', widthCm: 150, picksPerCm: 30 }, quantity, dueDate: inDays(3) } });
    expect(posted.status).toBe(202);
    const planned = await orderSettled(t, brand.key, posted.body.id);
    expect(planned.status).toBe('proposed');
    expect(planned.allocations).toHaveLength(2);

    // The first mill says no: its part has nowhere else to go, the second mill's part stays.
    const mine = planned.allocations.find((a) => a.factoryId === first.id)!;
    const theirs = planned.allocations.find((a) => a.factoryId === second.id)!;
    expect((await t.request('POST', `/offers/${mine.id}/reject`, { key: first.key, body: { reason: 'booked' } })).status).toBe(200);
    await expect.poll(async () => (await order(t, brand.key, posted.body.id)).status, { timeout: 15_000, interval: 100 }).toBe('partial');
    const partial = await order(t, brand.key, posted.body.id);
    expect(partial.outlook).toContain(`${theirs.quantity} of ${quantity} placed (0 produced); the remaining ${quantity - theirs.quantity} have no plan`);
    expect(partial.outlook).toContain('completed short');
    await expectAuditClean(t);

    // Its held work goes on: accepted and produced, the order stays partial (never in production:
    // that status promises the whole quantity).
    expect((await t.request('POST', `/offers/${theirs.id}/accept`, { key: second.key })).status).toBe(200);
    expect((await t.request('POST', `/allocations/${theirs.id}/progress`, { key: second.key, body: { producedQuantity: theirs.quantity } })).status).toBe(200);
    expect((await order(t, brand.key, posted.body.id)).status).toBe('partial');
    await expectAuditClean(t);

    // Its due date passes: nothing more is sought, it ends with what it made.
    await t.sql(`UPDATE orders SET earliest_start = current_date - 5, due_date = current_date - 1 WHERE id = $1`, [posted.body.id]);
    await expect.poll(async () => (await order(t, brand.key, posted.body.id)).status, { timeout: 15_000, interval: 100 }).toBe('completed');
    const done = await order(t, brand.key, posted.body.id);
    expect(done.outlook).toBe(`Completed short: ${theirs.quantity} of ${quantity} made; the rest could not be placed by the due date (${inDays(-1)}).`);
    await expectAuditClean(t);
  });

  it('refuses to accept or report on orders that are over, and an offer left open on an expired order expires without poisoning anything', async () => {
    const factory = await signup(t, { kind: 'factory', name: 'Late Mill' });
    await addLine(t, factory.key, { kind: 'weaving', name: 'rapiers', machineType: 'rapier', machines: 10, rpm: 500, maxWidthCm: 220, ratePerUnit: 0.01 });
    const brand = await signup(t, { kind: 'brand', name: 'Late Brand' });
    const body = { kind: 'fabric', fabric: { fiber: 'linen', weave: 'plain', widthCm: 200, picksPerCm: 25 }, quantity: 200, dueDate: inDays(10) };
    const cancelledId = (await t.request<OrderBody>('POST', '/orders', { key: brand.key, body })).body.id;
    const cancelledOffer = (await orderSettled(t, brand.key, cancelledId)).allocations[0]!;
    expect((await t.request('POST', `/orders/${cancelledId}/cancel`, { key: brand.key })).status).toBe(200);
    expect((await t.request('POST', `/offers/${cancelledOffer.id}/accept`, { key: factory.key })).status).toBe(409);
    const cancelled = await order(t, brand.key, cancelledId);
    expect(cancelled.outlook).toBe('Cancelled: nothing more is planned or made for it.');
    expect(cancelled.outlook).not.toContain('tried again');

    // An order expired while one of its offers was still open (as older versions left them):
    // the offer cannot be accepted, and once its time is up the sweep releases it and leaves the
    // order expired (moving it back to pending used to throw and fail every later sweep).
    const expiredId = (await t.request<OrderBody>('POST', '/orders', { key: brand.key, body })).body.id;
    const openOffer = (await orderSettled(t, brand.key, expiredId)).allocations[0]!;
    await t.sql(`UPDATE orders SET status = 'expired' WHERE id = $1`, [expiredId]);
    const refused = await t.request<{ detail: string }>('POST', `/offers/${openOffer.id}/accept`, { key: factory.key });
    expect(refused.status).toBe(409);
    expect(refused.body.detail).toBe('This order is expired; it cannot be accepted');
    await t.sql(`UPDATE allocations SET expires_at = now() - interval '1 second' WHERE id = $1`, [openOffer.id]);
    await expect.poll(async () => (await order(t, brand.key, expiredId)).allocations[0]!.status, { timeout: 15_000, interval: 100 }).toBe('expired');
    expect((await order(t, brand.key, expiredId)).status).toBe('expired');
    expect((await t.request('POST', `/allocations/${openOffer.id}/progress`, { key: factory.key, body: { producedQuantity: 10 } })).status).toBe(409);
    await expectAuditClean(t);
  });
});
