import { inDays, startTestApp, type TestApp } from '../support/harness';
import { addLine, airJetLine, orderSettled, signup } from '../support/market';

/**
 * DESIGN.md §9 and docs/terms.md: a factory answers an offer with terms of its own; the brand
 * accepts or declines while the offer is open; its standing tolerance takes counters for it, but
 * never past the agreed price plus the order's tolerance. Each test weaves its own fibre on its
 * own mill (rapier looms narrowed to it), so the tests share the app but not a market.
 */
interface Counter {
  id: string;
  price?: number;
  endDate?: string;
  note?: string;
  offerPrice: number;
  offerEndDate: string;
  status: string;
  acceptedBy?: string;
}
interface Allocation {
  id: string;
  lineId: string;
  status: string;
  price: number;
  startDate: string;
  endDate: string;
  expiresAt?: string;
  counter?: Counter;
}
interface Order {
  id: string;
  status: string;
  agreedPrice?: number;
  dueDate: string;
  allocations: Allocation[];
}
interface Problem {
  detail: string;
  errors?: { field: string; message: string }[];
}

// 2,000 m at 30 picks/cm: 6,000,000 picks, CNY 60 at 0.01 per 1,000 picks; one day of the line.
const order = (fiber: string, extra: Record<string, unknown> = {}) => ({
  kind: 'fabric', fabric: { fiber, weave: 'plain', widthCm: 150, picksPerCm: 30 }, quantity: 2000, dueDate: inDays(20), ...extra,
});

const addDays = (date: string, days: number): string => new Date(Date.parse(`${date}T00:00:00Z`) + days * 86_400_000).toISOString().slice(0, 10);

const eventsOf = (t: TestApp, orderId: string) =>
  t.sql<{ type: string; audience: string[]; payload: Record<string, unknown> }>(`SELECT type, audience::text[] AS audience, payload FROM events WHERE order_id = $1 ORDER BY id`, [orderId]);

const daysHeld = (t: TestApp, allocationId: string) =>
  t.sql<{ day: string; units: string }>(`SELECT day::text AS day, units::text AS units FROM allocation_days WHERE allocation_id = $1 ORDER BY day`, [allocationId]);

const reservedOn = async (t: TestApp, lineId: string): Promise<number> =>
  Number((await t.sql<{ r: string }>(`SELECT coalesce(sum(reserved), 0)::text AS r FROM capacity_days WHERE line_id = $1`, [lineId]))[0]!.r);

/** A mill for one fibre, a brand, and the brand's order offered to the mill. */
async function offered(t: TestApp, fiber: string, extra: Record<string, unknown> = {}) {
  const mill = await signup(t, { kind: 'factory', name: `${fiber} mill` });
  const line = await addLine(t, mill.key, { ...airJetLine, machineType: 'rapier', fibers: [fiber], ratePerUnit: 0.01 });
  const brand = await signup(t, { kind: 'brand', name: `${fiber} brand` });
  const posted = await t.request<Order>('POST', '/orders', { key: brand.key, body: order(fiber, extra) });
  expect(posted.status).toBe(202);
  const settled = (await orderSettled(t, brand.key, posted.body.id)) as unknown as Order;
  expect(settled.status).toBe('proposed');
  const offer = settled.allocations[0]!;
  expect(offer).toMatchObject({ lineId: line.id, status: 'offered', price: 60 });
  return { mill, line, brand, orderId: posted.body.id, offer };
}

const getOrder = async (t: TestApp, key: string, id: string): Promise<Order> => (await t.request<Order>('GET', `/orders/${id}`, { key })).body;

