import { MarketRollups } from '@cloudloom/market';
import type { Page } from 'playwright-core';
import { inDays, OPERATOR_KEY, type TestApp } from '../support/harness';
import { addLine, airJetLine, orderSettled, type OrderBody } from '../support/market';
import { startSmtp, tokenIn } from '../support/smtp';
import { type Browser, browserTestsRun, catalogOf, type ConsoleLanguage, LANGUAGES, PHONE, scrollsSideways, seriousAccessibilityProblems, signInAs } from './support/browser';
import { closeConsole, type ConsoleApp, openConsole } from './support/console-app';

const UI_TIMEOUT = 15_000;
const fabric = (quantity: number): Record<string, unknown> => ({ kind: 'fabric', fabric: { fiber: 'cotton', weave: 'twill', widthCm: 150, picksPerCm: 30 }, quantity, dueDate: inDays(20) });

/**
 * Every page and tab of the console on a 390×844 phone, for each role, in each language: none may
 * scroll sideways, and axe-core finds nothing serious or critical. Each page's findings are
 * collected, so one run names every page that fails.
 */
describe.runIf(browserTestsRun)('every page on the phone', { timeout: 240_000 }, () => {
  let t: TestApp;
  let origin: string;
  let smtp: Awaited<ReturnType<typeof startSmtp>>;
  const browsers = new Map<ConsoleLanguage, Browser>();
  let keys: { brand: string; factory: string };
  let proposed: OrderBody;
  let accepted: OrderBody;

  let app: ConsoleApp | undefined;
  beforeAll(async () => {
    smtp = await startSmtp();
    app = await openConsole({ env: { SMTP_URL: smtp.url }, locales: LANGUAGES.map((language) => (language === 'zh-CN' ? 'zh-CN' : 'en-GB')) });
    ({ t, origin } = app);
    app.browsers.forEach((browser, i) => browsers.set(LANGUAGES[i]!, browser));
  }, 180_000);
  afterAll(async () => {
    try {
      await closeConsole(app);
    } finally {
      await smtp?.close();
    }
  });

  it('makes a brand and a mill with their people, an offer open, work in hand and an order left unmatched', async () => {
    const brand = await t.request<{ apiKey: string }>('POST', '/signup', { body: { kind: 'brand', name: '广州荔湾服饰有限公司 Liwan Apparel', email: 'owner@liwan.example', password: 'owner@liwan.example-pass', locale: 'zh-CN' } });
    const factory = await t.request<{ apiKey: string }>('POST', '/signup', { body: { kind: 'factory', name: '绍兴柯桥织造厂 Keqiao Weaving', city: 'Shaoxing', province: 'Zhejiang', email: 'owner@keqiao.example', password: 'owner@keqiao.example-pass', locale: 'zh-CN' } });
    keys = { brand: brand.body.apiKey, factory: factory.body.apiKey };
    await addLine(t, keys.factory, airJetLine);
    await addLine(t, keys.factory, { kind: 'sewing', name: 'Line 2 shirts', operators: 30, categories: ['shirt'], fabricTypes: ['woven'], ratePerUnit: 0.9 });
    accepted = await orderSettled(t, keys.brand, (await t.request<{ id: string }>('POST', '/orders', { key: keys.brand, body: fabric(1200) })).body.id);
    expect((await t.request('POST', `/offers/${accepted.allocations[0]!.id}/accept`, { key: keys.factory, body: {} })).status).toBe(200);
    proposed = await orderSettled(t, keys.brand, (await t.request<{ id: string }>('POST', '/orders', { key: keys.brand, body: fabric(900) })).body.id);
    expect(proposed.status).toBe('proposed');
    const stuck = await t.request<{ id: string }>('POST', '/orders', { key: keys.brand, body: { ...fabric(500), fabric: { fiber: 'silk', weave: 'jacquard', widthCm: 320, picksPerCm: 80 } } });
    expect((await orderSettled(t, keys.brand, stuck.body.id)).status).toBe('unmatched');
    // An hour of history, so the radar draws its trend charts: the first order posted and matched two hours ago, rolled up.
    const hour = Math.floor(Date.now() / 3_600_000) * 3_600_000 - 2 * 3_600_000;
    await t.sql(`UPDATE orders SET created_at = $2 WHERE id = $1`, [accepted.id, new Date(hour + 60_000)]);
    await t.sql(`UPDATE allocations SET created_at = $2 WHERE order_id = $1`, [accepted.id, new Date(hour + 120_000)]);
    expect(await t.app.get(MarketRollups).rollHour(new Date(hour))).toBe(true);
    for (const [key, email, role] of [[keys.brand, 'merch@liwan.example', 'merchandiser'], [keys.brand, 'viewer@liwan.example', 'viewer'], [keys.factory, 'dispatch@keqiao.example', 'dispatcher'], [keys.factory, 'viewer@keqiao.example', 'viewer']] as const) {
      expect((await t.request('POST', '/me/people', { key, body: { email, role, locale: 'zh-CN' } })).status).toBe(201);
      await expect.poll(() => smtp.mails.some((m) => m.to.includes(email)), { timeout: UI_TIMEOUT }).toBe(true);
      const mail = smtp.mails.find((m) => m.to.includes(email))!;
      expect((await t.request('POST', '/invitations/accept', { body: { token: tokenIn(mail), password: `${email}-pass` } })).status).toBe(201);
    }
  });

  it.each(LANGUAGES)('shows every page of every role without sideways scroll or serious accessibility problems in %s', async (language) => {
    const browser = browsers.get(language)!;
    const T = catalogOf(language);
    const problems: string[] = [];
    /** Measures the page as it is now; what is wrong is kept, named after the page. */
    const check = async (page: Page, name: string): Promise<void> => {
      // Layout settles after the data arrives: a page that ends up fitting is given the time to.
      const fit = await expect.poll(() => scrollsSideways(page), { timeout: 3_000 }).toEqual({ scrollWidth: PHONE.width, viewport: PHONE.width, widest: '' }).then(() => undefined, () => scrollsSideways(page));
      if (fit) problems.push(`${name}: scrolls sideways (${fit.scrollWidth} px; widest ${fit.widest})`);
      problems.push(...(await seriousAccessibilityProblems(page)).map((p) => `${name}: ${p}`));
      await browser.screenshot(page, `phone-${language}-${name}`);
    };
    const page = await browser.page(PHONE);
    const personSignIn = async (email: string): Promise<void> => {
      await browser.context.clearCookies();
      await page.goto(origin);
      await page.getByRole('tab', { name: T.signIn.tabPerson }).click();
      await page.getByLabel(T.person.email, { exact: true }).fill(email);
      await page.getByLabel(T.person.password, { exact: true }).fill(`${email}-pass`);
      await page.getByRole('button', { name: T.person.submit }).click();
      await page.getByTestId('person-role').waitFor({ timeout: UI_TIMEOUT });
    };

    // Signed out: the sign-in page's tabs and the password pages a mailed link opens.
    await page.goto(origin);
    for (const tab of [T.signIn.tabKey, T.signIn.tabSignUp, T.signIn.tabPerson]) {
      await page.getByRole('tab', { name: tab }).click();
      await check(page, `signin-${tab}`);
    }
    for (const token of ['accept', 'reset']) {
      await page.goto(`${origin}/#/${token}?token=not-a-real-token`);
      await page.getByRole('button').first().waitFor({ timeout: UI_TIMEOUT });
      await check(page, token);
    }

    // The brand's people: the order list, an order opened (offers, terms, history) and, for the owner, people and webhooks.
    for (const email of ['owner@liwan.example', 'merch@liwan.example', 'viewer@liwan.example']) {
      await personSignIn(email);
      const role = await page.getByTestId('person-role').getAttribute('data-role');
      const row = page.locator(`[data-testid="order-row"][data-order-id="${proposed.id}"]`);
      await row.waitFor({ timeout: UI_TIMEOUT });
      await check(page, `brand-${role}-orders`);
      await row.locator('button.order-summary').click();
      await row.getByTestId('order-detail').waitFor({ timeout: UI_TIMEOUT });
      await check(page, `brand-${role}-order`);
    }
    // The factory's people: offers, work in hand and lines; a line's calendar; its editor and a new line's form for those who edit; the profile.
    for (const email of ['owner@keqiao.example', 'dispatch@keqiao.example', 'viewer@keqiao.example']) {
      await personSignIn(email);
      const role = await page.getByTestId('person-role').getAttribute('data-role');
      await page.locator(`[data-testid="offer"][data-offer-id="${proposed.allocations[0]!.id}"]`).waitFor({ timeout: UI_TIMEOUT });
      await page.getByTestId('work').first().waitFor({ timeout: UI_TIMEOUT });
      await check(page, `factory-${role}-offers`);
      await page.getByRole('button', { name: T.calendar.open }).first().click();
      await page.getByText(T.calendar.loading).waitFor({ state: 'detached', timeout: UI_TIMEOUT });
      await check(page, `factory-${role}-calendar`);
      if (role !== 'viewer') {
        await page.getByRole('button', { name: T.common.edit, exact: true }).first().click();
        await page.getByRole('button', { name: T.factory.addLine }).click();
        await check(page, `factory-${role}-line-forms`);
      }
      await page.getByRole('tab', { name: T.factoryProfile.tabProfile }).click();
      await page.getByTestId('factory-profile').waitFor({ timeout: UI_TIMEOUT });
      await check(page, `factory-${role}-profile`);
    }
    await browser.context.clearCookies();

    // The operator (by key): each tab, an order's history opened.
    await signInAs(page, origin, OPERATOR_KEY, language);
    await page.getByTestId('kpis').waitFor({ timeout: UI_TIMEOUT });
    await check(page, 'operator-live');
    await page.getByRole('tab', { name: new RegExp(`^${T.operator.tabs.orders}`) }).click();
    await page.getByTestId('op-order').first().waitFor({ timeout: UI_TIMEOUT });
    await page.getByTestId('op-order').first().getByRole('button', { name: T.lists.history.open }).click();
    await page.getByTestId('order-history').first().waitFor({ timeout: UI_TIMEOUT });
    await check(page, 'operator-orders');
    await page.getByRole('tab', { name: T.operator.tabs.factories }).click();
    await page.getByTestId('factory').first().waitFor({ timeout: UI_TIMEOUT });
    await check(page, 'operator-factories');
    await page.getByRole('tab', { name: T.operator.tabs.radar }).click();
    await page.getByTestId('cluster').first().waitFor({ timeout: UI_TIMEOUT });
    await page.getByTestId('trends').waitFor({ timeout: UI_TIMEOUT });
    await check(page, 'operator-radar');
    await page.close();

    expect(problems).toEqual([]);
  });
});
