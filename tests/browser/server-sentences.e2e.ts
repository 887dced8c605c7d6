import type { Page } from 'playwright-core';
import { SweepHandler } from '@cloudloom/market';
import { inDays, OPERATOR_KEY, type TestApp } from '../support/harness';
import { addLine, airJetLine, orderSettled, signup } from '../support/market';
import { type Browser, browserTestsRun, catalogOf, signInAs } from './support/browser';
import { closeConsole, type ConsoleApp, openConsole } from './support/console-app';

const UI_TIMEOUT = 15_000;
const T = catalogOf('zh-CN');

interface Order {
  id: string;
  status: string;
  allocations: { id: string; factoryId: string }[];
  explanation: { summary: string; reasons?: { code: string; message: string }[] } | null;
  approval?: { reason: string };
}
interface Alert {
  kind: string;
  subject: string;
  summary: string;
  clearedAt: string | null;
}

/** The server's English sentences still anywhere in the page, text or attribute (a tooltip is read too). */
async function englishLeft(page: Page, sentences: readonly string[]): Promise<string[]> {
  const html = String(await page.evaluate('document.body.outerHTML'));
  return sentences.filter((s) => html.includes(s));
}

/**
 * The sentences the server builds (why a price moved, a plan's summary, why an order waits, an
 * alert) are worded by the console from their codes and figures: a Chinese page shows none of
 * the API's English ones.
 */
