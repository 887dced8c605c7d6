import { inDays, OPERATOR_KEY, type TestApp } from '../support/harness';
import { addLine, airJetLine, type OrderBody, signup } from '../support/market';
import { settledOrder as orderSettled } from '../security/support/world';
import { type Browser, browserTestsRun, PHONE, signIn } from './support/browser';
import { closeConsole, type ConsoleApp, openConsole } from './support/console-app';
import { en } from '../../apps/console/src/i18n/en';

/** The console's English words (the browser asks for en-GB), with their {{values}} filled in. */
const say = (text: string, values: Record<string, string | number> = {}): string => text.replace(/\{\{(\w+)\}\}/g, (_, k: string) => String(values[k]));
const L = en.lists;

const UI_TIMEOUT = 15_000;

const twill = (due: number): Record<string, unknown> => ({ kind: 'fabric', fabric: { fiber: 'cotton', weave: 'twill', widthCm: 150, picksPerCm: 30 }, quantity: 300, dueDate: inDays(due) });
/** No line of this market sews: garment orders stay unmatched. */
const tshirts = (due: number): Record<string, unknown> => ({ kind: 'garment', garment: { category: 'tshirt', fabricType: 'knit', samMinutes: 12 }, quantity: 200, dueDate: inDays(due) });

/** The brand's and the operator's order lists in the console: search, filters, pages, groups, history. */
describe.runIf(browserTestsRun)('order lists in the console', { timeout: 120_000 }, () => {
  let app: ConsoleApp | undefined;
  let t: TestApp;
  let browser: Browser;
  let origin: string;
  let brand: { id: string; key: string };
  const posted: OrderBody[] = [];

  beforeAll(async () => {
    app = await openConsole();
    ({ t, origin, browser } = app);
    const factory = await signup(t, { kind: 'factory', name: 'Keqiao Weaving', city: 'Shaoxing' });
    await addLine(t, factory.key, airJetLine);
    brand = await signup(t, { kind: 'brand', name: 'Canton Studio' });
    // 22 twill orders and 3 t-shirt orders: more than one page of 20.
    for (const body of [...Array.from({ length: 22 }, (_, i) => twill(20 + i)), tshirts(30), tshirts(31), tshirts(32)]) {
      const res = await t.request<OrderBody>('POST', '/orders', { key: brand.key, body });
      expect(res.status).toBe(202);
      posted.push(res.body);
    }
    for (const o of posted) await orderSettled(t, brand.key, o.id);
  }, 240_000);
  afterAll(() => closeConsole(app));

  it('lets a brand page through its orders, search them and filter them, on a phone', async () => {
    const page = await browser.page(PHONE);
    await signIn(page, origin, brand.key);
    const rows = page.getByTestId('order-row');
    await expect.poll(() => rows.count(), { timeout: UI_TIMEOUT }).toBe(20);
    await expect.poll(() => page.getByTestId('page-of').textContent(), { timeout: UI_TIMEOUT }).toContain(say(L.pageOf, { page: 1, pages: 2, total: 25 }));
    await page.getByRole('button', { name: L.next }).click();
    await expect.poll(() => rows.count(), { timeout: UI_TIMEOUT }).toBe(5);
    // The oldest order is on the last page of the newest-first list.
    expect(await page.locator(`[data-testid="order-row"][data-order-id="${posted[0]!.id}"]`).count()).toBe(1);

    await page.getByRole('searchbox', { name: L.search }).fill('tshirt');
    await expect.poll(() => rows.count(), { timeout: UI_TIMEOUT }).toBe(3);
    expect(await page.getByTestId('page-of').count()).toBe(0);
    await page.getByLabel(L.status).selectOption({ label: en.brand.filter.active });
    await page.getByText(en.brand.noneInView).waitFor({ timeout: UI_TIMEOUT });
    await page.getByLabel(L.status).selectOption({ label: en.brand.filter.unmatched });
    await expect.poll(() => rows.count(), { timeout: UI_TIMEOUT }).toBe(3);
    await page.getByLabel(L.sort).selectOption({ label: L.sorts.due });
    await expect.poll(() => rows.first().getAttribute('data-order-id'), { timeout: UI_TIMEOUT }).toBe(posted[22]!.id);
    // The search bar and the pager wrap within the phone's width (the page's other parts are the layout's own work).
    const parts = await page.locator('.order-search, .order-search label, .order-search button').all();
    expect(parts.length).toBeGreaterThan(5);
    for (const part of parts) {
      const box = await part.boundingBox();
      if (box) expect(box.x + box.width).toBeLessThanOrEqual(PHONE.width);
    }
    await browser.screenshot(page, 'brand-order-search-phone');

    // An order's page shows its history.
    const row = rows.first();
    await row.getByRole('button').first().click();
    await row.getByRole('button', { name: L.history.open }).click();
    await expect.poll(() => row.getByTestId('order-history').textContent(), { timeout: UI_TIMEOUT }).toContain('order.posted');
  });

  it('shows the operator the unmatched orders grouped by reason, lists a group and opens an order', async () => {
    const page = await browser.page();
    await signIn(page, origin, OPERATOR_KEY);
    await page.getByRole('tab', { name: /Orders/ }).click();
    const groups = page.getByTestId('unmatched-groups').getByRole('button');
    await expect.poll(() => groups.count(), { timeout: UI_TIMEOUT }).toBeGreaterThan(0);
    await expect.poll(() => groups.first().getByTestId('group-count').textContent(), { timeout: UI_TIMEOUT }).toBe(say(L.unmatched.orders, { count: 3 }));
    await groups.first().click();
    const rows = page.getByTestId('op-order');
    await expect.poll(() => rows.count(), { timeout: UI_TIMEOUT }).toBe(3);
    expect(await page.locator('[data-testid="op-order"][data-status="unmatched"]').count()).toBe(3);
    await rows.first().getByRole('button', { name: L.history.open }).click();
    await expect.poll(() => rows.first().getByTestId('order-history').textContent(), { timeout: UI_TIMEOUT }).toContain('order.unmatched');
    await browser.screenshot(page, 'operator-unmatched-groups');

    // Searching by the brand's name finds all 25 over two pages.
    await groups.first().click();
    await page.getByRole('searchbox', { name: L.search }).fill('canton');
    await expect.poll(() => page.getByTestId('page-of').textContent(), { timeout: UI_TIMEOUT }).toContain(say(L.pageOf, { page: 1, pages: 2, total: 25 }));
  });
});
