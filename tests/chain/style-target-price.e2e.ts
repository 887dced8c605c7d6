import { startTestApp, type TestApp } from '../support/harness';
import { addLine, orderSettled, signup } from '../support/market';
import { dyeRange, sewingLine, styleOrder } from './support';

interface Miss {
  coveredFraction: number;
  coveredQuantity: number;
  cheapestPrice?: number;
}

interface StyleQuote {
  feasible: boolean;
  price?: number;
  withinTargetPrice?: boolean | null;
  failedStage?: { index: number; kind: string };
  reasons?: { code: string; message: string }[];
  closestMiss?: Miss;
}

interface StyleOrder {
  id: string;
  status: string;
  agreedPrice?: number;
  allocations: { id: string; price: number }[];
  explanation: { reasons?: { code: string; message: string }[]; closestMiss?: Miss; failedStage?: { index: number; kind: string } } | null;
}

/**
 * A style's target price is a hard ceiling for its whole chain (DESIGN.md §8, §9), as for a
 * fabric or garment order: a chain dearer than the target is not used, by the matcher or the
 * quote, and the miss names the cheapest chain's price. One line per stage, so the market holds
 * exactly one chain and its price is the cheapest.
 */
describe('a style order within its target price', () => {
  let t: TestApp;
  let brand: string;
  let chainPrice = 0;

  beforeAll(async () => {
    t = await startTestApp();
    ({ key: brand } = await signup(t, { kind: 'brand', name: 'Hangzhou Studio' }));
    const mill = await signup(t, { kind: 'factory', name: 'Shengze Weaving', city: 'Suzhou', province: 'Jiangsu' });
    const dyer = await signup(t, { kind: 'factory', name: 'Keqiao Dyeing', city: 'Shaoxing', province: 'Zhejiang' });
    const sewer = await signup(t, { kind: 'factory', name: 'Humen Garments', city: 'Dongguan', province: 'Guangdong' });
    await addLine(t, mill.key, { kind: 'weaving', name: 'Hall A air-jets', machineType: 'air_jet', machines: 48, rpm: 700, maxWidthCm: 190, ratePerUnit: 0.012 });
    await addLine(t, dyer.key, dyeRange);
    await addLine(t, sewer.key, sewingLine());
    const free = await t.request<StyleQuote>('POST', '/quotes', { key: brand, body: style() });
    expect(free.body.feasible).toBe(true);
    chainPrice = free.body.price!;
    expect(chainPrice).toBeGreaterThan(0);
  });
  afterAll(async () => {
    await t.close();
  });

  const style = styleOrder;

  const reserved = async (): Promise<number> => Number((await t.sql<{ n: string }>(`SELECT coalesce(sum(reserved), 0)::text AS n FROM capacity_days`))[0]!.n);

  it('quotes no chain above the target: PRICE_ABOVE_TARGET, with the cheapest chain price as the closest miss', async () => {
    const target = Math.floor(chainPrice * 0.9);
    const quote = await t.request<StyleQuote>('POST', '/quotes', { key: brand, body: style({ targetPrice: target }) });
    expect(quote.status).toBe(200);
    expect(quote.body.feasible).toBe(false);
    expect(quote.body.reasons?.map((r) => r.code)).toEqual(['PRICE_ABOVE_TARGET']);
    expect(quote.body.closestMiss?.cheapestPrice).toBeCloseTo(chainPrice, 2);
    expect(quote.body.failedStage?.kind).toMatch(/^(weaving|finishing|sewing)$/);
  });

  it('leaves an order whose target is below the only chain unmatched for price, holding nothing', async () => {
    const before = await reserved();
    const target = Math.floor(chainPrice * 0.9);
    const posted = await t.request<StyleOrder>('POST', '/orders', { key: brand, body: style({ targetPrice: target }) });
    expect(posted.status).toBe(202);
    const order = (await orderSettled(t, brand, posted.body.id)) as unknown as StyleOrder;
    expect(order.status).toBe('unmatched');
    expect(order.allocations).toEqual([]);
    expect(order.explanation?.reasons?.map((r) => r.code)).toEqual(['PRICE_ABOVE_TARGET']);
    expect(order.explanation?.closestMiss?.cheapestPrice).toBeCloseTo(chainPrice, 2);
    // The matcher and the quote name the same stage for the same market.
    const quote = await t.request<StyleQuote>('POST', '/quotes', { key: brand, body: style({ targetPrice: target }) });
    expect(order.explanation?.failedStage).toMatchObject(quote.body.failedStage!);
    expect(await reserved()).toBe(before);
  });

  it('matches an order whose target is above the chain, at the quoted price, with no approval asked', async () => {
    const target = Math.ceil(chainPrice * 1.1);
    const quote = await t.request<StyleQuote>('POST', '/quotes', { key: brand, body: style({ targetPrice: target }) });
    expect(quote.body).toMatchObject({ feasible: true, withinTargetPrice: true });
    expect(quote.body.price).toBeCloseTo(chainPrice, 2);
    const posted = await t.request<StyleOrder>('POST', '/orders', { key: brand, body: style({ targetPrice: target }) });
    const order = (await orderSettled(t, brand, posted.body.id)) as unknown as StyleOrder;
    expect(order.status).toBe('proposed');
    expect(order.allocations.length).toBe(3);
    // The chain costs what the quote said, within the target, which stays the agreed price (§9).
    expect(order.allocations.reduce((sum, a) => sum + a.price, 0)).toBeCloseTo(quote.body.price!, 2);
    expect(order.agreedPrice).toBe(target);
  });
});
