import { auditLedger } from '../support/ledger';
import { startTestApp, type TestApp } from '../support/harness';
import { addLine, orderSettled, signup } from '../support/market';
import { dyeRange, sewingLine, styleOrder } from './support';

/** Whole days from one ISO date to another. */
const daysBetween = (from: string, to: string): number => Math.round((Date.parse(to) - Date.parse(from)) / 86_400_000);

interface Allocation {
  id: string;
  factoryId: string;
  lineId: string;
  quantity: number;
  status: string;
  startDate: string;
  endDate: string;
  price: number;
  stage?: string;
  input?: { readyDate: string; from: { city: string | null; province: string | null }[] };
}

interface Stage {
  kind: string;
  quantity: number;
  unit: string;
  status: string;
  startDate: string | null;
  endDate: string | null;
  inputReadyDate: string | null;
  allocations: Allocation[];
  offers: { open: number; accepted: number; rejected: number; expired: number };
  progress: { producedQuantity: number; quantity: number };
  explanation?: string;
}

interface StyleOrder {
  id: string;
  kind: string;
  status: string;
  quantity: number;
  agreedPrice?: number;
  allocations: Allocation[];
  stages?: Stage[];
  progress: { quantity: number; expectedCompletion: string | null };
  explanation: { summary: string; reasons?: { code: string }[]; failedStage?: { index: number; kind: string; inputReadyDate: string } } | null;
}

/**
 * Style orders stored and matched as one chain (DESIGN.md §8): a weaving mill, a dye house and a
 * sewing factory; every stage's allocations written in one transaction, or none.
 */
