import { OPERATOR_KEY, type TestApp } from '../support/harness';
import { addLine, airJetLine, heatmapCity, signup } from '../support/market';
import { type Browser, browserTestsRun, catalogOf, LAPTOP, PHONE, scrollsSideways, seriousAccessibilityProblems, signInAs } from './support/browser';
import { closeConsole, type ConsoleApp, openConsole } from './support/console-app';

const UI_TIMEOUT = 15_000;
const T = catalogOf('zh-CN');

/** The operator's heatmap in Chinese: sorted by load, narrowed by city and line, its days labelled, its values in the cells. */
describe.runIf(browserTestsRun)('the factories heatmap', { timeout: 120_000 }, () => {
  let t: TestApp;
  let browser: Browser;
  let origin: string;

  let app: ConsoleApp | undefined;
  beforeAll(async () => {
    app = await openConsole({ locales: ['zh-CN'] });
    ({ t, origin, browser } = app);
  }, 180_000);
  afterAll(() => closeConsole(app));

  it('sorts by load, filters by city and line, labels its days and shows each value in its cell', async () => {
    const mills = await heatmapCity(t, 'Keqiao');
    // Enough other mills that an unbounded list would be thousands of px tall.
    for (let i = 0; i < 30; i++) {
      const other = await signup(t, { kind: 'factory', name: `Shengze Mill ${String(i).padStart(2, '0')}`, city: 'Suzhou', province: 'Jiangsu' });
      await addLine(t, other.key, airJetLine);
    }

    const page = await browser.page();
    await signInAs(page, origin, OPERATOR_KEY, 'zh-CN');
    await page.getByRole('tab', { name: T.operator.tabs.factories }).click();
    const region = page.getByRole('region', { name: T.heatmap.region });
    await region.waitFor({ timeout: UI_TIMEOUT });
    await expect.poll(() => page.getByTestId('factory').count(), { timeout: UI_TIMEOUT }).toBe(34);
    // A region of fixed height scrolls inside; the page does not grow with the list.
    const box = (await region.boundingBox())!;
    expect(box.height).toBeLessThanOrEqual(LAPTOP.height * 0.7 + 1);
    expect(await page.evaluate(`(() => { const r = document.querySelector('.heat-scroll'); return r.scrollHeight > 2 * r.clientHeight; })()`)).toBe(true);
    expect(await page.evaluate('document.documentElement.scrollHeight')).toBeLessThan(2 * LAPTOP.height);

    // 30 days on the axis, each with its date and weekday, from today.
    const days = page.getByTestId('heat-day');
    expect(await days.count()).toBe(30);
    const first = days.first();
    const today = (await first.getAttribute('data-day'))!;
    expect(today).toBe(new Date().toISOString().slice(0, 10));
    expect(await first.textContent()).toBe(`${today.slice(5)}${new Intl.DateTimeFormat('zh-CN', { weekday: 'short', timeZone: 'UTC' }).format(new Date(`${today}T00:00:00Z`))}`);
    expect(await first.textContent()).toMatch(/^\d{2}-\d{2}周[一二三四五六日]$/);

    // One city, busiest first: the loads in order, the value in the cell without hovering.
    await page.getByLabel(T.heatmap.city).selectOption('Keqiao');
    await page.getByLabel(T.heatmap.sort).selectOption('-load');
    const order = async (): Promise<(string | null)[]> => Promise.all((await page.getByTestId('factory').all()).map((f) => f.getAttribute('data-factory-id')));
    await expect.poll(order, { timeout: UI_TIMEOUT }).toEqual([mills.busy, mills.sewing, mills.idle, mills.empty]);
    const busy = page.locator(`[data-testid="factory"][data-factory-id="${mills.busy}"]`);
    expect(await busy.locator(`td.heat-cell[data-day="${today}"]`).innerText()).toBe('90');
    expect(await busy.getByTestId('factory-load').textContent()).toBe(T.heatmap.load.replace('{{share}}', '90%'));
    expect(await page.locator(`[data-testid="factory"][data-factory-id="${mills.idle}"] td.heat-cell[data-day="${today}"]`).innerText()).toBe('0');
    expect(await page.locator(`[data-testid="factory"][data-factory-id="${mills.empty}"]`).getByTestId('factory-load').textContent()).toBe(T.heatmap.noLoad);
    // Most room first turns it round; the mill with nothing open stays last.
    await page.getByLabel(T.heatmap.sort).selectOption('load');
    await expect.poll(order, { timeout: UI_TIMEOUT }).toEqual([mills.idle, mills.sewing, mills.busy, mills.empty]);

    // One kind of line: only the mills that have one, and only those lines.
    await page.getByLabel(T.heatmap.machine).selectOption('sewing');
    await expect.poll(order, { timeout: UI_TIMEOUT }).toEqual([mills.sewing]);
    expect(await page.getByTestId('heat-line').count()).toBe(1);
    expect(await page.getByTestId('heat-line').locator('th').textContent()).toContain(T.domain.lineKind.sewing);
    await page.getByLabel(T.heatmap.machine).selectOption('loom:rapier');
    await expect.poll(order, { timeout: UI_TIMEOUT }).toEqual([mills.busy]);
    // Numbers on coloured cells, read at AA contrast.
    expect(await seriousAccessibilityProblems(page)).toEqual([]);
    await browser.screenshot(page, 'zh-CN-operator-heatmap');

    // On a phone the region scrolls sideways inside; the page does not.
    await page.getByLabel(T.heatmap.machine).selectOption('');
    await page.setViewportSize(PHONE);
    await expect.poll(() => scrollsSideways(page), { timeout: UI_TIMEOUT }).toEqual({ scrollWidth: PHONE.width, viewport: PHONE.width, widest: '' });
    await browser.screenshot(page, 'zh-CN-operator-heatmap-phone');
    await page.close();
  });
});
