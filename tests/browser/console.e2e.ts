import type { Page } from 'playwright-core';
import { inDays, OPERATOR_KEY, type TestApp } from '../support/harness';
import { addLine, airJetLine, orderSettled, type OrderBody, signup } from '../support/market';
import { type Browser, browserTestsRun, PHONE, signIn } from './support/browser';
import { closeConsole, type ConsoleApp, openConsole } from './support/console-app';

const UI_TIMEOUT = 15_000;

/** The order row in the brand's list, by id. */
const orderRow = (page: Page, id: string) => page.locator(`[data-testid="order-row"][data-order-id="${id}"]`);

async function postOrderThroughForm(page: Page, quantity: number): Promise<string> {
  const form = page.getByRole('form', { name: 'New order' });
  await form.getByLabel('Fibre').selectOption('cotton');
  await form.getByLabel('Weave').selectOption('twill');
  await form.getByLabel('Width (cm)').fill('150');
  await form.getByLabel('Picks per cm').fill('30');
  await form.getByLabel('Quantity (meters)').fill(String(quantity));
  await form.getByLabel('Due date').fill(inDays(20));
  const posted = page.waitForResponse((r) => r.url().endsWith('/api/v1/orders') && r.request().method() === 'POST');
  await form.getByRole('button', { name: 'Post order' }).click();
  const response = await posted;
  expect(response.status()).toBe(202);
  return ((await response.json()) as { id: string }).id;
}