describe.runIf(browserTestsRun)('server sentences in Chinese', { timeout: 120_000 }, () => {
  let t: TestApp;
  let browser: Browser;
  let origin: string;

  let app: ConsoleApp | undefined;
  beforeAll(async () => {
    app = await openConsole({ env: { ALERT_BOOKED_PERCENT: '80' }, locales: ['zh-CN'] });
    ({ t, origin, browser } = app);
  }, 180_000);
  afterAll(() => closeConsole(app));

  it('words the approval reason, the plan, the reasons an order waits and the alerts from the catalog', async () => {
    // Linen: a cheap mill that says no and a dear one behind it, so the re-plan waits for the brand's approval.
    const cheap = await signup(t, { kind: 'factory', name: 'Cheap Linen Mill' });
    const dear = await signup(t, { kind: 'factory', name: 'Dear Linen Mill' });
    const linen = { ...airJetLine, machineType: 'rapier', fibers: ['linen'] };
    await addLine(t, cheap.key, { ...linen, ratePerUnit: 0.01 });
    await addLine(t, dear.key, { ...linen, ratePerUnit: 0.03 });
    // A cluster booked past 80% this week: a booked alert.
    const keqiao = await signup(t, { kind: 'factory', name: 'Keqiao Weaving', city: 'Shaoxing', province: 'Zhejiang' });
    const line = await addLine(t, keqiao.key, airJetLine);
    const brand = await signup(t, { kind: 'brand', name: 'Liwan Studio' });
    const post = async (body: Record<string, unknown>): Promise<string> => (await t.request<{ id: string }>('POST', '/orders', { key: brand.key, body })).body.id;

    const waitingId = await post({ kind: 'fabric', fabric: { fiber: 'linen', weave: 'plain', widthCm: 150, picksPerCm: 30 }, quantity: 2000, dueDate: inDays(20) });
    const first = await orderSettled(t, brand.key, waitingId);
    expect(first.allocations[0]!.factoryId).toBe(cheap.id);
    expect((await t.request('POST', `/offers/${first.allocations[0]!.id}/reject`, { key: cheap.key, body: { reasonCode: 'PRICE' } })).status).toBe(200);
    expect((await orderSettled(t, brand.key, waitingId, ['pending', 'matching'])).status).toBe('awaiting_approval');
    const bookedId = await post({ kind: 'fabric', fabric: { fiber: 'cotton', weave: 'plain', widthCm: 150, picksPerCm: 25 }, quantity: Math.floor((line.dailyCapacity / 2500) * 1.8), dueDate: inDays(2) });
    expect((await orderSettled(t, brand.key, bookedId)).status).toBe('proposed');
    const stuckId = await post({ kind: 'fabric', fabric: { fiber: 'silk', weave: 'jacquard', widthCm: 320, picksPerCm: 80 }, quantity: 500, dueDate: inDays(10) });
    expect((await orderSettled(t, brand.key, stuckId)).status).toBe('unmatched');
    await t.app.get(SweepHandler).run();

    // What the API says in English, to look for on the pages.
    const order = async (id: string): Promise<Order> => (await t.request<Order>('GET', `/orders/${id}`, { key: brand.key })).body;
    const [waiting, booked, stuck] = [await order(waitingId), await order(bookedId), await order(stuckId)];
    const stuckReasons = (stuck.explanation?.reasons ?? []).map((r) => r.message);
    expect(stuckReasons.length).toBeGreaterThan(0);
    const english = [waiting.approval!.reason, waiting.explanation!.summary, booked.explanation!.summary, stuck.explanation!.summary, ...stuckReasons];
    expect(waiting.approval!.reason).toBe('1 factory declined');

    const page = await browser.page();
    await signInAs(page, origin, brand.key, 'zh-CN');
    const open = async (id: string): Promise<void> => {
      const row = page.locator(`[data-testid="order-row"][data-order-id="${id}"]`);
      await row.waitFor({ timeout: UI_TIMEOUT });
      await row.locator('button.order-summary').click();
      await row.getByTestId('order-detail').waitFor({ timeout: UI_TIMEOUT });
    };
    await open(waitingId);
    expect(await page.getByTestId('approval-reason').textContent()).toBe(T.terms.approval.reason.declined_one.replace('{{count}}', '1'));
    expect(await englishLeft(page, english)).toEqual([]);
    await open(bookedId);
    expect(await page.getByTestId('plan-summary').textContent()).toMatch(/^分配到 1 条产线，合计 ¥[\d,]+。$/);
    expect(await englishLeft(page, english)).toEqual([]);
    await open(stuckId);
    expect(await page.locator(`[data-testid="order-row"][data-order-id="${stuckId}"] .reasons li`).count()).toBe(stuckReasons.length);
    expect(await englishLeft(page, english)).toEqual([]);
    await browser.screenshot(page, 'zh-CN-server-sentences-brand');
    await page.close();

    const alerts = (await t.request<{ items: Alert[] }>('GET', '/alerts', { key: OPERATOR_KEY })).body.items.filter((a) => a.clearedAt === null);
    const hot = alerts.find((a) => a.kind === 'booked' && a.subject === 'Shaoxing, Zhejiang');
    expect(hot?.summary).toContain('booked past 80%');
    const operator = await browser.page();
    await signInAs(operator, origin, OPERATOR_KEY, 'zh-CN');
    await operator.getByRole('tab', { name: new RegExp(`^${T.operator.tabs.orders}`) }).click();
    await operator.locator(`[data-testid="op-order"] [data-code]`).first().waitFor({ timeout: UI_TIMEOUT });
    expect(await englishLeft(operator, english)).toEqual([]);
    await operator.getByRole('tab', { name: T.operator.tabs.radar }).click();
    const cluster = operator.locator('[data-testid="cluster"][data-cluster="Shaoxing, Zhejiang · weaving"]');
    await expect.poll(() => cluster.getByTestId('alert').textContent(), { timeout: UI_TIMEOUT }).toMatch(/^Shaoxing, Zhejiang：未来 7 天中有 \d 天排产超过产能的 80%（最高 \d+%），自 \d{4}-\d{2}-\d{2} 起$/);
    expect(await englishLeft(operator, [...english, ...alerts.map((a) => a.summary)])).toEqual([]);
    await browser.screenshot(operator, 'zh-CN-server-sentences-radar');
    await operator.close();
  });
});
