import { inDays, startTestApp, type TestApp } from '../support/harness';
import { addLine, airJetLine, signup } from '../support/market';
import type { StyleQuote } from '@cloudloom/contracts';
import { dyeRange, sewingLine, styleOrder } from './support';

/** Whole days from one ISO date to another. */
const daysBetween = (from: string, to: string): number => Math.round((Date.parse(to) - Date.parse(from)) / 86_400_000);

interface Problem {
  errors: { field: string; message: string }[];
}

type Feasible = Extract<StyleQuote, { feasible: true }>;
type Miss = Extract<StyleQuote, { feasible: false }>;

/** The quote as the contract's branch the test expects, failing the test on the other branch. */
function feasible(quote: StyleQuote): Feasible {
  if (!quote.feasible) throw new Error(`expected a feasible quote, got a miss at ${quote.failedStage.kind}`);
  return quote;
}
function miss(quote: StyleQuote): Miss {
  if (quote.feasible) throw new Error(`expected a miss, got a quote ready ${quote.readyDate}`);
  return quote;
}

/**
 * A style quoted over HTTP (DESIGN.md §8): a weaving mill, a dye house and a sewing factory, each
 * with one line; the quote plans the chain loom → dye range → sewing line and reserves nothing.
 */
describe('style quotes', () => {
  let t: TestApp;
  let brand: string;
  const factory: Record<'mill' | 'dyer' | 'sewer', string> = { mill: '', dyer: '', sewer: '' };

  beforeAll(async () => {
    t = await startTestApp();
    ({ key: brand } = await signup(t, { kind: 'brand', name: 'Hangzhou Studio' }));
    const mill = await signup(t, { kind: 'factory', name: 'Shengze Weaving', city: 'Suzhou', province: 'Jiangsu' });
    const dyer = await signup(t, { kind: 'factory', name: 'Keqiao Dyeing', city: 'Shaoxing', province: 'Zhejiang' });
    const sewer = await signup(t, { kind: 'factory', name: 'Humen Garments', city: 'Dongguan', province: 'Guangdong' });
    Object.assign(factory, { mill: mill.id, dyer: dyer.id, sewer: sewer.id });
    await addLine(t, mill.key, airJetLine);
    await addLine(t, dyer.key, dyeRange);
    await addLine(t, sewer.key, sewingLine());
  });
  afterAll(async () => {
    await t.close();
  });

  const style = styleOrder;

  const reserved = async (): Promise<string> => (await t.sql<{ n: string }>(`SELECT coalesce(sum(reserved), 0)::text AS n FROM capacity_days`))[0]!.n;

  it('answers one ready date and one price, with each stage after the one before plus transit, and reserves nothing', async () => {
    const res = await t.request<StyleQuote>('POST', '/quotes', { key: brand, body: style({ targetPrice: 1e6 }) });
    expect(res.status).toBe(200);
    const quote = feasible(res.body);
    expect(quote).toMatchObject({ kind: 'style', feasible: true, withinTargetPrice: true });
    const stages = quote.stages;
    // 300 pieces x 2 m x 1.03 (default wastage) = 618 m woven and dyed.
    expect(stages.map((s) => [s.kind, s.quantity, s.unit])).toEqual([['weaving', 618, 'meters'], ['finishing', 618, 'meters'], ['sewing', 300, 'pieces']]);
    expect(stages.map((s) => s.lines)).toEqual([1, 1, 1]);
    for (let i = 1; i < stages.length; i++) {
      // Default transit: two days from the last day of one stage to the first day of the next.
      expect(daysBetween(stages[i - 1]!.endDate, stages[i]!.inputReadyDate)).toBe(2);
      expect(daysBetween(stages[i]!.inputReadyDate, stages[i]!.startDate)).toBeGreaterThanOrEqual(0);
    }
    for (const s of stages) {
      expect(daysBetween(inDays(1), s.startDate)).toBeGreaterThanOrEqual(0);
      expect(daysBetween(s.endDate, inDays(40))).toBeGreaterThanOrEqual(0);
      expect(s.price).toBeGreaterThan(0);
      // Each stage per its own unit (meters woven or dyed, pieces sewn), with what its lines' rates cover.
      expect(s.pricePerUnit).toBeCloseTo(s.price / s.quantity, 3);
      expect(s.priceCovers).toBe('processing');
    }
    expect(quote.pricePerUnit).toBeCloseTo(quote.price / 300, 3);
    expect(quote.readyDate).toBe(stages[2]!.endDate);
    expect(quote.slackDays).toBe(daysBetween(quote.readyDate, inDays(40)));
    expect(quote.price).toBeCloseTo(stages.reduce((sum, s) => sum + s.price, 0), 1);
    expect(await reserved()).toBe('0');
    expect((await t.sql<{ n: number }>(`SELECT count(*)::int AS n FROM orders`))[0]!.n).toBe(0);
  });

  it('leaves the finishing stage out when none is asked, and follows the transit days sent', async () => {
    const res = await t.request<StyleQuote>('POST', '/quotes', { key: brand, body: style({ finishing: undefined, transitDays: 5, wastagePct: 0 }) });
    expect(res.status).toBe(200);
    // A target below the chain is a miss (style-target-price.e2e.ts); without one there is nothing to be within.
    expect(res.body).toMatchObject({ feasible: true, withinTargetPrice: null });
    const stages = feasible(res.body).stages;
    expect(stages.map((s) => [s.kind, s.quantity])).toEqual([['weaving', 600], ['sewing', 300]]);
    expect(daysBetween(stages[0]!.endDate, stages[1]!.startDate)).toBeGreaterThanOrEqual(5);
  });

  it('names the stage no chain reaches and its closest miss', async () => {
    // Nobody prints: the chain fails at its second stage, after weaving could have been done.
    const res = await t.request<StyleQuote>('POST', '/quotes', { key: brand, body: style({ finishing: { process: 'printing' } }) });
    expect(res.status).toBe(200);
    expect(res.body).toMatchObject({ kind: 'style', feasible: false, failedStage: { index: 1, kind: 'finishing' }, closestMiss: { coveredFraction: 0, coveredQuantity: 0 } });
    expect(miss(res.body).reasons.map((r) => r.code)).toContain('PROCESS_NOT_SUPPORTED');
    expect(daysBetween(inDays(1), miss(res.body).failedStage.inputReadyDate)).toBeGreaterThan(0);
  });

  it('fails at sewing when the window leaves it no room after the fabric arrives', async () => {
    // Three days: weaving (day 1) and dyeing (day 3) take a day each after their transits; the fabric reaches sewing on day 5, after the due date.
    const res = await t.request<StyleQuote>('POST', '/quotes', { key: brand, body: style({ dueDate: inDays(3) }) });
    expect(res.status).toBe(200);
    expect(res.body).toMatchObject({ feasible: false, failedStage: { index: 2, kind: 'sewing', inputReadyDate: inDays(5) } });
    expect(miss(res.body).reasons.length).toBeGreaterThan(0);
  });

  it("checks the garment part by the garment order's rules: samMinutes or spec, not both", async () => {
    const res = await t.request<StyleQuote>('POST', '/quotes', {
      key: brand, body: style({ garment: { category: 'dress', fabricType: 'woven', samMinutes: 40, spec: { features: {} } } }),
    });
    expect(res.status).toBe(400);
    expect((res.body as unknown as Problem).errors).toContainEqual({ field: 'garment.spec', message: 'send either samMinutes or spec, not both' });
  });

  it('refuses bad input naming each field in words, and unknown fields', async () => {
    const res = await t.request<Problem>('POST', '/quotes', {
      key: brand,
      body: style({ garment: { category: 'gown', fabricType: 'woven' }, fabricPerPieceM: undefined, transitDays: -1, finishing: { process: 'bleaching' }, colour: 'red' }),
    });
    expect(res.status).toBe(400);
    const fields = res.body.errors.map((e) => e.field);
    expect(fields).toEqual(expect.arrayContaining(['garment.category', 'fabricPerPieceM', 'transitDays', 'finishing.process', 'colour']));
    const missingMinutes = await t.request<Problem>('POST', '/quotes', { key: brand, body: style({ garment: { category: 'dress', fabricType: 'woven' } }) });
    expect(missingMinutes.status).toBe(400);
    expect(missingMinutes.body.errors).toEqual([{ field: 'garment.samMinutes', message: 'is required unless a spec is sent (samMinutes or spec)' }]);
    const badSizes = await t.request<Problem>('POST', '/quotes', { key: brand, body: style({ sizes: { S: 100, M: 100 } }) });
    expect(badSizes.status).toBe(400);
    expect(badSizes.body.errors.map((e) => e.field)).toEqual(['sizes']);
    expect(badSizes.body.errors[0]!.message).toMatch(/sum to the quantity \(300 pieces\)/);
  });
});
