import type { Locator } from 'playwright-core';
import { formatFor } from '../../apps/console/src/i18n/format';
import { dyeRange, sewingLine } from '../chain/support';
import { inDays, type TestApp } from '../support/harness';
import { addLine, airJetLine, signup } from '../support/market';
import { loomLine } from '../telemetry/support';
import { browserTestsRun, catalogOf, type ConsoleLanguage, LANGUAGES, PHONE, scrollsSideways, seriousAccessibilityProblems, signInAs } from './support/browser';
import { closeConsole, type ConsoleInEachLanguage, openConsoleInEachLanguage } from './support/console-app';

const UI_TIMEOUT = 20_000;

interface Stage { kind: string; status: string; startDate: string | null; endDate: string | null; allocations: { id: string; factoryId: string; status: string }[] }
interface StyleOrder { id: string; status: string; stages: Stage[] }
interface StyleQuote {
  feasible: boolean; readyDate: string; price: number; stages: { kind: string }[];
  failedStage: { kind: string; inputReadyDate: string }; closestMiss: { coveredFraction: number; coveredQuantity: number };
}

/**
 * Each language's chain has its own fibre, garment and process, so that the two runs share the
 * app without one's lines qualifying for the other's order.
 */
const CHAIN: Record<ConsoleLanguage, { fiber: string; category: string; process: string }> = {
  'zh-CN': { fiber: 'cotton', category: 'dress', process: 'dyeing' },
  en: { fiber: 'viscose', category: 'skirt', process: 'printing' },
};

/** A catalog message with its placeholders filled, as i18next fills them. */
const fill = (template: string, values: Record<string, string>): string => template.replace(/\{\{(\w+)\}\}/g, (_, k: string) => values[k] ?? `{{${k}}}`);

const stageOf = (o: StyleOrder, kind: string): Stage => o.stages.find((s) => s.kind === kind)!;

/** The given attributes of each element a locator finds, in page order, joined by ":". */
async function attributes(list: Locator, ...names: string[]): Promise<string[]> {
  return Promise.all((await list.all()).map(async (el) => (await Promise.all(names.map((n) => el.getAttribute(n)))).join(':')));
}

/**
 * Issue 15 in the console (DESIGN.md §8): a brand posts a style from the order form, across a
 * weaving mill, a dye house and a sewing factory, sees its quote first, and follows the chain's
 * stages; when the mill declines the weaving offer, the page says which stage moved and why.
 */
