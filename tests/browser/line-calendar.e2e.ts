import { inDays, type TestApp } from '../support/harness';
import { addLine, airJetLine, type OrderBody, signup } from '../support/market';
import { settledOrder } from '../security/support/world';
import { type Browser, browserTestsRun, PHONE, signIn } from './support/browser';
import { closeConsole, type ConsoleApp, openConsole } from './support/console-app';
import { en } from '../../apps/console/src/i18n/en';

const UI_TIMEOUT = 15_000;

/** A mill's dispatcher opens a line's calendar on the phone: booked days with the order on them, a closed day. */
describe.runIf(browserTestsRun)("a line's calendar in the console", { timeout: 90_000 }, () => {
  let app: ConsoleApp | undefined;
  let t: TestApp;
  let browser: Browser;

  beforeAll(async () => {
    app = await openConsole();
    ({ t, browser } = app);
  }, 180_000);
  afterAll(() => closeConsole(app));

  it('shows booked, free and closed days per line, and the order on a booked day', async () => {
    const factory = await signup(t, { kind: 'factory', name: 'Keqiao Weaving', city: 'Shaoxing' });
    const line = await addLine(t, factory.key, airJetLine);
    const brand = await signup(t, { kind: 'brand', name: 'Canton Studio' });
    const posted = await t.request<OrderBody>('POST', '/orders', { key: brand.key, body: { kind: 'fabric', fabric: { fiber: 'cotton', weave: 'twill', widthCm: 150, picksPerCm: 30 }, quantity: 2000, dueDate: inDays(15) } });
    const order = await settledOrder(t, brand.key, posted.body.id);
    const allocation = order.allocations[0]!;
    const closed = inDays(12);
    expect((await t.request('PUT', `/lines/${line.id}/availability`, { key: factory.key, body: { days: [{ date: closed, fraction: 0 }] } })).status).toBe(200);

    const page = await browser.page(PHONE);
    await signIn(page, origin(t), factory.key);
    await page.getByRole('button', { name: en.calendar.open }).click();
    const days = page.getByTestId('calendar-day');
    await expect.poll(() => days.count(), { timeout: UI_TIMEOUT }).toBe(28);
    expect(await page.locator(`[data-testid="calendar-day"][data-date="${closed}"]`).getAttribute('data-closed')).toBe('true');
    expect(await page.locator('[data-testid="calendar-day"].booked').count()).toBeGreaterThan(0);
    const booked = page.locator(`[data-testid="calendar-day"][data-date="${allocation.startDate}"]`);
    await booked.getByRole('button').click();
    await expect.poll(() => booked.textContent(), { timeout: UI_TIMEOUT }).toContain(order.id.slice(0, 8));
    await browser.screenshot(page, 'factory-line-calendar-phone');
  });
});

const origin = (t: TestApp): string => new URL(t.baseUrl).origin;
