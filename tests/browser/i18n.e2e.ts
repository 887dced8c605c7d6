import type { Page } from 'playwright-core';
import { inDays, OPERATOR_KEY, type TestApp } from '../support/harness';
import { addLine, orderSettled, type OrderBody, signup } from '../support/market';
import { type Browser, browserTestsRun, catalogOf, htmlLang, LANGUAGES, PHONE, scrollsSideways, seriousAccessibilityProblems, signInAs } from './support/browser';
import { closeConsole, type ConsoleInEachLanguage, openConsoleInEachLanguage } from './support/console-app';

const UI_TIMEOUT = 15_000;

/** A page a person would open on the phone: no sideways scroll, nothing serious for a screen reader or low vision. */
async function expectPhoneFriendly(browser: Browser, page: Page, name: string): Promise<void> {
  await page.setViewportSize(PHONE);
  // The element sticking out is named in a failure.
  await expect.poll(() => scrollsSideways(page), { timeout: UI_TIMEOUT }).toEqual({ scrollWidth: PHONE.width, viewport: PHONE.width, widest: '' });
  expect(await seriousAccessibilityProblems(page)).toEqual([]);
  await browser.screenshot(page, `${name}-phone`);
}

// Each role's main path, once per language: the browser's language picks the console's.
describe.runIf(browserTestsRun)('the console in Chinese and in English', { timeout: 120_000 }, () => {
  let t: TestApp;
  let origin: string;
  let app: ConsoleInEachLanguage | undefined;
  beforeAll(async () => {
    app = await openConsoleInEachLanguage();
    ({ t, origin } = app);
  }, 180_000);
  afterAll(() => closeConsole(app));

  it.each(LANGUAGES)('signs in and shows the sign-in page in %s', async (language) => {
    const browser = app!.browserIn(language);
    const T = catalogOf(language);
    const page = await browser.page();
    await page.goto(origin);
    await page.getByRole('tab', { name: T.signIn.tabSignUp }).waitFor({ timeout: UI_TIMEOUT });
    expect(await htmlLang(page)).toBe(language);
    expect(await page.locator('.lead').textContent()).toBe(T.signIn.lead);
    expect(await seriousAccessibilityProblems(page)).toEqual([]);
    await browser.screenshot(page, `${language}-signin`);
    await expectPhoneFriendly(browser, page, `${language}-signin`);
    await page.close();
  });

  it.each(LANGUAGES)('takes a brand, a factory and the operator through their pages in %s', async (language) => {
    const browser = app!.browserIn(language);
    const T = catalogOf(language);
    const factory = await signup(t, { kind: 'factory', name: `Panyu Garment Works ${language}`, city: 'Guangzhou', province: 'Guangdong' });
    await addLine(t, factory.key, { kind: 'sewing', name: 'Line 2 knits', operators: 30, categories: ['tshirt', 'polo'], fabricTypes: ['knit'], ratePerUnit: 0.9 });
    const brand = await signup(t, { kind: 'brand', name: `Liwan Tees ${language}` });
    const posted = await t.request<OrderBody>('POST', '/orders', { key: brand.key, body: { kind: 'garment', garment: { category: 'tshirt', fabricType: 'knit', samMinutes: 12 }, quantity: 1500, dueDate: inDays(25) } });
    const proposed = await orderSettled(t, brand.key, posted.body.id);
    expect(proposed.status).toBe('proposed');

    // The brand: its order, status and spec in its language, and the API's field error in it too.
    const brandPage = await browser.page();
    await signInAs(brandPage, origin, brand.key, language);
    const row = brandPage.locator(`[data-testid="order-row"][data-order-id="${posted.body.id}"]`);
    await row.waitFor({ timeout: UI_TIMEOUT });
    expect(await row.locator('.status').textContent()).toBe(T.domain.status.proposed);
    expect(await row.textContent()).toContain(T.domain.category.tshirt);
    await row.getByRole('button').first().click();
    await row.getByTestId('order-detail').waitFor();
    expect(await row.getByTestId('outlook').textContent()).toBe(T.outlook.proposed);
    const form = brandPage.getByRole('form', { name: T.orderForm.form });
    await form.getByRole('radio', { name: T.orderForm.fabric }).check({ force: true });
    await form.getByLabel(T.orderForm.widthCm).fill('1500');
    await form.getByLabel(T.orderForm.quantityMeters).fill('100');
    await form.getByRole('button', { name: T.orderForm.post }).click();
    await expect.poll(() => form.locator('.has-error .field-error').allTextContents(), { timeout: UI_TIMEOUT }).toEqual([expect.stringContaining(T.field.widthCm)]);
    expect(await seriousAccessibilityProblems(brandPage)).toEqual([]);
    await browser.screenshot(brandPage, `${language}-brand`);
    await expectPhoneFriendly(browser, brandPage, `${language}-brand`);
    await brandPage.close();

    // The factory on its phone: the offer in words, answered with one tap, progress saved and said so.
    const factoryPage = await browser.page(PHONE);
    await signInAs(factoryPage, origin, factory.key, language);
    const offer = factoryPage.locator(`[data-testid="offer"][data-offer-id="${proposed.allocations[0]!.id}"]`);
    await offer.waitFor({ timeout: UI_TIMEOUT });
    await expect.poll(() => offer.textContent(), { timeout: UI_TIMEOUT }).toContain(T.domain.category.tshirt);
    expect(await factoryPage.getByTestId('line-capacity').first().textContent()).toMatch(language === 'zh-CN' ? /件\/天/ : /pcs\/day/);
    await expectPhoneFriendly(browser, factoryPage, `${language}-factory-offer`);
    await offer.getByRole('button', { name: T.factory.accept, exact: true }).click();
    const work = factoryPage.getByTestId('work').first();
    await work.waitFor({ timeout: UI_TIMEOUT });
    await work.getByLabel(T.factory.producedSoFar).fill('100');
    await work.getByRole('button', { name: T.factory.reportProgress }).click();
    await expect.poll(() => work.getByTestId('progress-saved').textContent(), { timeout: UI_TIMEOUT }).toContain('100');
    const [stored] = await t.sql<{ produced: number }>(`SELECT produced_quantity AS produced FROM allocations WHERE id = $1`, [proposed.allocations[0]!.id]);
    expect(Number(stored!.produced)).toBe(100);
    await expectPhoneFriendly(browser, factoryPage, `${language}-factory-work`);
    await factoryPage.close();

    // The operator: figures and the factories' load, in the language.
    const operator = await browser.page();
    await signInAs(operator, origin, OPERATOR_KEY, language);
    await operator.getByTestId('kpis').getByText(T.kpi.fillRate, { exact: true }).waitFor({ timeout: UI_TIMEOUT });
    expect(await seriousAccessibilityProblems(operator)).toEqual([]);
    await browser.screenshot(operator, `${language}-operator-live`);
    await operator.getByRole('tab', { name: T.operator.tabs.factories }).click();
    await operator.getByTestId('factory').first().waitFor({ timeout: UI_TIMEOUT });
    expect(await seriousAccessibilityProblems(operator)).toEqual([]);
    await browser.screenshot(operator, `${language}-operator-factories`);
    await operator.close();
  });

  it('keeps the language a person switches to, across a reload', async () => {
    const browser = app!.browserIn('zh-CN');
    const page = await browser.page();
    await page.goto(origin);
    await page.getByTestId('lang-en').first().click();
    await page.getByRole('tab', { name: catalogOf('en').signIn.tabSignUp }).waitFor({ timeout: UI_TIMEOUT });
    expect(await htmlLang(page)).toBe('en');
    await page.reload();
    await page.getByRole('tab', { name: catalogOf('en').signIn.tabSignUp }).waitFor({ timeout: UI_TIMEOUT });
    expect(await htmlLang(page)).toBe('en');
    await page.getByTestId('lang-zh-CN').first().click();
    await page.getByRole('tab', { name: catalogOf('zh-CN').signIn.tabSignUp }).waitFor({ timeout: UI_TIMEOUT });
    expect(await htmlLang(page)).toBe('zh-CN');
    await page.close();
  });
});
