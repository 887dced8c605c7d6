import { inDays, type TestApp } from '../support/harness';
import { signup } from '../support/market';
import { startReceiver } from '../webhooks/receiver';
import { type Browser, browserTestsRun, signIn } from './support/browser';
import { closeConsole, type ConsoleApp, openConsole } from './support/console-app';

const UI_TIMEOUT = 15_000;

describe.runIf(browserTestsRun)('webhooks in the console', { timeout: 90_000 }, () => {
  let t: TestApp;
  let browser: Browser;
  let origin: string;
  let app: ConsoleApp | undefined;
  beforeAll(async () => {
    app = await openConsole({ env: { WEBHOOK_ALLOW_PRIVATE: 'true' } });
    ({ t, origin, browser } = app);
  }, 180_000);
  afterAll(() => closeConsole(app));

  it('subscribes an address, shows the secret once, lists the deliveries and sends one again', async () => {
    const receiver = await startReceiver();
    try {
      const brand = await signup(t, { kind: 'brand', name: 'Webhook Brand' });
      const page = await browser.page();
      await signIn(page, origin, brand.key);
      await page.getByRole('button', { name: /Add webhook/ }).click();
      await page.getByLabel(/Address/).fill(receiver.url);
      const made = page.waitForResponse((r) => r.url().endsWith('/api/v1/me/webhooks') && r.request().method() === 'POST');
      await page.getByRole('button', { name: /Subscribe/ }).click();
      const created = await made;
      expect(created.status()).toBe(201);
      const { secret } = (await created.json()) as { secret: string };
      expect(await page.getByTestId('webhook-secret').textContent()).toContain(secret);
      await page.getByTestId('webhook').waitFor({ timeout: UI_TIMEOUT });

      const posted = await t.request('POST', '/orders', { key: brand.key, body: { kind: 'fabric', fabric: { fiber: 'wool', weave: 'jacquard', widthCm: 400, picksPerCm: 60 }, quantity: 10, dueDate: inDays(30) } });
      expect(posted.status).toBe(202);
      await expect.poll(() => receiver.received.length, { timeout: UI_TIMEOUT }).toBeGreaterThanOrEqual(1);
      await page.getByRole('button', { name: /Deliveries/ }).click();
      const row = page.getByTestId('webhook-delivery').first();
      await row.waitFor({ timeout: UI_TIMEOUT });
      expect(await row.textContent()).toContain('delivered');
      const before = receiver.received.length;
      await row.getByRole('button', { name: /Send again/ }).click();
      await expect.poll(() => receiver.received.length, { timeout: UI_TIMEOUT }).toBe(before + 1);
      await browser.screenshot(page, 'webhooks-brand');
    } finally {
      await receiver.close();
    }
  });
});
