import { MarketRollups, SweepHandler } from '@cloudloom/market';
import { inDays, OPERATOR_KEY, type TestApp } from '../support/harness';
import { addLine, airJetLine, orderSettled, signup } from '../support/market';
import { type Browser, browserTestsRun, signIn } from './support/browser';
import { closeConsole, type ConsoleApp, openConsole } from './support/console-app';

const UI_TIMEOUT = 15_000;

/** The operator's radar page: each cluster with its lines, machine mix, load ahead, alerts and a chart. */
describe.runIf(browserTestsRun)('the cluster panorama in the console', { timeout: 90_000 }, () => {
  let t: TestApp;
  let browser: Browser;
  let origin: string;

  let app: ConsoleApp | undefined;
  beforeAll(async () => {
    app = await openConsole({ env: { ALERT_BOOKED_PERCENT: '80' } });
    ({ t, origin, browser } = app);
  }, 180_000);
  afterAll(() => closeConsole(app));

  it('shows a booked cluster with its alert beside a quiet one', async () => {
    const keqiao = await signup(t, { kind: 'factory', name: 'Keqiao Weaving', city: 'Shaoxing', province: 'Zhejiang' });
    const line = await addLine(t, keqiao.key, airJetLine);
    const quiet = await signup(t, { kind: 'factory', name: 'Gaomi Mill', city: 'Weifang', province: 'Shandong' });
    await addLine(t, quiet.key, { ...airJetLine, machineType: 'rapier', fibers: ['polyester'] });
    const humen = await signup(t, { kind: 'factory', name: 'Humen Garments', city: 'Dongguan', province: 'Guangdong' });
    await addLine(t, humen.key, { kind: 'sewing', name: 'Line 1 dresses', operators: 30, categories: ['dress', 'skirt'], fabricTypes: ['woven'], ratePerUnit: 0.8 });
    const brand = await signup(t, { kind: 'brand', name: 'Surge Brand' });
    const posted = await t.request<{ id: string }>('POST', '/orders', { key: brand.key, body: { kind: 'fabric', fabric: { fiber: 'cotton', weave: 'plain', widthCm: 150, picksPerCm: 25 }, quantity: Math.floor((line.dailyCapacity / 2500) * 1.8), dueDate: inDays(2) } });
    expect((await orderSettled(t, brand.key, posted.body.id)).status).toBe('proposed');
    await t.app.get(SweepHandler).run();
    // History for the trends: the order posted and matched three hours ago, that hour and its day rolled up.
    const hour = Math.floor(Date.now() / 3_600_000) * 3_600_000 - 3 * 3_600_000;
    await t.sql(`UPDATE orders SET created_at = $2 WHERE id = $1`, [posted.body.id, new Date(hour + 60_000)]);
    await t.sql(`UPDATE allocations SET created_at = $2 WHERE order_id = $1`, [posted.body.id, new Date(hour + 120_000)]);
    const rollups = t.app.get(MarketRollups);
    expect(await rollups.rollHour(new Date(hour))).toBe(true);
    expect(await rollups.rollDay(new Date(Math.floor(hour / 86_400_000) * 86_400_000))).toBe(true);

    const page = await browser.page();
    await signIn(page, origin, OPERATOR_KEY);
    await page.getByRole('tab', { name: /Radar/ }).click();
    const hot = page.locator('[data-testid="cluster"][data-cluster="Shaoxing, Zhejiang · weaving"]');
    await hot.waitFor({ timeout: UI_TIMEOUT });
    await expect.poll(() => hot.getByTestId('alert').textContent(), { timeout: UI_TIMEOUT }).toContain('booked past 80%');
    expect(await hot.textContent()).toContain('air-jet 1');
    // Mills, lines and looms, and the typical lead time: the one order's, from posting to its work's end.
    expect(await hot.getByTestId('cluster-size').textContent()).toMatch(/1 mills · 1 lines · 48 looms/);
    const [lead] = await t.sql<{ days: number }>(`SELECT a.end_date - (o.created_at AT TIME ZONE 'UTC')::date AS days FROM allocations a JOIN orders o ON o.id = a.order_id WHERE o.id = $1`, [posted.body.id]);
    expect(await hot.getByTestId('lead-time').textContent()).toContain(`${lead!.days} days`);
    // one chart: capacity, booked and forecast demand
    expect(await hot.locator('.recharts-line').count()).toBe(3);
    const calm = page.locator('[data-testid="cluster"][data-cluster="Weifang, Shandong · weaving"]');
    expect(await calm.textContent()).toContain('no open alert');
    expect(await calm.textContent()).toContain('rapier 1');
    expect(await calm.getByTestId('lead-time').textContent()).toContain('no work placed yet');
    // A sewing cluster counts its line once (it sews two categories) and its operators.
    const sewing = page.locator('[data-testid="cluster"][data-cluster="Dongguan, Guangdong · sewing"]');
    expect(await sewing.getByTestId('cluster-size').textContent()).toMatch(/1 mills · 1 lines · 30 operators/);
    expect(await sewing.textContent()).toContain('dress 1, skirt 1');

    // The trends from the rollups: hourly first, the busy hour's fill rate and time to match drawn; then daily.
    const trends = page.getByTestId('trends');
    await trends.waitFor({ timeout: UI_TIMEOUT });
    expect(await trends.getAttribute('data-granularity')).toBe('hour');
    expect(Number(await trends.getAttribute('data-buckets'))).toBeGreaterThanOrEqual(1);
    expect(await page.getByTestId('trend-rates').locator('.recharts-line').count()).toBe(2);
    expect(await page.getByTestId('trend-time').locator('.recharts-line').count()).toBe(1);
    expect(await page.getByTestId('trend-load').textContent()).toContain('Shaoxing, Zhejiang');
    await browser.screenshot(page, 'operator-radar');
    await page.getByRole('button', { name: /Last 30 days/ }).click();
    await expect.poll(() => trends.getAttribute('data-granularity'), { timeout: UI_TIMEOUT }).toBe('day');
    expect(Number(await trends.getAttribute('data-buckets'))).toBe(1);
  });
});
