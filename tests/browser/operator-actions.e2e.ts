import { inDays, OPERATOR_KEY, type TestApp } from '../support/harness';
import { addLine, airJetLine, orderSettled, type OrderBody, signup } from '../support/market';
import { type Browser, browserTestsRun, PHONE, signIn } from './support/browser';
import { closeConsole, type ConsoleApp, openConsole } from './support/console-app';
import { en } from '../../apps/console/src/i18n/en';

const UI_TIMEOUT = 15_000;


/** Factories wait for an operator here, as in production: the operator unblocks the market from the console. */
describe.runIf(browserTestsRun)('operator actions in the console', { timeout: 90_000 }, () => {
  let t: TestApp;
  let browser: Browser;
  let origin: string;

  let app: ConsoleApp | undefined;
  beforeAll(async () => {
    app = await openConsole({ env: { AUTO_VERIFY_FACTORIES: 'false' } });
    ({ t, origin, browser } = app);
  }, 180_000);
  afterAll(() => closeConsole(app));

  it('verifies a waiting factory, re-matches the order that waited for it, and the brand sees it proposed', async () => {
    const factory = await signup(t, { kind: 'factory', name: 'Xiqiao Textile Works', city: 'Foshan', province: 'Guangdong' });
    await addLine(t, factory.key, airJetLine);
    const brand = await signup(t, { kind: 'brand', name: 'Baima Apparel' });
    const posted = await t.request<OrderBody>('POST', '/orders', { key: brand.key, body: { kind: 'fabric', fabric: { fiber: 'cotton', weave: 'plain', widthCm: 160, picksPerCm: 24 }, quantity: 1200, dueDate: inDays(18) } });
    expect(posted.status).toBe(202);
    expect((await orderSettled(t, brand.key, posted.body.id)).status).toBe('unmatched');

    const factoryPage = await browser.page(PHONE);
    await signIn(factoryPage, origin, factory.key);
    await factoryPage.getByText('waiting for an operator to verify it').waitFor({ timeout: UI_TIMEOUT });
    await browser.screenshot(factoryPage, 'factory-waiting-verification-phone');

    const brandPage = await browser.page();
    await signIn(brandPage, origin, brand.key);
    const row = brandPage.locator(`[data-testid="order-row"][data-order-id="${posted.body.id}"]`);
    await row.waitFor({ timeout: UI_TIMEOUT });
    expect(await row.getAttribute('data-status')).toBe('unmatched');
    await row.getByRole('button').first().click();
    await expect.poll(() => row.getByTestId('order-detail').textContent(), { timeout: UI_TIMEOUT }).toContain('Why it is waiting');
    await browser.screenshot(brandPage, 'brand-order-unmatched');

    const operator = await browser.page();
    await signIn(operator, origin, OPERATOR_KEY);
    await operator.getByRole('tab', { name: /Factories/ }).click();
    await operator.getByRole('tab', { name: /waiting for verification/i }).click();
    const card = operator.getByTestId('factory').filter({ hasText: 'Xiqiao Textile Works' });
    await card.waitFor({ timeout: UI_TIMEOUT });
    await browser.screenshot(operator, 'operator-factory-to-verify');
    await card.getByRole('button', { name: 'Verify factory' }).click();
    // Verified factories leave the "waiting" list.
    await expect.poll(() => operator.getByTestId('factory').filter({ hasText: 'Xiqiao Textile Works' }).count(), { timeout: UI_TIMEOUT }).toBe(0);
    const [stored] = await t.sql<{ verified: boolean }>(`SELECT verified FROM organizations WHERE id = $1`, [factory.id]);
    expect(stored!.verified).toBe(true);

    // The market also retries waiting orders by itself (the sweep re-reads capacity), so by now
    // the order may be matched already; if it still waits, the operator does not wait for that.
    await operator.getByRole('tab', { name: /Orders/ }).click();
    const listed = operator.waitForResponse((r) => r.url().includes('/market/orders') && r.url().includes('status=unmatched'));
    await operator.getByLabel('Filter by status').selectOption('unmatched');
    const stillWaiting = ((await (await listed).json()) as { items: { id: string }[] }).items.some((o) => o.id === posted.body.id);
    if (stillWaiting) {
      const rematched = operator.waitForResponse((r) => r.url().endsWith(`/orders/${posted.body.id}/rematch`));
      await operator.locator('[data-testid="op-order"][data-status="unmatched"]').filter({ hasText: 'Baima Apparel' }).getByRole('button', { name: 'Re-match' }).click();
      // 409 only if the background retry won the race between the list and the click.
      expect([202, 409]).toContain((await rematched).status());
    }

    // The brand's page moves on by itself: the match arrives on the live feed.
    await expect.poll(() => row.getAttribute('data-status'), { timeout: UI_TIMEOUT }).toBe('proposed');
    await expect.poll(() => row.getByTestId('allocation').first().textContent(), { timeout: UI_TIMEOUT }).toContain('Xiqiao Textile Works');
    await browser.screenshot(brandPage, 'brand-order-proposed-after-rematch');
    // And the operator's unmatched list empties.
    await expect.poll(() => operator.getByTestId('op-order').count(), { timeout: UI_TIMEOUT }).toBe(0);
    await operator.getByText(en.operator.noOrdersOf.replace('{{status}}', en.domain.status.unmatched)).waitFor({ timeout: UI_TIMEOUT });
  });
});