// Several pages and live updates per scenario: a busy machine needs more than the default 30 s.
describe.runIf(browserTestsRun)('the console in a browser', { timeout: 90_000 }, () => {
  let t: TestApp;
  let browser: Browser;
  let origin: string;

  let app: ConsoleApp | undefined;
  beforeAll(async () => {
    app = await openConsole();
    ({ t, origin, browser } = app);
  }, 180_000);
  afterAll(() => closeConsole(app));

  it('serves the console at / and its own paths, but leaves the API alone', async () => {
    const home = await fetch(`${origin}/`);
    expect(home.status).toBe(200);
    expect(await home.text()).toContain('<div id="root">');
    expect((await fetch(`${origin}/orders/some-deep-link`)).status).toBe(200);
    const api = await fetch(`${origin}/api/v1/no-such-route`);
    expect(api.status).toBe(404);
    expect(api.headers.get('content-type')).toContain('application/problem+json');
  });

  it('shows a problem when the key is wrong, and the empty states of a new brand', async () => {
    const page = await browser.page();
    await page.goto(origin);
    await page.getByLabel('API key').fill('clk_this_is_not_a_key');
    await page.getByRole('button', { name: 'Sign in' }).click();
    await expect.poll(() => page.getByRole('alert').textContent(), { timeout: UI_TIMEOUT }).toContain('Please sign in again');
    expect(await page.getByRole('alert').textContent()).toContain('That key was not accepted');
    await browser.screenshot(page, 'signin-wrong-key');

    // A new brand signs up in the page, is shown its key once, and lands in its empty console.
    await page.getByRole('tab', { name: 'New organization' }).click();
    await page.getByLabel('Name').fill('Empty Brand');
    await page.getByLabel('City').fill('Foshan');
    await page.getByRole('button', { name: 'Create brand' }).click();
    const shown = page.getByTestId('new-key');
    await shown.waitFor({ timeout: UI_TIMEOUT });
    const key = (await shown.locator('code.key').textContent())!;
    expect(key).toMatch(/^clk_/);
    await browser.screenshot(page, 'signup-key-shown-once');
    await page.getByRole('button', { name: 'Continue to the console' }).click();
    await page.getByText('No orders yet').waitFor({ timeout: UI_TIMEOUT });
    expect(await page.getByTestId('org-name').textContent()).toBe('Empty Brand');
    const me = await t.request<{ kind: string; city: string }>('GET', '/me', { key });
    expect(me.body).toMatchObject({ kind: 'brand', city: 'Foshan' });
    // A width no loom has: the API's problem document names the field, and the form shows it there.
    const form = page.getByRole('form', { name: 'New order' });
    await form.getByLabel('Width (cm)').fill('1500');
    await form.getByLabel('Quantity (meters)').fill('100');
    await form.getByRole('button', { name: 'Post order' }).click();
    await expect.poll(() => form.locator('.has-error .field-error').allTextContents(), { timeout: UI_TIMEOUT }).toEqual([expect.stringContaining('400')]);
    expect(await page.locator('[data-testid="order-row"]').count()).toBe(0);
    await browser.screenshot(page, 'brand-empty-and-field-error');
    await page.close();
  });

  it('lets an operator watch a new match appear live after a brand posts an order in another page', async () => {
    const factory = await signup(t, { kind: 'factory', name: 'Keqiao Weaving No. 3', city: 'Shaoxing', province: 'Zhejiang' });
    await addLine(t, factory.key, airJetLine);
    const brand = await signup(t, { kind: 'brand', name: 'Canton Studio', city: 'Guangzhou' });

    const operator = await browser.page();
    await signIn(operator, origin, OPERATOR_KEY);
    await operator.getByTestId('feed-state').getByText('live').waitFor({ timeout: UI_TIMEOUT });
    await operator.getByTestId('kpis').waitFor();
    const matchesBefore = await operator.getByTestId('match').count();
    // Marks this document: if the page reloaded, the mark would be gone.
    await operator.evaluate(() => ((globalThis as unknown as { __sameDocument: boolean }).__sameDocument = true));
    await browser.screenshot(operator, 'operator-live-before');

    const brandPage = await browser.page();
    await signIn(brandPage, origin, brand.key);
    const orderId = await postOrderThroughForm(brandPage, 2400);

    const match = operator.locator(`[data-testid="match"][data-order-id="${orderId}"]`);
    await match.waitFor({ timeout: UI_TIMEOUT });
    expect(await match.textContent()).toContain('Canton Studio');
    expect(await match.textContent()).toContain('Keqiao Weaving No. 3');
    expect(await operator.getByTestId('match').count()).toBe(matchesBefore + 1);
    expect(await operator.evaluate(() => (globalThis as unknown as { __sameDocument?: boolean }).__sameDocument)).toBe(true);
    await expect.poll(() => operator.getByTestId('events').textContent(), { timeout: UI_TIMEOUT }).toContain('order.matched');
    await browser.screenshot(operator, 'operator-live-after-match');

    // The queue board opens in a new tab, signed in by a cookie the console got for the key.
    const [board] = await Promise.all([browser.context.waitForEvent('page'), operator.getByRole('button', { name: /Queue board/ }).click()]);
    await board.waitForURL(/\/admin\/queues/, { timeout: UI_TIMEOUT });
    await board.getByText('matching', { exact: true }).first().waitFor({ timeout: UI_TIMEOUT });
    await browser.screenshot(board, 'queue-board');
    await board.close();

    // An order no loom can make waits as unmatched; the operator sees why and can re-match it.
    const stuck = await t.request<{ id: string }>('POST', '/orders', { key: brand.key, body: { kind: 'fabric', fabric: { fiber: 'silk', weave: 'jacquard', widthCm: 320, picksPerCm: 80 }, quantity: 500, dueDate: inDays(10) } });
    expect((await orderSettled(t, brand.key, stuck.body.id)).status).toBe('unmatched');
    await operator.getByRole('tab', { name: /Orders/ }).click();
    await operator.getByLabel('Filter by status').selectOption('unmatched');
    const unmatched = operator.getByTestId('op-order');
    await expect.poll(() => unmatched.count(), { timeout: UI_TIMEOUT }).toBe(1);
    expect(await unmatched.first().getAttribute('data-status')).toBe('unmatched');
    expect(await unmatched.first().textContent()).toContain('Canton Studio');
    // The reason is a sentence; its code stays on the element for tools and tests.
    expect(await unmatched.first().locator('[data-code]').first().getAttribute('data-code')).toMatch(/^[A-Z_]{6,}$/);
    expect(await unmatched.first().locator('[data-code]').first().textContent()).toMatch(/^[A-Z][a-z].*\.$/);
    const rematched = operator.waitForResponse((r) => r.url().endsWith(`/orders/${stuck.body.id}/rematch`));
    await unmatched.first().getByRole('button', { name: 'Re-match' }).click();
    expect((await rematched).status()).toBe(202);
    await browser.screenshot(operator, 'operator-orders-unmatched');

    await operator.getByRole('tab', { name: /Factories/ }).click();
    await operator.getByTestId('factory').first().waitFor({ timeout: UI_TIMEOUT });
    await browser.screenshot(operator, 'operator-factories');
    await operator.setViewportSize(PHONE);
    await operator.getByRole('tab', { name: 'Live market' }).click();
    await operator.getByTestId('kpis').waitFor();
    await browser.screenshot(operator, 'operator-live-phone');
    await operator.close();
    await brandPage.close();
  });

  it('lets a brand post an order through the form and see it proposed', async () => {
    const mill = await signup(t, { kind: 'factory', name: 'Xintang Denim Mill', city: 'Guangzhou', province: 'Guangdong' });
    await addLine(t, mill.key, { ...airJetLine, name: 'Hall D air-jets' });
    const brand = await signup(t, { kind: 'brand', name: 'Haizhu Basics' });
    const page = await browser.page();
    await signIn(page, origin, brand.key);
    const orderId = await postOrderThroughForm(page, 1800);
    const row = orderRow(page, orderId);
    await row.waitFor({ timeout: UI_TIMEOUT });
    // The brand does nothing more: the match arrives through the live feed.
    await expect.poll(() => row.getAttribute('data-status'), { timeout: UI_TIMEOUT }).toBe('proposed');
    expect(await row.getByTestId('allocation').count()).toBe(1);
    expect(await row.getByTestId('allocation').first().getAttribute('data-status')).toBe('offered');
    expect(await row.getByTestId('order-detail').textContent()).toContain('Planned on 1 line(s)');
    const [stored] = await t.sql<{ status: string; quantity: number }>(`SELECT status, quantity FROM orders WHERE id = $1`, [orderId]);
    expect(stored).toEqual({ status: 'proposed', quantity: 1800 });
    await browser.screenshot(page, 'brand-order-proposed');
    await page.setViewportSize(PHONE);
    await browser.screenshot(page, 'brand-order-proposed-phone');

    // Changing its mind: the brand cancels, confirms the prompt, and the held capacity is released.
    page.once('dialog', (dialog) => void dialog.accept());
    await row.getByRole('button', { name: 'Cancel order' }).click();
    await expect.poll(() => row.getAttribute('data-status'), { timeout: UI_TIMEOUT }).toBe('cancelled');
    const [held] = await t.sql<{ units: string | null }>(`SELECT sum(d.units)::text AS units FROM allocation_days d JOIN allocations a ON a.id = d.allocation_id WHERE a.order_id = $1 AND a.status NOT IN ('cancelled', 'rejected', 'expired')`, [orderId]);
    expect(held!.units).toBeNull();
    expect(await row.getByRole('button', { name: 'Cancel order' }).count()).toBe(0);
    await page.close();
  });

  it('lets a factory publish a line and close it for a day, and a brand get an instant quote before posting', async () => {
    const factory = await signup(t, { kind: 'factory', name: 'Changxing Rapier Mill', city: 'Huzhou', province: 'Zhejiang' });
    const page = await browser.page();
    await signIn(page, origin, factory.key);
    await page.getByText('No lines yet').waitFor({ timeout: UI_TIMEOUT });
    await page.getByRole('button', { name: 'Add line' }).click();
    const form = page.getByRole('form', { name: 'New line' });
    await form.getByLabel('Name', { exact: true }).fill('Hall C rapiers');
    await form.getByLabel('Machine type').selectOption('rapier');
    await form.getByLabel('Looms', { exact: true }).fill('24');
    await form.getByLabel('Speed (rpm)').fill('450');
    await form.getByLabel('Max width (cm)').fill('360');
    // No rapier lines on this market yet: no band to start from, so the mill types its rate.
    await form.getByLabel('Rate (CNY per 1,000 picks)').fill('0.15');
    await form.getByText('wool', { exact: true }).click();
    await form.getByText('linen', { exact: true }).click();
    await form.getByRole('button', { name: 'Add line' }).click();
    const row = page.getByTestId('line').filter({ hasText: 'Hall C rapiers' });
    await row.waitFor({ timeout: UI_TIMEOUT });
    const [line] = await t.sql<{ id: string; spec: { machineType: string; machines: number; fibers: string[] } }>(`SELECT id, spec FROM lines WHERE factory_id = $1`, [factory.id]);
    expect(line!.spec).toMatchObject({ machineType: 'rapier', machines: 24, fibers: ['wool', 'linen'] });

    const tomorrow = inDays(1);
    await row.getByRole('button', { name: 'Edit' }).click();
    const availability = page.getByRole('form', { name: 'Availability' });
    await availability.getByLabel('From').fill(tomorrow);
    await availability.getByLabel('To (included)').fill(tomorrow);
    await availability.getByLabel('Capacity those days').selectOption('0');
    await availability.getByRole('button', { name: 'Set availability' }).click();
    await expect.poll(() => page.getByRole('status').textContent(), { timeout: UI_TIMEOUT }).toContain('1 day(s) set to 0% of capacity');
    const [closed] = await t.sql<{ capacity: string }>(`SELECT capacity::text FROM capacity_days WHERE line_id = $1 AND day = $2`, [line!.id, tomorrow]);
    expect(closed!.capacity).toBe('0');
    await browser.screenshot(page, 'factory-line-editor');

    const brand = await signup(t, { kind: 'brand', name: 'Shisanhang Wool' });
    const brandPage = await browser.page();
    await signIn(brandPage, origin, brand.key);
    const order = brandPage.getByRole('form', { name: 'New order' });
    await order.getByLabel('Fibre').selectOption('wool');
    await order.getByLabel('Weave').selectOption('twill');
    await order.getByLabel('Width (cm)').fill('300');
    await order.getByLabel('Picks per cm').fill('22');
    await order.getByLabel('Quantity (meters)').fill('400');
    await order.getByRole('button', { name: 'Get instant quote' }).click();
    const quote = brandPage.getByTestId('quote');
    await quote.waitFor({ timeout: UI_TIMEOUT });
    expect(await quote.textContent()).toMatch(/Instant quote.*price.*¥[\d,]+.*ready by.*\d{4}-\d{2}-\d{2}.*1 line\(s\), 1 factory\(ies\)/);
    // A quote reserves nothing and stores no order.
    expect(await t.sql(`SELECT id FROM orders WHERE brand_id = $1`, [brand.id])).toEqual([]);
    await browser.screenshot(brandPage, 'brand-instant-quote');
    await page.close();
    await brandPage.close();
  });

  it('lets a factory reject an offer with a reason; the offer leaves its page', async () => {
    const factory = await signup(t, { kind: 'factory', name: 'Humen Knitwear', city: 'Dongguan', province: 'Guangdong' });
    await addLine(t, factory.key, { kind: 'sewing', name: 'Line 5 sportswear', operators: 24, categories: ['sportswear'], fabricTypes: ['knit'], ratePerUnit: 0.8 });
    const brand = await signup(t, { kind: 'brand', name: 'Zhongshan Sportswear Co' });
    const posted = await t.request<OrderBody>('POST', '/orders', { key: brand.key, body: { kind: 'garment', garment: { category: 'sportswear', fabricType: 'knit', samMinutes: 15 }, quantity: 600, dueDate: inDays(20) } });
    const proposed = await orderSettled(t, brand.key, posted.body.id);
    expect(proposed.status).toBe('proposed');
    const offerId = proposed.allocations[0]!.id;

    const page = await browser.page(PHONE);
    await signIn(page, origin, factory.key);
    const offer = page.locator(`[data-testid="offer"][data-offer-id="${offerId}"]`);
    await offer.waitFor({ timeout: UI_TIMEOUT });
    await offer.getByRole('button', { name: 'Reject…' }).click();
    await offer.getByLabel('Why not?').selectOption('NO_CAPACITY');
    await offer.getByLabel('Note (optional)').fill('sportswear line booked for a repeat order');
    await browser.screenshot(page, 'factory-reject-phone');
    await offer.getByRole('button', { name: 'Reject', exact: true }).click();
    await expect.poll(() => offer.count(), { timeout: UI_TIMEOUT }).toBe(0);
    await page.getByText('No open offers').waitFor({ timeout: UI_TIMEOUT });
    const [stored] = await t.sql<{ status: string }>(`SELECT status FROM allocations WHERE id = $1`, [offerId]);
    expect(stored!.status).toBe('rejected');
    const [event] = await t.sql<{ reason: string; code: string }>(`SELECT payload->>'reason' AS reason, payload->>'reasonCode' AS code FROM events WHERE type = 'offer.rejected' AND order_id = $1`, [posted.body.id]);
    expect(event).toEqual({ reason: 'sportswear line booked for a repeat order', code: 'NO_CAPACITY' });
    await page.close();
  });

  it('lets a factory accept the offer, and the brand\'s page shows the order confirmed', async () => {
    const factory = await signup(t, { kind: 'factory', name: 'Panyu Garment Works', city: 'Guangzhou', province: 'Guangdong' });
    await addLine(t, factory.key, { kind: 'sewing', name: 'Line 2 knits', operators: 30, categories: ['tshirt', 'polo'], fabricTypes: ['knit'], ratePerUnit: 0.9 });
    const brand = await signup(t, { kind: 'brand', name: 'Liwan Tees' });
    const posted = await t.request<OrderBody>('POST', '/orders', { key: brand.key, body: { kind: 'garment', garment: { category: 'tshirt', fabricType: 'knit', samMinutes: 12 }, quantity: 1500, dueDate: inDays(25) } });
    expect(posted.status).toBe(202);
    const proposed = await orderSettled(t, brand.key, posted.body.id);
    expect(proposed.status).toBe('proposed');
    expect(proposed.allocations[0]!.factoryId).toBe(factory.id);

    const brandPage = await browser.page();
    await signIn(brandPage, origin, brand.key);
    const row = orderRow(brandPage, posted.body.id);
    await row.waitFor({ timeout: UI_TIMEOUT });
    expect(await row.getAttribute('data-status')).toBe('proposed');

    const factoryPage = await browser.page();
    await signIn(factoryPage, origin, factory.key);
    const offer = factoryPage.locator(`[data-testid="offer"][data-offer-id="${proposed.allocations[0]!.id}"]`);
    await offer.waitFor({ timeout: UI_TIMEOUT });
    expect(await offer.textContent()).toMatch(/\d+:\d\d left/);
    await expect.poll(() => offer.textContent(), { timeout: UI_TIMEOUT }).toContain('T-shirt, knit, 12 min per piece for Liwan Tees');
    await browser.screenshot(factoryPage, 'factory-offer');
    // Rejecting offers preset reasons to pick with a thumb; Back leaves the offer as it was.
    await offer.getByRole('button', { name: 'Reject…' }).click();
    await offer.getByLabel('Why not?').waitFor();
    await offer.getByRole('button', { name: 'Back' }).click();
    await offer.getByRole('button', { name: 'Accept' }).click();
    // The work list and the offer queue refresh apart: wait for each rather than read one after the other.
    await factoryPage.getByTestId('work').first().waitFor({ timeout: UI_TIMEOUT });
    await offer.waitFor({ state: 'detached', timeout: UI_TIMEOUT });
    await browser.screenshot(factoryPage, 'factory-accepted');

    await expect.poll(() => row.getAttribute('data-status'), { timeout: UI_TIMEOUT }).toBe('confirmed');
    await row.getByRole('button').first().click();
    await expect.poll(() => row.getByTestId('allocation').first().getAttribute('data-status'), { timeout: UI_TIMEOUT }).toBe('accepted');
    await expect.poll(() => row.getByTestId('allocation').first().textContent(), { timeout: UI_TIMEOUT }).toContain('Panyu Garment Works');
    // Confirmed work carries a forecast against the due date.
    await expect.poll(() => row.getByTestId('forecast').textContent(), { timeout: UI_TIMEOUT }).toMatch(/Forecast to finish \d{4}-\d{2}-\d{2}.*low risk/);
    await browser.screenshot(brandPage, 'brand-order-confirmed');
    await factoryPage.setViewportSize(PHONE);
    await browser.screenshot(factoryPage, 'factory-phone');
    await factoryPage.close();
    await brandPage.close();
  });
});
