import { type TestApp } from '../support/harness';
import { signup } from '../support/market';
import { type Browser, browserTestsRun, signIn } from './support/browser';
import { closeConsole, type ConsoleApp, openConsole } from './support/console-app';

const UI_TIMEOUT = 15_000;

/** A dye house publishes a finishing line from the console's line form (issue 15 item 2). */
describe.runIf(browserTestsRun)('the console: a finishing line', { timeout: 90_000 }, () => {
  let t: TestApp;
  let browser: Browser;
  let origin: string;

  let app: ConsoleApp | undefined;
  beforeAll(async () => {
    app = await openConsole();
    ({ t, origin, browser } = app);
  }, 180_000);
  afterAll(() => closeConsole(app));

  /** A new factory signed in, its line form open on the finishing kind. */
  async function finishingForm(body: Record<string, unknown>) {
    const factory = await signup(t, body);
    const page = await browser.page();
    await signIn(page, origin, factory.key);
    await page.getByText('No lines yet').waitFor({ timeout: UI_TIMEOUT });
    await page.getByRole('button', { name: 'Add line' }).click();
    const form = page.getByRole('form', { name: 'New line' });
    await form.getByText('Finishing (dyeing, printing)').click();
    return { factory, page, form };
  }

  it('takes processes, meters a day, a minimum batch and the stenter width, and shows the line', async () => {
    const { factory, page, form } = await finishingForm({ kind: 'factory', name: 'Keqiao Dyeing No. 2', city: 'Shaoxing', province: 'Zhejiang' });
    // A finishing line has no looms, operators or efficiency: the form does not ask for them.
    expect(await form.getByLabel('Looms', { exact: true }).count()).toBe(0);
    expect(await form.getByLabel('Efficiency (0–1)').count()).toBe(0);
    await form.getByLabel('Name', { exact: true }).fill('Dye range 1');
    await form.getByLabel('Rate (CNY per meter)').fill('1.8');
    await form.getByLabel(/Meters per day/).fill('6000');
    await form.getByLabel(/Minimum batch/).fill('500');
    await form.getByLabel(/Stenter max width/).fill('200');
    await form.getByText('printing', { exact: true }).click();
    await form.getByRole('button', { name: 'Add line' }).click();
    const row = page.getByTestId('line').filter({ hasText: 'Dye range 1' });
    await row.waitFor({ timeout: UI_TIMEOUT });
    expect(await row.textContent()).toContain('dyeing, printing · 6,000 m/day, ≤ 200 cm');
    const [line] = await t.sql<{ kind: string; spec: Record<string, unknown>; rate: string; daily: string }>(
      `SELECT kind, spec, rate_per_unit::text AS rate, daily_capacity::text AS daily FROM lines WHERE factory_id = $1`, [factory.id],
    );
    expect(line).toEqual({
      kind: 'finishing', spec: { kind: 'finishing', processes: ['dyeing', 'printing'], metersPerDay: 6000, minBatchM: 500, maxWidthCm: 200 }, rate: '1.8', daily: '6000',
    });
    await browser.screenshot(page, 'factory-finishing-line');
    await page.close();
  });

  it('names the field a dye house got wrong', async () => {
    const { factory, page, form } = await finishingForm({ kind: 'factory', name: 'Keqiao Printing No. 4' });
    await form.getByLabel('Name', { exact: true }).fill('Printer 1');
    await form.getByLabel('Rate (CNY per meter)').fill('1.8');
    await form.getByLabel(/Meters per day/).fill('6000');
    await form.getByLabel(/Stenter max width/).fill('200');
    // Every process unticked: the API refuses an empty list and the form shows it at the field.
    await form.getByText('dyeing', { exact: true }).click();
    await form.getByRole('button', { name: 'Add line' }).click();
    await expect.poll(() => form.textContent(), { timeout: UI_TIMEOUT }).toMatch(/processes must contain at least 1 elements?/);
    const [count] = await t.sql<{ n: number }>(`SELECT count(*)::int AS n FROM lines WHERE factory_id = $1`, [factory.id]);
    expect(count?.n).toBe(0);
    await page.close();
  });
});
