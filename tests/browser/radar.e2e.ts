import { SweepHandler } from '@cloudloom/market';
import { inDays, OPERATOR_KEY, startTestApp, type TestApp } from '../support/harness';
import { addLine, airJetLine, orderSettled, signup } from '../support/market';
import { type Browser, browserTestsRun, openBrowser, signIn } from './support/browser';
import { ensureConsoleBuilt } from './support/console-build';

const UI_TIMEOUT = 15_000;

/** The operator's radar page: each cluster with its lines, machine mix, load ahead, alerts and a chart. */
describe.runIf(browserTestsRun)('the cluster panorama in the console', { timeout: 90_000 }, () => {
  let t: TestApp;
  let browser: Browser;
  let origin: string;

  beforeAll(async () => {
    await ensureConsoleBuilt();
    t = await startTestApp({ ALERT_BOOKED_PERCENT: '80' });
    origin = new URL(t.baseUrl).origin;
    browser = await openBrowser();
  }, 180_000);
  afterAll(async () => {
    await browser?.close();
    await t?.close();
  });

  it('shows a booked cluster with its alert beside a quiet one', async () => {
    const keqiao = await signup(t, { kind: 'factory', name: 'Keqiao Weaving', city: 'Shaoxing', province: 'Zhejiang' });
    const line = await addLine(t, keqiao.key, airJetLine);
    const quiet = await signup(t, { kind: 'factory', name: 'Gaomi Mill', city: 'Weifang', province: 'Shandong' });
    await addLine(t, quiet.key, { ...airJetLine, machineType: 'rapier', fibers: ['polyester'] });
    const brand = await signup(t, { kind: 'brand', name: 'Surge Brand' });
    const posted = await t.request<{ id: string }>('POST', '/orders', { key: brand.key, body: { kind: 'fabric', fabric: { fiber: 'cotton', weave: 'plain', widthCm: 150, picksPerCm: 25 }, quantity: Math.floor((line.dailyCapacity / 2500) * 1.8), dueDate: inDays(2) } });
    expect((await orderSettled(t, brand.key, posted.body.id)).status).toBe('proposed');
    await t.app.get(SweepHandler).run();

    const page = await browser.page();
    await signIn(page, origin, OPERATOR_KEY);
    await page.getByRole('tab', { name: /Radar/ }).click();
    const hot = page.locator('[data-testid="cluster"][data-cluster="Shaoxing, Zhejiang · weaving"]');
    await hot.waitFor({ timeout: UI_TIMEOUT });
    await expect.poll(() => hot.getByTestId('alert').textContent(), { timeout: UI_TIMEOUT }).toContain('booked past 80%');
    expect(await hot.textContent()).toContain('air-jet 1');
    // one chart: capacity, booked and forecast demand
    expect(await hot.locator('.recharts-line').count()).toBe(3);
    const calm = page.locator('[data-testid="cluster"][data-cluster="Weifang, Shandong · weaving"]');
    expect(await calm.textContent()).toContain('no open alert');
    expect(await calm.textContent()).toContain('rapier 1');
    await browser.screenshot(page, 'operator-radar');
  });
});
