import { inDays, OPERATOR_KEY, type TestApp } from '../support/harness';
import { addLine, airJetLine, orderSettled, signup } from '../support/market';
import type { Page } from 'playwright-core';
import { type Browser, browserTestsRun, signIn } from './support/browser';
import { closeConsole, type ConsoleApp, openConsole } from './support/console-app';

const UI_TIMEOUT = 15_000;

/**
 * Issue 16 in the console, in Chinese (the switch on the page, as a person would): a brand answers
 * a new price with one button and reads why a factory said no; an operator sees the reasons
 * summed; a mill prices a new line against the market's band and is asked before saving a rate
 * far outside it.
 */
async function signInChinese(page: Page, origin: string, key: string): Promise<void> {
  // The choice is kept in the profile's localStorage, which this file's pages share: each page
  // signs in on the English page the helper knows, then switches.
  await page.addInitScript({ content: `localStorage.setItem('cloudloom.language', 'en')` });
  await signIn(page, origin, key);
  await page.getByTestId('lang-zh-CN').click();
  await expect.poll(() => page.locator('html').getAttribute('lang')).toBe('zh-CN');
}

describe.runIf(browserTestsRun)('the console: agreed terms and market rates', { timeout: 120_000 }, () => {
  let app: ConsoleApp | undefined;
  let t: TestApp;
  let browser: Browser;
  let origin: string;

  beforeAll(async () => {
    app = await openConsole();
    ({ t, origin, browser } = app);
  }, 180_000);
  afterAll(() => closeConsole(app));

  it('shows a brand the new price, date and reason, approves it with one button, and shows why the factory said no', async () => {
    // Linen on rapiers, only here: a cheap mill that says no, and a dearer one behind it.
    const cheap = await signup(t, { kind: 'factory', name: 'Cheap Linen Mill' });
    const dear = await signup(t, { kind: 'factory', name: 'Dear Linen Mill' });
    const line = { ...airJetLine, machineType: 'rapier', fibers: ['linen'] };
    await addLine(t, cheap.key, { ...line, ratePerUnit: 0.01 });
    const dearLine = await addLine(t, dear.key, { ...line, ratePerUnit: 0.03 });
    const brand = await signup(t, { kind: 'brand', name: 'Linen Studio' });
    // 2,000 m at 30 picks/cm: CNY 60 (0.03 a meter) on the cheap line, CNY 180 (0.09 a meter) on the dear one.
    const body = { kind: 'fabric', fabric: { fiber: 'linen', weave: 'plain', widthCm: 150, picksPerCm: 30 }, quantity: 2000, dueDate: inDays(20) };
    const posted = await t.request<{ id: string }>('POST', '/orders', { key: brand.key, body });
    const first = await orderSettled(t, brand.key, posted.body.id);
    const offer = first.allocations[0]!;
    expect(offer.factoryId).toBe(cheap.id);
    const no = await t.request('POST', `/offers/${offer.id}/reject`, { key: cheap.key, body: { reasonCode: 'PRICE', note: 'linen yarn went up 8% this week' } });
    expect(no.status).toBe(200);
    expect((await orderSettled(t, brand.key, posted.body.id, ['pending', 'matching'])).status).toBe('awaiting_approval');

    const page = await browser.page();
    await signInChinese(page, origin, brand.key);
    const row = page.locator(`[data-testid="order-row"][data-order-id="${posted.body.id}"]`);
    await row.waitFor({ timeout: UI_TIMEOUT });
    await row.locator('.order-summary').click();
    const approval = row.getByTestId('approval');
    await approval.waitFor({ timeout: UI_TIMEOUT });
    expect(await approval.getByTestId('approval-agreed').textContent()).toBe('¥60 · ¥0.030/米');
    expect(await approval.getByTestId('approval-price').textContent()).toContain('¥180 · ¥0.090/米');
    expect(await approval.getByTestId('approval-price').textContent()).toContain('上涨 200%');
    expect(await approval.getByTestId('approval-reason').textContent()).toBe('1 家工厂拒单');
    expect(await approval.getByTestId('approval-until').textContent()).toMatch(/^\d{4}-\d{2}-\d{2} \d{2}:\d{2}/);
    // The factory's no, as a sentence with its note, on the same page.
    const reason = row.getByTestId('reject-reason');
    expect(await reason.getAttribute('data-code')).toBe('PRICE');
    expect(await reason.textContent()).toContain('价格太低');
    expect(await reason.textContent()).toContain('备注：linen yarn went up 8% this week');
    await browser.screenshot(page, 'brand-price-approval');

    await approval.getByRole('button', { name: '同意新价格' }).click();
    await expect.poll(() => row.getAttribute('data-status'), { timeout: UI_TIMEOUT }).toBe('proposed');
    expect(await row.getByTestId('approval').count()).toBe(0);
    const approved = (await t.request<{ agreedPrice: number; allocations: { lineId: string; status: string; pricePerUnit: number }[] }>('GET', `/orders/${posted.body.id}`, { key: brand.key })).body;
    expect(approved.agreedPrice).toBe(180);
    expect(approved.allocations.find((a) => a.status === 'offered')).toMatchObject({ lineId: dearLine.id, pricePerUnit: 0.09 });
    // The price per unit sits beside the total in the allocations table.
    await expect.poll(() => row.getByTestId('allocation-price').last().textContent(), { timeout: UI_TIMEOUT }).toContain('¥0.090/米 · 仅加工费');
    await page.close();

    // The operator sees the no counted against the mill and its code.
    const operator = await browser.page();
    await signInChinese(operator, origin, OPERATOR_KEY);
    await operator.getByRole('tab', { name: '工厂与负荷' }).click();
    const sums = operator.getByTestId('reject-reason-sums');
    await sums.waitFor({ timeout: UI_TIMEOUT });
    expect(await sums.locator('tr[data-code="PRICE"]').filter({ hasText: 'Cheap Linen Mill' }).textContent()).toMatch(/价格太低\s*1$/);
    await operator.close();
  });

  it('starts a new line from the market median in its city, shows the band, and asks before saving a rate far outside it', async () => {
    // Five air-jet lines in Shaoxing at 0.15 … 0.19: median 0.17, band 0.16–0.18.
    const rates = [0.15, 0.16, 0.17, 0.18, 0.19];
    for (const [i, rate] of rates.entries()) {
      const mill = await signup(t, { kind: 'factory', name: `Keqiao Air-jet ${i}`, city: 'Shaoxing' });
      await addLine(t, mill.key, { ...airJetLine, ratePerUnit: rate });
    }
    const mill = await signup(t, { kind: 'factory', name: 'Keqiao New Weaving', city: 'Shaoxing' });
    const page = await browser.page();
    await signInChinese(page, origin, mill.key);
    await page.getByText('暂无产线').waitFor({ timeout: UI_TIMEOUT });
    await page.getByRole('button', { name: '添加产线' }).click();
    const form = page.getByRole('form', { name: '新建产线' });
    const band = form.getByTestId('market-band');
    await expect.poll(() => band.textContent(), { timeout: UI_TIMEOUT }).toContain('5 条同类产线 · Shaoxing');
    expect(await band.textContent()).toContain('P25 ¥0.16 · 中位数 ¥0.17 · P75 ¥0.18');
    const rate = form.getByLabel('单价（元/千纬）');
    expect(await rate.inputValue()).toBe('0.17');
    await browser.screenshot(page, 'factory-line-market-band');

    await form.getByLabel('名称', { exact: true }).fill('Hall B air-jets');
    await form.getByLabel('织机台数', { exact: true }).fill('32');
    // The old default, a tenth of the market: flagged at the field, and a question before saving.
    await rate.fill('0.012');
    await form.getByTestId('rate-far').waitFor({ timeout: UI_TIMEOUT });
    const asked: string[] = [];
    page.once('dialog', (dialog) => {
      asked.push(dialog.message());
      void dialog.dismiss();
    });
    await form.getByRole('button', { name: '添加产线' }).click();
    await expect.poll(() => asked.length, { timeout: UI_TIMEOUT }).toBe(1);
    expect(asked[0]).toBe('费率 ¥0.012 远离市场区间（¥0.1275–¥0.2125）。确定按此价保存？');
    const count = async (): Promise<number> => (await t.sql<{ n: number }>(`SELECT count(*)::int AS n FROM lines WHERE factory_id = $1`, [mill.id]))[0]!.n;
    expect(await count()).toBe(0);

    // Confirmed: saved at the mill's own rate.
    page.once('dialog', (dialog) => void dialog.accept());
    await form.getByRole('button', { name: '添加产线' }).click();
    await page.getByTestId('line').filter({ hasText: 'Hall B air-jets' }).waitFor({ timeout: UI_TIMEOUT });
    const [saved] = await t.sql<{ rate: string; covers: string }>(`SELECT rate_per_unit::text AS rate, price_covers AS covers FROM lines WHERE factory_id = $1`, [mill.id]);
    expect(saved).toEqual({ rate: '0.012', covers: 'processing' });
    await page.close();
  });
});