describe('style orders', () => {
  let t: TestApp;
  let brand: { id: string; key: string };
  const factory: Record<'mill' | 'dyer' | 'sewer', { id: string; key: string }> = { mill: { id: '', key: '' }, dyer: { id: '', key: '' }, sewer: { id: '', key: '' } };

  beforeAll(async () => {
    t = await startTestApp();
    brand = await signup(t, { kind: 'brand', name: 'Hangzhou Studio' });
    factory.mill = await signup(t, { kind: 'factory', name: 'Shengze Weaving', city: 'Suzhou', province: 'Jiangsu' });
    factory.dyer = await signup(t, { kind: 'factory', name: 'Keqiao Dyeing', city: 'Shaoxing', province: 'Zhejiang' });
    factory.sewer = await signup(t, { kind: 'factory', name: 'Humen Garments', city: 'Dongguan', province: 'Guangdong' });
    await addLine(t, factory.mill.key, { kind: 'weaving', name: 'Hall A air-jets', machineType: 'air_jet', machines: 48, rpm: 700, maxWidthCm: 190, ratePerUnit: 0.012 });
    await addLine(t, factory.dyer.key, dyeRange);
    await addLine(t, factory.sewer.key, sewingLine());
  });
  afterAll(async () => {
    await t.close();
  });

  const style = (over: Record<string, unknown> = {}): Record<string, unknown> => styleOrder({
    sizes: { S: 100, M: 150, L: 50 },
    ...over,
  });

  const reserved = async (): Promise<number> => Number((await t.sql<{ n: string }>(`SELECT coalesce(sum(reserved), 0)::text AS n FROM capacity_days`))[0]!.n);

  it('matches every stage in one go, each after the one before plus transit, at the price and ready date its quote gave', async () => {
    const quote = await t.request<{ feasible: boolean; price: number; readyDate: string; stages: { kind: string; startDate: string; endDate: string; price: number }[] }>('POST', '/quotes', { key: brand.key, body: style() });
    expect(quote.body.feasible).toBe(true);
    const posted = await t.request<StyleOrder>('POST', '/orders', { key: brand.key, body: style() });
    expect(posted.status).toBe(202);
    expect(posted.body).toMatchObject({ kind: 'style', status: 'pending', quantity: 300 });
    const order = (await orderSettled(t, brand.key, posted.body.id)) as unknown as StyleOrder;
    expect(order.status).toBe('proposed');
    const stages = order.stages!;
    expect(stages.map((s) => [s.kind, s.quantity, s.unit, s.status])).toEqual([
      ['weaving', 618, 'meters', 'offered'], ['finishing', 618, 'meters', 'offered'], ['sewing', 300, 'pieces', 'offered'],
    ]);
    expect(stages.map((s) => s.allocations.map((a) => a.factoryId))).toEqual([[factory.mill.id], [factory.dyer.id], [factory.sewer.id]]);
    for (let i = 1; i < stages.length; i++) {
      expect(daysBetween(stages[i - 1]!.endDate!, stages[i]!.startDate!)).toBeGreaterThanOrEqual(2);
      expect(stages[i]!.inputReadyDate).toBe(inDaysFrom(stages[i - 1]!.endDate!, 2));
    }
    for (const s of stages) expect(s.offers).toEqual({ open: 1, accepted: 0, rejected: 0, expired: 0 });
    // The quote and the order agree on the same market: one price, one ready date, each stage's days.
    expect(order.agreedPrice).toBeCloseTo(quote.body.price, 2);
    expect(order.progress.expectedCompletion).toBe(quote.body.readyDate);
    expect(stages.map((s) => [s.startDate, s.endDate])).toEqual(quote.body.stages.map((s) => [s.startDate, s.endDate]));
    // The order's pieces are its sewing stage's: progress counts pieces, sizes ride on the sewing allocation only.
    expect(order.progress.quantity).toBe(300);
    const events = await t.sql<{ type: string; payload: { stage?: string } }>(`SELECT type, payload FROM events WHERE order_id = $1 AND type = 'offer.created' ORDER BY id`, [order.id]);
    expect(events.map((e) => e.payload.stage).sort()).toEqual(['finishing', 'sewing', 'weaving']);
    const audit = await auditLedger(t);
    expect({ overReserved: audit.overReserved, ledgerMismatches: audit.ledgerMismatches, allocationMismatches: audit.allocationMismatches, wrongTotals: audit.wrongTotals })
      .toEqual({ overReserved: 0, ledgerMismatches: 0, allocationMismatches: 0, wrongTotals: 0 });
  });

  it('shows each factory its own stage only, and the order to nobody but its brand', async () => {
    const posted = await t.request<StyleOrder>('POST', '/orders', { key: brand.key, body: style({ quantity: 100, sizes: undefined }) });
    const order = (await orderSettled(t, brand.key, posted.body.id)) as unknown as StyleOrder;
    expect(order.status).toBe('proposed');
    const inputs = new Map<string, Allocation['input']>();
    for (const [who, stage] of [['mill', 'weaving'], ['dyer', 'finishing'], ['sewer', 'sewing']] as const) {
      const offers = await t.request<{ items: Allocation[] }>('GET', '/offers', { key: factory[who].key });
      const mine = offers.body.items.filter((a) => order.allocations.some((b) => b.id === a.id));
      expect(mine.map((a) => a.stage)).toEqual([stage]);
      expect((await t.request('GET', `/orders/${order.id}`, { key: factory[who].key })).status).toBe(404);
      inputs.set(stage, mine[0]!.input);
    }
    // A later stage's offer says when its input arrives and from where; the first stage has no input.
    const stages = order.stages!;
    expect(inputs.get('weaving')).toBeUndefined();
    expect(inputs.get('finishing')).toEqual({ readyDate: inDaysFrom(stages[0]!.endDate!, 2), from: [{ city: 'Suzhou', province: 'Jiangsu' }] });
    expect(inputs.get('sewing')).toEqual({ readyDate: inDaysFrom(stages[1]!.endDate!, 2), from: [{ city: 'Shaoxing', province: 'Zhejiang' }] });
  });

  it('matches all or nothing: a chain whose sewing no line can make takes no capacity at all and names that stage', async () => {
    const before = await reserved();
    const posted = await t.request<StyleOrder>('POST', '/orders', { key: brand.key, body: style({ garment: { category: 'coat', fabricType: 'woven', samMinutes: 90 }, sizes: undefined }) });
    expect(posted.status).toBe(202);
    const order = (await orderSettled(t, brand.key, posted.body.id)) as unknown as StyleOrder;
    expect(order.status).toBe('unmatched');
    expect(order.allocations).toEqual([]);
    expect(order.explanation!.failedStage).toMatchObject({ index: 2, kind: 'sewing' });
    expect(order.explanation!.summary).toMatch(/sewing stage/);
    expect(order.explanation!.reasons!.length).toBeGreaterThan(0);
    expect(order.stages!.map((s) => s.status)).toEqual(['unplanned', 'unplanned', 'unplanned']);
    expect(order.stages![2]!.explanation).toBe(order.explanation!.summary);
    expect(await reserved()).toBe(before);
    const [unmatched] = await t.sql<{ n: number }>(`SELECT count(*)::int AS n FROM events WHERE order_id = $1 AND type = 'order.unmatched'`, [order.id]);
    expect(unmatched!.n).toBe(1);
  });

  it('wakes an unmatched style when a line for its missing stage appears, and matches the whole chain then', async () => {
    const posted = await t.request<StyleOrder>('POST', '/orders', { key: brand.key, body: style({ garment: { category: 'jacket', fabricType: 'woven', samMinutes: 60 }, sizes: undefined, quantity: 120 }) });
    expect((await orderSettled(t, brand.key, posted.body.id) as unknown as StyleOrder).status).toBe('unmatched');
    await addLine(t, factory.sewer.key, { kind: 'sewing', name: 'Jacket line', operators: 40, categories: ['jacket'], fabricTypes: ['woven'], moq: 50, ratePerUnit: 0.7 });
    const woken = (await orderSettled(t, brand.key, posted.body.id, ['unmatched', 'pending', 'matching'])) as unknown as StyleOrder;
    expect(woken.status).toBe('proposed');
    expect(woken.stages!.map((s) => s.status)).toEqual(['offered', 'offered', 'offered']);
  });

  it('refuses a bad style naming each field, and stores nothing', async () => {
    const count = async (): Promise<number> => (await t.sql<{ n: number }>(`SELECT count(*)::int AS n FROM orders`))[0]!.n;
    const before = await count();
    const res = await t.request<{ errors: { field: string }[] }>('POST', '/orders', { key: brand.key, body: style({ fabricPerPieceM: 0, transitDays: 99, colour: 'red' }) });
    expect(res.status).toBe(400);
    expect(res.body.errors.map((e) => e.field)).toEqual(expect.arrayContaining(['fabricPerPieceM', 'transitDays', 'colour']));
    expect(await count()).toBe(before);
  });

  it('honours Idempotency-Key: a retry returns the first style order', async () => {
    const headers = { 'Idempotency-Key': 'style-retry-1' };
    const first = await t.request<StyleOrder>('POST', '/orders', { key: brand.key, body: style({ quantity: 50, sizes: undefined }), headers });
    const again = await t.request<StyleOrder>('POST', '/orders', { key: brand.key, body: style({ quantity: 50, sizes: undefined }), headers });
    expect(first.status).toBe(202);
    expect(again.body.id).toBe(first.body.id);
    await orderSettled(t, brand.key, first.body.id);
  });
});

function inDaysFrom(date: string, days: number): string {
  return new Date(Date.parse(date) + days * 86_400_000).toISOString().slice(0, 10);
}
