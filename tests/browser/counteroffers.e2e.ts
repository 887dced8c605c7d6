import type { Page } from 'playwright-core';
import { inDays, type TestApp } from '../support/harness';
import { addLine, airJetLine, orderSettled, type OrderBody, signup } from '../support/market';
import { type Browser, browserTestsRun, signIn } from './support/browser';
import { closeConsole, type ConsoleApp, openConsole } from './support/console-app';

const UI_TIMEOUT = 15_000;

/** The brand's order, opened to its detail. */
async function openOrder(page: Page, id: string) {
  const row = page.locator(`[data-testid="order-row"][data-order-id="${id}"]`);
  await row.waitFor({ timeout: UI_TIMEOUT });
  if ((await row.getByTestId('order-detail').count()) === 0) await row.click();
  await row.getByTestId('order-detail').waitFor({ timeout: UI_TIMEOUT });
  return row;
}

describe.runIf(browserTestsRun)('counteroffers and messages in the console', { timeout: 90_000 }, () => {
  let app: ConsoleApp | undefined;
  let t: TestApp;
  let browser: Browser;
  let origin: string;

  beforeAll(async () => {
    app = await openConsole();
    ({ t, origin, browser } = app);
  }, 180_000);
  afterAll(() => closeConsole(app));

  it('lets a mill counter an offer and write to the brand, and the brand accept the counter on its order', async () => {
    const mill = await signup(t, { kind: 'factory', name: 'Shaxi Linen Mill', city: 'Zhongshan', province: 'Guangdong' });
    await addLine(t, mill.key, { ...airJetLine, machineType: 'rapier', fibers: ['linen'], ratePerUnit: 0.01, name: 'Rapier hall' });
    const brand = await signup(t, { kind: 'brand', name: 'Yuexiu Linen Studio' });
    const posted = await t.request<OrderBody>('POST', '/orders', { key: brand.key, body: { kind: 'fabric', fabric: { fiber: 'linen', weave: 'plain', widthCm: 150, picksPerCm: 30 }, quantity: 2000, dueDate: inDays(20) } });
    const offerId = (await orderSettled(t, brand.key, posted.body.id)).allocations[0]!.id;

    const millPage = await browser.page();
    await signIn(millPage, origin, mill.key);
    const offer = millPage.locator(`[data-testid="offer"][data-offer-id="${offerId}"]`);
    await offer.waitFor({ timeout: UI_TIMEOUT });
    await offer.getByRole('button', { name: 'Counter…' }).click();
    await offer.getByLabel('Your price, CNY for this offer').fill('75');
    await offer.getByLabel('Why').fill('纱线涨价');
    await offer.getByRole('button', { name: 'Send counter' }).click();
    await expect.poll(() => offer.getByTestId('counter').textContent(), { timeout: UI_TIMEOUT }).toContain('¥75');
    await offer.getByRole('button', { name: 'Messages' }).click();
    await offer.getByLabel('Message').fill('亚麻纱本月涨价，请见谅');
    await offer.getByRole('button', { name: 'Send', exact: true }).click();
    await expect.poll(() => offer.getByTestId('conversation').textContent(), { timeout: UI_TIMEOUT }).toContain('亚麻纱本月涨价');
    await browser.screenshot(millPage, 'factory-counter-sent');

    const brandPage = await browser.page();
    await signIn(brandPage, origin, brand.key);
    const row = await openOrder(brandPage, posted.body.id);
    const counter = row.getByTestId('counter');
    await expect.poll(() => counter.textContent(), { timeout: UI_TIMEOUT }).toContain('纱线涨价');
    await row.getByRole('button', { name: 'Messages' }).click();
    await expect.poll(() => row.getByTestId('conversation').textContent(), { timeout: UI_TIMEOUT }).toContain('亚麻纱本月涨价');
    await browser.screenshot(brandPage, 'brand-counter-waiting');
    await row.getByRole('button', { name: 'Accept counter' }).click();
    await expect.poll(() => row.getByTestId('counter').getAttribute('data-status'), { timeout: UI_TIMEOUT }).toBe('accepted');
    const [stored] = await t.sql<{ status: string; price: string }>(`SELECT status, price::text AS price FROM allocations WHERE id = $1`, [offerId]);
    expect(stored).toEqual({ status: 'accepted', price: '75' });
    await millPage.close();
    await brandPage.close();
  });
});