describe('counteroffers', () => {
  let t: TestApp;
  beforeAll(async () => {
    // A sweep every second, so an offer past its time is expired within the poll.
    t = await startTestApp({ SWEEP_EVERY_MS: '1000' });
  });
  afterAll(async () => {
    await t.close();
  });

  it('refuses bad counters in words, and lets nobody but the parties touch one', async () => {
    const m = await offered(t, 'silk');
    const counter = (key: string, body: unknown, id = m.offer.id) => t.request<Problem>('POST', `/offers/${id}/counter`, { key, body });

    const empty = await counter(m.mill.key, {});
    expect(empty.status).toBe(400);
    expect(empty.body.errors?.map((e) => e.field)).toEqual(['price', 'endDate']);
    const late = await counter(m.mill.key, { endDate: addDays(inDays(20), 1) });
    expect(late.status).toBe(400);
    expect(late.body.errors).toEqual([{ field: 'endDate', message: `must be on or before the order's due date (${inDays(20)})` }]);
    const sooner = await counter(m.mill.key, { endDate: m.offer.endDate });
    expect(sooner.status).toBe(400);
    expect(sooner.body.errors?.[0]?.field).toBe('endDate');
    const free = await counter(m.mill.key, { price: 0 });
    expect(free.status).toBe(400);
    expect(free.body.errors).toEqual([{ field: 'price', message: 'price must be more than 0' }]);
    const same = await counter(m.mill.key, { price: 60 });
    expect(same.status).toBe(400);
    expect(same.body.errors?.[0]?.message).toContain('accept the offer instead');
    const notADate = await counter(m.mill.key, { endDate: '12/24/2026' });
    expect(notADate.status).toBe(400);
    expect(notADate.body.errors?.[0]?.field).toBe('endDate');
    const hidden = await counter(m.mill.key, { price: 66, note: 'yarn\u202e costs more' });
    expect(hidden.status).toBe(400);
    expect(hidden.body.errors?.[0]?.field).toBe('note');

    // Another mill, and the brand itself, cannot counter; another brand cannot answer.
    const other = await signup(t, { kind: 'factory', name: 'Other silk mill' });
    expect((await counter(other.key, { price: 66 })).status).toBe(404);
    expect((await counter(m.brand.key, { price: 66 })).status).toBe(404);
    expect(await t.sql(`SELECT 1 FROM offer_counters WHERE allocation_id = $1`, [m.offer.id])).toEqual([]);

    expect((await counter(m.mill.key, { price: 66 })).status).toBe(200);
    const twice = await counter(m.mill.key, { price: 70 });
    expect(twice.status).toBe(409);
    const otherBrand = await signup(t, { kind: 'brand', name: 'Other silk brand' });
    expect((await t.request('POST', `/offers/${m.offer.id}/counter/accept`, { key: otherBrand.key })).status).toBe(404);
    expect((await t.request('POST', `/offers/${m.offer.id}/counter/decline`, { key: otherBrand.key })).status).toBe(404);
    expect((await t.request('POST', `/offers/${m.offer.id}/counter/accept`, { key: m.mill.key })).status).toBe(404);
    // The other brand's view of the market shows nothing of it.
    expect(JSON.stringify((await t.request('GET', '/orders', { key: otherBrand.key })).body)).not.toContain(m.offer.id);
  });

  it('counter accepted: the brand takes a dearer, later counter; the ledger follows the new end date and the record counts a counter, not an accept', async () => {
    const m = await offered(t, 'linen');
    const reservedBefore = await reservedOn(t, m.line.id);
    const endDate = addDays(m.offer.endDate, 4);
    const res = await t.request<Allocation>('POST', `/offers/${m.offer.id}/counter`, { key: m.mill.key, body: { price: 72, endDate, note: '纱线涨价' } });
    expect(res.status).toBe(200);
    // The brand's standing tolerance is 0: a dearer counter waits for it.
    expect(res.body.status).toBe('offered');
    expect(res.body.counter).toMatchObject({ price: 72, endDate, note: '纱线涨价', offerPrice: 60, offerEndDate: m.offer.endDate, status: 'open' });

    const waiting = await getOrder(t, m.brand.key, m.orderId);
    expect(waiting.status).toBe('proposed');
    expect(waiting.allocations[0]!.counter).toMatchObject({ price: 72, endDate, status: 'open' });
    // Nothing moved in the ledger before the brand's answer.
    expect((await daysHeld(t, m.offer.id)).map((d) => d.day)).toEqual([m.offer.startDate]);

    const accepted = await t.request<Allocation>('POST', `/offers/${m.offer.id}/counter/accept`, { key: m.brand.key });
    expect(accepted.status).toBe(200);
    expect(accepted.body).toMatchObject({ status: 'accepted', price: 72, endDate, counter: { status: 'accepted', acceptedBy: 'brand' } });
    const after = await getOrder(t, m.brand.key, m.orderId);
    expect(after.status).toBe('confirmed');
    // The brand accepted a dearer whole: that is its agreed price now.
    expect(after.agreedPrice).toBe(72);
    expect(after.allocations[0]).toMatchObject({ status: 'accepted', price: 72, endDate });
    // The same units, now laid up to the new end date, and nothing else reserved on the line.
    const held = await daysHeld(t, m.offer.id);
    expect(held.map((d) => d.day)).toEqual([endDate]);
    expect(held.reduce((sum, d) => sum + Number(d.units), 0)).toBe(6_000_000);
    expect(await reservedOn(t, m.line.id)).toBe(reservedBefore);

    const types = (await eventsOf(t, m.orderId)).map((e) => e.type);
    expect(types.slice(types.indexOf('offer.countered'))).toEqual(['offer.countered', 'offer.counter_accepted', 'order.confirmed']);
    const countered = (await eventsOf(t, m.orderId)).find((e) => e.type === 'offer.countered')!;
    expect(countered.audience.sort()).toEqual([m.brand.id, m.mill.id].sort());

    // Answered once: a second answer finds no counter waiting.
    expect((await t.request('POST', `/offers/${m.offer.id}/counter/decline`, { key: m.brand.key })).status).toBe(409);
    const record = await t.request<{ history: { accepted: number; countered: number; answered: number } }>('GET', '/me/record', { key: m.mill.key });
    expect(record.body.history).toMatchObject({ accepted: 0, countered: 1, answered: 1 });
  });

  it('counter declined: the offer stays open at its own terms, and the factory may still take it', async () => {
    const m = await offered(t, 'blend');
    expect((await t.request('POST', `/offers/${m.offer.id}/counter`, { key: m.mill.key, body: { price: 90 } })).status).toBe(200);
    const declined = await t.request<Allocation>('POST', `/offers/${m.offer.id}/counter/decline`, { key: m.brand.key });
    expect(declined.status).toBe(200);
    expect(declined.body).toMatchObject({ status: 'offered', price: 60, counter: { status: 'declined', price: 90 } });
    expect((await t.request('POST', `/offers/${m.offer.id}/counter/accept`, { key: m.brand.key })).status).toBe(409);

    const taken = await t.request<Allocation>('POST', `/offers/${m.offer.id}/accept`, { key: m.mill.key });
    expect(taken.status).toBe(200);
    const after = await getOrder(t, m.brand.key, m.orderId);
    expect(after).toMatchObject({ status: 'confirmed', agreedPrice: 60 });
    expect(after.allocations[0]).toMatchObject({ status: 'accepted', price: 60, endDate: m.offer.endDate, counter: { status: 'declined' } });
    const types = (await eventsOf(t, m.orderId)).map((e) => e.type);
    expect(types).toEqual(expect.arrayContaining(['offer.countered', 'offer.counter_declined', 'offer.accepted']));
    expect(types).not.toContain('offer.counter_accepted');
    // A counter counts apart from accepts, whatever the brand answered.
    const record = await t.request<{ history: { accepted: number; countered: number } }>('GET', '/me/record', { key: m.mill.key });
    expect(record.body.history).toMatchObject({ accepted: 0, countered: 1 });
  });

  it('counter within the standing tolerance: taken without the brand, but never past the agreed price plus the order\'s tolerance', async () => {
    const m = await offered(t, 'viscose', { priceTolerancePct: 10 });
    const brandSettings = await t.request<{ counterTolerancePct: number; counterToleranceDays: number }>('PATCH', '/me', { key: m.brand.key, body: { counterTolerancePct: 8, counterToleranceDays: 2 } });
    expect(brandSettings.status).toBe(200);
    expect(brandSettings.body).toMatchObject({ counterTolerancePct: 8, counterToleranceDays: 2 });
    // A factory has no such setting.
    expect((await t.request('PATCH', '/me', { key: m.mill.key, body: { counterTolerancePct: 8 } })).status).toBe(400);

    const endDate = addDays(m.offer.endDate, 2);
    const res = await t.request<Allocation>('POST', `/offers/${m.offer.id}/counter`, { key: m.mill.key, body: { price: 64.5, endDate } });
    expect(res.status).toBe(200);
    expect(res.body).toMatchObject({ status: 'accepted', price: 64.5, endDate, counter: { status: 'accepted', acceptedBy: 'tolerance' } });
    const after = await getOrder(t, m.brand.key, m.orderId);
    expect(after.status).toBe('confirmed');
    // Taken within what the brand agreed to: the agreed price stays.
    expect(after.agreedPrice).toBe(60);
    const accepted = (await eventsOf(t, m.orderId)).find((e) => e.type === 'offer.counter_accepted')!;
    expect(accepted.payload).toMatchObject({ by: 'tolerance', price: 64.5, endDate });

    // The same counter on an order without a price tolerance waits for the brand (§9 holds over the standing setting).
    const strict = await t.request<Order>('POST', '/orders', { key: m.brand.key, body: order('viscose') });
    const strictOffer = ((await orderSettled(t, m.brand.key, strict.body.id)) as unknown as Order).allocations[0]!;
    const asked = await t.request<Allocation>('POST', `/offers/${strictOffer.id}/counter`, { key: m.mill.key, body: { price: 64.5 } });
    expect(asked.body).toMatchObject({ status: 'offered', counter: { status: 'open' } });
    // ... and so does one past the standing tolerance itself, here three days late.
    const third = await t.request<Order>('POST', '/orders', { key: m.brand.key, body: order('viscose', { priceTolerancePct: 10 }) });
    const thirdOffer = ((await orderSettled(t, m.brand.key, third.body.id)) as unknown as Order).allocations[0]!;
    const late = await t.request<Allocation>('POST', `/offers/${thirdOffer.id}/counter`, { key: m.mill.key, body: { endDate: addDays(thirdOffer.endDate, 3) } });
    expect(late.body).toMatchObject({ status: 'offered', counter: { status: 'open' } });
  });

  it('counter lapsing: unanswered when the offer runs out, it expires with the offer and the capacity goes back', async () => {
    const m = await offered(t, 'wool');
    expect((await t.request('POST', `/offers/${m.offer.id}/counter`, { key: m.mill.key, body: { price: 70 } })).status).toBe(200);
    // The offer's time runs out (moved, so the test need not wait the 30 minutes).
    await t.sql(`UPDATE allocations SET expires_at = now() - interval '1 second' WHERE id = $1`, [m.offer.id]);
    const tooLate = await t.request<Problem>('POST', `/offers/${m.offer.id}/counter/accept`, { key: m.brand.key });
    expect(tooLate.status).toBe(409);
    expect(tooLate.body.detail).toContain('time ran out');

    await expect.poll(async () => (await getOrder(t, m.brand.key, m.orderId)).allocations.find((a) => a.id === m.offer.id)?.status, { timeout: 15_000 }).toBe('expired');
    const after = await getOrder(t, m.brand.key, m.orderId);
    expect(after.allocations.find((a) => a.id === m.offer.id)).toMatchObject({ price: 60, counter: { status: 'lapsed', price: 70 } });
    expect(await daysHeld(t, m.offer.id)).toEqual([]);
    const events = await eventsOf(t, m.orderId);
    const lapsed = events.find((e) => e.type === 'offer.counter_lapsed');
    expect(lapsed?.payload).toMatchObject({ allocationId: m.offer.id });
    expect(events.findIndex((e) => e.type === 'offer.expired')).toBeLessThan(events.findIndex((e) => e.type === 'offer.counter_lapsed'));
  });

  it('refuses to take a later end date the line can no longer hold, and leaves the counter to the brand', async () => {
    const m = await offered(t, 'nylon');
    const endDate = addDays(m.offer.endDate, 3);
    expect((await t.request('POST', `/offers/${m.offer.id}/counter`, { key: m.mill.key, body: { endDate } })).status).toBe(200);
    // Time passes: the offer's planned day is behind it, and other work has filled the line up to the new end date.
    const yesterday = addDays(new Date().toISOString().slice(0, 10), -1);
    await t.sql(`UPDATE allocation_days SET day = $2 WHERE allocation_id = $1`, [m.offer.id, yesterday]);
    await t.sql(`UPDATE capacity_days SET reserved = capacity WHERE line_id = $1 AND day <= $2`, [m.line.id, endDate]);
    const refused = await t.request<Problem>('POST', `/offers/${m.offer.id}/counter/accept`, { key: m.brand.key });
    expect(refused.status).toBe(409);
    expect(refused.body.detail).toContain(`free capacity to finish this work by ${endDate}`);
    const after = await getOrder(t, m.brand.key, m.orderId);
    expect(after.allocations[0]).toMatchObject({ status: 'offered', endDate: m.offer.endDate, counter: { status: 'open' } });
    expect((await daysHeld(t, m.offer.id)).map((d) => d.day)).toEqual([yesterday]);
  });
});