describe.runIf(browserTestsRun)('the console: a style order followed stage by stage', { timeout: 180_000 }, () => {
  let t: TestApp;
  let origin: string;
  let app: ConsoleInEachLanguage | undefined;
  beforeAll(async () => {
    app = await openConsoleInEachLanguage();
    ({ t, origin } = app);
  }, 180_000);
  afterAll(() => closeConsole(app));

  it.each(LANGUAGES)('in %s: quotes, posts and follows a style; the weaving offer declined, the sewing stage moves', async (language) => {
    const browser = app!.browserIn(language);
    const T = catalogOf(language);
    const f = formatFor(language);
    const { fiber, category, process } = CHAIN[language];
    const stageWord = (kind: string): string => T.domain.lineKind[kind as keyof typeof T.domain.lineKind];

    // A fast mill the planner picks first, a slower one behind it, a dye house and a sewing factory.
    const fast = await signup(t, { kind: 'factory', name: `Fast Weaving ${language}`, city: 'Guangzhou' });
    const slow = await signup(t, { kind: 'factory', name: `Slow Weaving ${language}`, city: 'Foshan' });
    const dyer = await signup(t, { kind: 'factory', name: `Dye House ${language}`, city: 'Shaoxing' });
    const sewer = await signup(t, { kind: 'factory', name: `Garment Works ${language}`, city: 'Guangzhou' });
    await addLine(t, fast.key, { ...airJetLine, fibers: [fiber] });
    // 300 pieces x 2 m x 1.03 = 618 m: a day on the air-jets, two on these two rapiers.
    await addLine(t, slow.key, loomLine([fiber], 2, { ratePerUnit: 0.02 }));
    await addLine(t, dyer.key, { ...dyeRange, processes: [process] });
    await addLine(t, sewer.key, sewingLine(category));
    const brand = await signup(t, { kind: 'brand', name: `Style Studio ${language}` });

    const page = await browser.page();
    await signInAs(page, origin, brand.key, language);
    const form = page.getByRole('form', { name: T.orderForm.form });
    // The radio itself is hidden behind its pill-shaped label: a person taps the label.
    await form.getByRole('radiogroup').getByText(T.orderForm.style, { exact: true }).click();
    expect(await form.getByRole('radio', { name: T.orderForm.style }).isChecked()).toBe(true);
    await form.getByLabel(T.orderForm.category).selectOption(category);
    await form.getByLabel(T.orderForm.fabricType).selectOption('woven');
    await form.getByLabel(T.orderForm.samMinutes).fill('40');
    await form.getByLabel(T.spec.sizes).fill('S:100, M:150, L:50');
    await form.getByLabel(T.orderForm.fiber).selectOption(fiber);
    await form.getByLabel(T.orderForm.weave).selectOption('plain');
    await form.getByLabel(T.orderForm.widthCm).fill('1500');
    await form.getByLabel(T.orderForm.picksPerCm).fill('30');
    await form.getByLabel(T.styleForm.fabricPerPieceM).fill('0');
    await form.getByLabel(T.styleForm.finishing).selectOption(process);
    await form.getByLabel(T.orderForm.quantityPieces).fill('300');
    await form.getByLabel(T.orderForm.dueDate).fill(inDays(40));
    // A re-plan onto the dearer mill goes ahead without asking the brand (the price rule has its own tests).
    await form.getByLabel(T.orderForm.priceTolerancePct).fill('500');
    // The sizes are checked against the quantity before anything is sent.
    expect(await form.getByText(fill(T.spec.sizesSum, { sum: '300', quantity: '300' })).count()).toBe(1);

    // Two mistakes: both are named beside their fields at once, in the page's language.
    await form.getByRole('button', { name: T.orderForm.post }).click();
    await expect.poll(() => form.locator('.has-error .field-error').allTextContents(), { timeout: UI_TIMEOUT })
      .toEqual([expect.stringContaining(T.field.widthCm), fill(T.validation.min, { field: T.field.fabricPerPieceM, min: '0.05' })]);
    const [none] = await t.sql<{ n: number }>(`SELECT count(*)::int AS n FROM orders WHERE brand_id = $1`, [brand.id]);
    expect(none?.n).toBe(0);
    await form.getByLabel(T.orderForm.widthCm).fill('150');
    await form.getByLabel(T.styleForm.fabricPerPieceM).fill('2');

    // The quote: one ready date, one price, each stage's part — what the API answers for the same body.
    const body = {
      kind: 'style', fabric: { fiber, weave: 'plain', widthCm: 150, picksPerCm: 30 }, garment: { category, fabricType: 'woven', samMinutes: 40 },
      fabricPerPieceM: 2, finishing: { process }, sizes: { S: 100, M: 150, L: 50 }, quantity: 300, dueDate: inDays(40), priceTolerancePct: 500,
    };
    const expected = (await t.request<StyleQuote>('POST', '/quotes', { key: brand.key, body })).body;
    expect(expected.feasible).toBe(true);
    await form.getByRole('button', { name: T.orderForm.quote }).click();
    const quote = form.getByTestId('quote');
    await quote.waitFor({ timeout: UI_TIMEOUT });
    expect(await attributes(quote.getByTestId('quote-stage'), 'data-stage')).toEqual(['weaving', 'finishing', 'sewing']);
    expect(await quote.getByTestId('quote-ready').textContent()).toContain(expected.readyDate);
    expect(await quote.getByTestId('quote-price').textContent()).toContain(f.cny(expected.price));
    expect(await quote.getByTestId('quote-stage').first().textContent()).toContain(stageWord('weaving'));

    // A finish no dye house here does: the quote names the finishing stage and its closest miss in words.
    const coated = (await t.request<StyleQuote>('POST', '/quotes', { key: brand.key, body: { ...body, finishing: { process: 'coating' } } })).body;
    expect(coated).toMatchObject({ feasible: false, failedStage: { kind: 'finishing' } });
    await form.getByLabel(T.styleForm.finishing).selectOption('coating');
    await form.getByRole('button', { name: T.orderForm.quote }).click();
    await expect.poll(() => form.getByTestId('quote-miss').textContent(), { timeout: UI_TIMEOUT }).toBe(fill(T.stages.miss, {
      stage: stageWord('finishing'), date: coated.failedStage.inputReadyDate, covered: f.pct(coated.closestMiss.coveredFraction),
      quantity: fill(T.units.meters, { n: f.num(coated.closestMiss.coveredQuantity) }),
    }));
    await form.getByLabel(T.styleForm.finishing).selectOption(process);

    await form.getByRole('button', { name: T.orderForm.post }).click();
    await form.getByTestId('order-posted').waitFor({ timeout: UI_TIMEOUT });
    const [posted] = await t.sql<{ id: string; kind: string }>(`SELECT id, kind FROM orders WHERE brand_id = $1`, [brand.id]);
    expect(posted?.kind).toBe('style');
    const row = page.locator(`[data-testid="order-row"][data-order-id="${posted!.id}"]`);
    await row.getByTestId('stages').waitFor({ timeout: UI_TIMEOUT });
    const stageCard = (kind: string): Locator => row.locator(`[data-testid="stage"][data-stage="${kind}"]`);

    // Each stage, weaving to sewing, with its factory and its status once the chain is placed.
    await expect.poll(() => attributes(row.getByTestId('stage'), 'data-stage', 'data-status'), { timeout: UI_TIMEOUT }).toEqual(['weaving:offered', 'finishing:offered', 'sewing:offered']);
    await expect.poll(() => stageCard('weaving').textContent(), { timeout: UI_TIMEOUT }).toContain(`Fast Weaving ${language}`);
    expect(await stageCard('finishing').textContent()).toContain(`Dye House ${language}`);
    expect(await stageCard('sewing').textContent()).toContain(`Garment Works ${language}`);
    expect(await stageCard('sewing').getByTestId('stage-status').textContent()).toBe(T.stages.status.offered);
    const first = (await t.request<StyleOrder>('GET', `/orders/${posted!.id}`, { key: brand.key })).body;
    const sewingBefore = stageOf(first, 'sewing');
    expect(await stageCard('sewing').getByTestId('stage-dates').textContent()).toBe(`${sewingBefore.startDate} → ${sewingBefore.endDate}`);
    expect(await stageCard('sewing').getByTestId('stage-price').textContent()).toMatch(language === 'zh-CN' ? /\/件$/ : /\/pc$/);
    expect(await stageCard('weaving').getByTestId('stage-price').textContent()).toMatch(language === 'zh-CN' ? /\/米$/ : /\/m$/);
    expect(await row.getByTestId('stage-moves').count()).toBe(0);

    // The mill declines the weaving offer: weaving goes to the slower mill, and the sewing stage moves after it.
    const weaving = stageOf(first, 'weaving').allocations.find((a) => a.status === 'offered')!;
    expect(weaving.factoryId).toBe(fast.id);
    expect((await t.request('POST', `/offers/${weaving.id}/reject`, { key: fast.key, body: { reasonCode: 'NO_CAPACITY' } })).status).toBe(200);
    const sewingMove = row.locator('[data-testid="stage-move"][data-stage="sewing"]');
    await sewingMove.waitFor({ timeout: UI_TIMEOUT });
    const after = (await t.request<StyleOrder>('GET', `/orders/${posted!.id}`, { key: brand.key })).body;
    const sewingAfter = stageOf(after, 'sewing');
    expect(sewingAfter.startDate! > sewingBefore.startDate!).toBe(true);
    const why = fill(T.stages.why.declined, { stage: stageWord('weaving') });
    expect(await sewingMove.textContent()).toContain(fill(T.stages.moved, {
      stage: stageWord('sewing'), to: `${sewingAfter.startDate} – ${sewingAfter.endDate}`, from: `${sewingBefore.startDate} – ${sewingBefore.endDate}`, why,
    }));
    await expect.poll(() => stageCard('weaving').textContent(), { timeout: UI_TIMEOUT }).toContain(`Slow Weaving ${language}`);
    await expect.poll(() => stageCard('sewing').getByTestId('stage-dates').textContent(), { timeout: UI_TIMEOUT }).toBe(`${sewingAfter.startDate} → ${sewingAfter.endDate}`);
    expect(await stageCard('weaving').locator('[data-testid="stage-allocation"][data-status="rejected"]').textContent()).toContain(`Fast Weaving ${language}`);
    expect(await seriousAccessibilityProblems(page)).toEqual([]);
    await browser.screenshot(page, `${language}-style-stages`);

    // On a phone: nothing scrolls sideways, nothing serious for a screen reader.
    await page.setViewportSize(PHONE);
    await expect.poll(() => scrollsSideways(page), { timeout: UI_TIMEOUT }).toEqual({ scrollWidth: PHONE.width, viewport: PHONE.width, widest: '' });
    expect(await seriousAccessibilityProblems(page)).toEqual([]);
    await browser.screenshot(page, `${language}-style-stages-phone`);

    // The form keeps the style's spec for the next one, across a visit.
    await page.reload();
    const again = page.getByRole('form', { name: T.orderForm.form });
    await again.waitFor({ timeout: UI_TIMEOUT });
    expect(await again.getByRole('radio', { name: T.orderForm.style }).isChecked()).toBe(true);
    expect(await again.getByLabel(T.styleForm.fabricPerPieceM).inputValue()).toBe('2');
    expect(await again.getByLabel(T.styleForm.finishing).inputValue()).toBe(process);
    expect(await again.getByLabel(T.orderForm.quantityPieces).inputValue()).toBe('');
    await page.close();
  });
});
