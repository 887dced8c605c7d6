import { type TestApp } from '../support/harness';
import { acceptedTrade } from '../lots/support';
import { type Browser, browserTestsRun, PHONE, signIn } from './support/browser';
import { closeConsole, type ConsoleApp, openConsole } from './support/console-app';

const UI_TIMEOUT = 15_000;
const orderRow = (page: import('playwright-core').Page, id: string) => page.locator(`[data-testid="order-row"][data-order-id="${id}"]`);

describe.runIf(browserTestsRun)('lots in the console', { timeout: 120_000 }, () => {
  let t: TestApp;
  let browser: Browser;
  let origin: string;

  let app: ConsoleApp | undefined;
  beforeAll(async () => {
    app = await openConsole();
    ({ t, origin, browser } = app);
  }, 180_000);
  afterAll(() => closeConsole(app));

  it('lets a factory record a roll and open its chain; the brand walks it back to the loom line; a phone without a session sees the label', async () => {
    const trade = await acceptedTrade(t, 'fabric', 800);
    const factoryPage = await browser.page();
    await signIn(factoryPage, origin, trade.mill.key);
    const work = factoryPage.getByTestId('work').first();
    await work.waitFor({ timeout: UI_TIMEOUT });
    await work.getByRole('button', { name: 'Lots' }).click();
    const form = work.getByRole('form', { name: 'Record lot' });
    await form.getByLabel('Quantity').fill('120');
    const posted = factoryPage.waitForResponse((r) => r.url().endsWith('/lots') && r.request().method() === 'POST');
    await form.getByRole('button', { name: 'Record lot' }).click();
    expect((await posted).status()).toBe(201);
    const lot = work.getByTestId('lot').first();
    await lot.waitFor({ timeout: UI_TIMEOUT });
    const identifier = (await lot.getByRole('link').textContent())!;
    expect(identifier).toMatch(/^CL\/roll\./);
    await browser.screenshot(factoryPage, 'lots-factory-recorded');

    // The factory's own tab opens the chain: its line, by name.
    await lot.getByRole('link').click();
    await factoryPage.getByTestId('chain').waitFor({ timeout: UI_TIMEOUT });
    expect(await factoryPage.getByTestId('chain-line').first().textContent()).toMatch(/^Air-jets /);
    await factoryPage.close();

    // The brand opens its order's lots and walks to the same chain.
    const brandPage = await browser.page();
    await signIn(brandPage, origin, trade.brand.key);
    const row = orderRow(brandPage, trade.orderId);
    await row.waitFor({ timeout: UI_TIMEOUT });
    await row.getByRole('button').first().click();
    await row.getByRole('button', { name: /Lots$/ }).click();
    await row.getByRole('link', { name: identifier }).click();
    await brandPage.getByTestId('chain').waitFor({ timeout: UI_TIMEOUT });
    expect(await brandPage.getByTestId('chain-lot').count()).toBe(1);
    expect(await brandPage.getByTestId('chain-line').first().textContent()).toMatch(/^Air-jets /);
    await brandPage.close();

    // A phone scanning the QR code: a new tab, no session, 390 px wide.
    const phone = await browser.page(PHONE);
    await phone.goto(`${origin}/id/${identifier}`);
    await phone.getByTestId('id-product').waitFor({ timeout: UI_TIMEOUT });
    expect(await phone.getByTestId('id-product').textContent()).toContain('cotton twill fabric, 150 cm wide');
    expect(await phone.getByTestId('chain').count()).toBe(0);
    const overflow = Number(await phone.evaluate('document.documentElement.scrollWidth - document.documentElement.clientWidth'));
    expect(overflow).toBeLessThanOrEqual(0);
    await browser.screenshot(phone, 'lots-phone-public');
    await phone.close();
  });
});
