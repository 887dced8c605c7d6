import { inDays, startTestApp, type TestApp } from '../support/harness';
import { addLine, airJetLine, type OrderBody, signup } from '../support/market';
import { settledOrder } from '../security/support/world';

interface CalendarDay {
  date: string;
  capacity: number;
  booked: number;
  free: number;
  fraction: number;
  closed: boolean;
  work: { allocationId: string; orderId: string; status: string; units: number }[];
}
interface Calendar {
  lineId: string;
  unit: string;
  dailyCapacity: number;
  days: CalendarDay[];
}
interface Problem {
  detail: string;
  errors: { field: string; message: string }[];
}

/** A mill's calendar per line, and closing a day its running work holds, over HTTP against the real app. */
describe("a line's calendar", () => {
  let t: TestApp;
  let factory: { id: string; key: string };
  let line: { id: string; dailyCapacity: number };
  let order: OrderBody;
  const calendar = (query = '') => t.request<Calendar>('GET', `/lines/${line.id}/calendar${query}`, { key: factory.key });

  beforeAll(async () => {
    t = await startTestApp();
    factory = await signup(t, { kind: 'factory', name: 'Keqiao Weaving', city: 'Shaoxing' });
    line = await addLine(t, factory.key, airJetLine);
    const brand = await signup(t, { kind: 'brand', name: 'Canton Studio' });
    // About two and a half days of the line's looms.
    const meters = Math.floor((line.dailyCapacity * 2.5) / (30 * 100));
    const posted = await t.request<OrderBody>('POST', '/orders', { key: brand.key, body: { kind: 'fabric', fabric: { fiber: 'cotton', weave: 'twill', widthCm: 150, picksPerCm: 30 }, quantity: meters, dueDate: inDays(20) } });
    order = await settledOrder(t, brand.key, posted.body.id);
    expect(order.status).toBe('proposed');
  }, 60_000);
  afterAll(async () => {
    if (t) await t.close();
  });

  it('shows per day the capacity, what is booked and by which work, and what is free', async () => {
    const res = await calendar();
    expect(res.status).toBe(200);
    expect(res.body).toMatchObject({ lineId: line.id, unit: 'picks', dailyCapacity: line.dailyCapacity });
    expect(res.body.days).toHaveLength(31);
    expect(res.body.days[0]!.date).toBe(inDays(0));
    const allocation = order.allocations[0]!;
    const held = res.body.days.filter((d) => d.work.length > 0);
    expect(held.map((d) => d.date)).toEqual(res.body.days.filter((d) => d.date >= allocation.startDate && d.date <= allocation.endDate).map((d) => d.date));
    for (const d of res.body.days) {
      expect(d.free, d.date).toBe(d.capacity - d.booked);
      expect(d.booked, d.date).toBe(d.work.reduce((s, w) => s + w.units, 0));
    }
    expect(held.reduce((s, d) => s + d.booked, 0)).toBe(allocation.demand);
    expect(held[0]!.work[0]).toMatchObject({ allocationId: allocation.id, orderId: order.id, status: 'offered' });
  });

  it('shows a closed day as closed, and a range of its own', async () => {
    const day = inDays(25);
    expect((await t.request('PUT', `/lines/${line.id}/availability`, { key: factory.key, body: { days: [{ date: day, fraction: 0 }] } })).status).toBe(200);
    const res = await calendar(`?from=${inDays(24)}&to=${inDays(26)}`);
    expect(res.body.days.map((d) => [d.date, d.closed, d.capacity])).toEqual([[inDays(24), false, line.dailyCapacity], [day, true, 0], [inDays(26), false, line.dailyCapacity]]);
  });

  it('refuses to close a day running work holds, naming the work and the first day that fits', async () => {
    const allocation = order.allocations[0]!;
    expect((await t.request('POST', `/offers/${allocation.id}/accept`, { key: factory.key })).status).toBe(200);
    expect((await t.request('POST', `/allocations/${allocation.id}/progress`, { key: factory.key, body: { producedQuantity: 10 } })).status).toBe(200);
    const refused = await t.request<Problem>('PUT', `/lines/${line.id}/availability`, { key: factory.key, body: { days: [{ date: allocation.startDate, fraction: 0 }] } });
    expect(refused.status).toBe(409);
    const firstFree = new Date(Date.parse(`${allocation.endDate}T00:00:00Z`) + 86_400_000).toISOString().slice(0, 10);
    expect(refused.body.detail).toContain(firstFree);
    const messages = refused.body.errors.map((e) => e.message).join(' | ');
    expect(messages).toContain(allocation.id);
    expect(messages).toContain(`from ${allocation.startDate} to ${allocation.endDate}`);
    expect(messages).toContain(`the first day this change fits is ${firstFree}`);
    // The day it names does fit.
    expect((await t.request('PUT', `/lines/${line.id}/availability`, { key: factory.key, body: { days: [{ date: firstFree, fraction: 0 }] } })).status).toBe(200);
    const after = await calendar(`?from=${allocation.startDate}&to=${firstFree}`);
    expect(after.body.days.at(-1)).toMatchObject({ date: firstFree, closed: true });
    expect(after.body.days[0]!.work[0]).toMatchObject({ allocationId: allocation.id, status: 'in_production' });
  });

  it('answers a bad range with a 400 naming the field, and another factory\'s line as missing', async () => {
    for (const [query, field] of [[`?from=${inDays(5)}&to=${inDays(1)}`, 'to'], [`?from=${inDays(0)}&to=${inDays(100)}`, 'to'], ['?from=2026-02-30', 'from'], ['?to=soon', 'to'], ['?days=3', 'days']] as const) {
      const res = await t.request<Problem>('GET', `/lines/${line.id}/calendar${query}`, { key: factory.key });
      expect(res.status, query).toBe(400);
      expect(res.body.errors.map((e) => e.field), query).toContain(field);
    }
    const other = await signup(t, { kind: 'factory', name: 'Foshan Sewing' });
    const foreign = await t.request<Problem>('GET', `/lines/${line.id}/calendar`, { key: other.key });
    const ghost = await t.request<Problem>('GET', '/lines/2d4f6a8c-1e3b-4d5f-9a7c-0b2d4f6a8c1e/calendar', { key: other.key });
    expect(foreign.status).toBe(404);
    expect(foreign.body.detail).toBe(ghost.body.detail);
  });
});
