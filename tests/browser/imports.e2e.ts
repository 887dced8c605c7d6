import { Workbook } from 'exceljs';
import { inDays, type TestApp } from '../support/harness';
import { addLine, airJetLine, signup } from '../support/market';
import { type Browser, browserTestsRun, catalogOf, PHONE, scrollsSideways, seriousAccessibilityProblems, signInAs } from './support/browser';
import { closeConsole, type ConsoleApp, openConsole } from './support/console-app';

const UI_TIMEOUT = 15_000;
const T = catalogOf('zh-CN');
const XLSX = 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet';

const csv = (rows: readonly (readonly (string | number)[])[]): Buffer => Buffer.from(`${rows.map((r) => r.join(',')).join('\r\n')}\r\n`, 'utf8');

async function workbook(rows: readonly (readonly (string | number)[])[]): Promise<Buffer> {
  const wb = new Workbook();
  const sheet = wb.addWorksheet('产线');
  for (const r of rows) sheet.addRow([...r]);
  return Buffer.from(await wb.xlsx.writeBuffer());
}

// A merchandiser and a mill's dispatcher, in Chinese: a file with a mistake, the preview naming
// it by row and column, the corrected file chosen again, then imported.
describe.runIf(browserTestsRun)('importing from a spreadsheet in the console (zh-CN)', { timeout: 120_000 }, () => {
  let t: TestApp;
  let origin: string;
  let browser: Browser;
  let app: ConsoleApp | undefined;

  beforeAll(async () => {
    app = await openConsole({ locales: ['zh-CN'] });
    ({ t, origin, browser } = app);
  }, 180_000);
  afterAll(() => closeConsole(app));

  it('a brand previews a CSV of orders, sees the wrong row, chooses the corrected file and imports it', async () => {
    const brand = await signup(t, { kind: 'brand', name: '荔湾服饰' });
    const factory = await signup(t, { kind: 'factory', name: '佛山织造' });
    await addLine(t, factory.key, airJetLine);
    const page = await browser.page();
    await signInAs(page, origin, brand.key, 'zh-CN');
    await page.getByRole('button', { name: T.imports.orders.title }).click();
    const panel = page.getByTestId('import-orders');
    const header = ['订单类型', '数量', '交期', '纤维', '组织', '门幅(厘米)', '纬密(根/厘米)'];
    await panel.getByLabel(T.imports.chooseFile).setInputFiles({
      name: '春季订单.csv', mimeType: 'text/csv',
      buffer: csv([header, ['面料', 3000, inDays(20), '棉', '斜纹', 150, 30], ['面料', 0, inDays(20), '棉', '平纹', 150, 30], ['面料', 800, '2020/1/5', '棉', '平纹', 150, 30]]),
    });
    const preview = panel.getByTestId('import-preview');
    await preview.waitFor({ timeout: UI_TIMEOUT });
    expect(await preview.getByRole('status').textContent()).toBe(T.imports.summaryWithErrors_other.replace('{{valid}}', '1').replace('{{invalid}}', '2'));
    const errorsOf = (row: number): Promise<string[]> => preview.locator(`[data-testid="import-row"][data-row="${row}"] .field-error li`).allTextContents();
    expect(await errorsOf(3)).toEqual([T.imports.error.min.replace('{{column}}', '数量').replace('{{limit}}', '1')]);
    // A rule of the order itself, worded by the same catalog as the order form's errors.
    expect(await errorsOf(4)).toEqual([T.validation.afterStart.replace('{{field}}', T.field.dueDate)]);
    expect(await preview.locator('[data-testid="import-row"][data-row="2"]').textContent()).toContain(T.imports.rowOk);
    // Nothing to import while a row is wrong, and nothing stored.
    expect(await preview.getByRole('button').count()).toBe(0);
    expect(await seriousAccessibilityProblems(page)).toEqual([]);
    await browser.screenshot(page, 'zh-CN-import-orders-errors');
    expect((await t.sql<{ n: number }>('SELECT count(*)::int AS n FROM orders WHERE brand_id = $1', [brand.id]))[0]!.n).toBe(0);

    await panel.getByLabel(T.imports.chooseFile).setInputFiles({
      name: '春季订单.csv', mimeType: 'text/csv',
      buffer: csv([header, ['面料', 3000, inDays(20), '棉', '斜纹', 150, 30], ['面料', 1200, inDays(20), '棉', '平纹', 150, 30]]),
    });
    const importButton = preview.getByRole('button', { name: T.imports.orders.import_other.replace('{{n}}', '2') });
    await importButton.waitFor({ timeout: UI_TIMEOUT });
    expect(await preview.getByRole('status').textContent()).toBe(T.imports.orders.ready_other.replace('{{n}}', '2'));
    await importButton.click();
    await panel.getByText(T.imports.orders.done_other.replace('{{count}}', '2')).waitFor({ timeout: UI_TIMEOUT });
    await expect.poll(() => page.getByTestId('order-row').count(), { timeout: UI_TIMEOUT }).toBe(2);
    await page.close();
  });

  it('a factory on its phone imports lines from an Excel workbook after correcting a machine type', async () => {
    const factory = await signup(t, { kind: 'factory', name: '盛泽织造', city: '苏州' });
    const page = await browser.page(PHONE);
    await signInAs(page, origin, factory.key, 'zh-CN');
    await page.getByRole('button', { name: T.imports.lines.title }).click();
    const panel = page.getByTestId('import-lines');
    const header = ['产线类型', '产线名称', '单价', '机型', '织机台数', '转速(纬/分钟)', '最大门幅(厘米)'];
    await panel.getByLabel(T.imports.chooseFile).setInputFiles({
      name: '产线.xlsx', mimeType: XLSX,
      buffer: await workbook([header, ['织造', '一车间喷气', 0.012, '喷气织机', 48, 700, 190], ['织造', '二车间', 0.015, '梭子织机', 24, 450, 230]]),
    });
    const preview = panel.getByTestId('import-preview');
    await preview.waitFor({ timeout: UI_TIMEOUT });
    expect(await preview.locator('[data-testid="import-row"][data-row="3"] .field-error li').allTextContents()).toEqual([T.imports.error.oneOf.replace('{{column}}', '机型')]);
    await expect.poll(() => scrollsSideways(page), { timeout: UI_TIMEOUT }).toEqual({ scrollWidth: PHONE.width, viewport: PHONE.width, widest: '' });
    expect(await seriousAccessibilityProblems(page)).toEqual([]);
    await browser.screenshot(page, 'zh-CN-import-lines-phone');

    await panel.getByLabel(T.imports.chooseFile).setInputFiles({
      name: '产线.xlsx', mimeType: XLSX,
      buffer: await workbook([header, ['织造', '一车间喷气', 0.012, '喷气织机', 48, 700, 190], ['织造', '二车间', 0.015, '剑杆织机', 24, 450, 230]]),
    });
    await preview.getByRole('button', { name: T.imports.lines.import_other.replace('{{n}}', '2') }).click();
    await panel.getByText(T.imports.lines.done_other.replace('{{count}}', '2')).waitFor({ timeout: UI_TIMEOUT });
    // The factory's list of lines shows both, stored as the API lists them.
    await expect.poll(() => page.getByTestId('line').count(), { timeout: UI_TIMEOUT }).toBe(2);
    expect((await t.request<{ items: { name: string }[] }>('GET', '/lines', { key: factory.key })).body.items.map((l) => l.name).sort()).toEqual(['一车间喷气', '二车间'].sort());
    await page.close();
  });
});
