import { Workbook } from 'exceljs';
import Papa from 'papaparse';
import { addDays } from '../core/clock';
import { type ImportColumn, LINE_COLUMNS, ORDER_COLUMNS } from './columns';
import type { TemplateFormat } from './imports.view';

type Example = Readonly<Record<string, string | number>>;

/** One order a merchandiser would import: a fabric order, with the Chinese a person types. */
const orderExample = (today: string): Example => ({
  kind: '面料', quantity: 3000, dueDate: addDays(today, 30), earliestStart: addDays(today, 3), 'fabric.fiber': '棉', 'fabric.weave': '斜纹',
  'fabric.widthCm': 150, 'fabric.picksPerCm': 30, 'fabric.gsm': 180, certifications: 'OEKO-TEX', targetPrice: 25000,
});

/** One line a mill's dispatcher would import: a hall of air-jet looms. */
const lineExample = (): Example => ({
  kind: '织造', name: '一车间喷气织机', ratePerUnit: 0.012, priceCovers: '仅加工费', machineType: '喷气织机', machines: 48, rpm: 700, maxWidthCm: 190, hoursPerDay: 22,
});

export interface Template {
  readonly fileName: string;
  readonly contentType: string;
  readonly bytes: Buffer;
}

const CONTENT_TYPE: Record<TemplateFormat, string> = {
  csv: 'text/csv; charset=utf-8',
  xlsx: 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet',
};

async function build(format: TemplateFormat, name: string, sheetName: string, columns: readonly ImportColumn[], example: Example): Promise<Template> {
  const cells = columns.map((c) => example[c.field] ?? '');
  if (format === 'csv') {
    // The BOM makes Excel open UTF-8 as UTF-8; without it a Chinese Windows reads the headers as GBK.
    const text = `\ufeff${Papa.unparse([columns.map((c) => c.zh), cells])}\r\n`;
    return { fileName: `${name}.csv`, contentType: CONTENT_TYPE.csv, bytes: Buffer.from(text, 'utf8') };
  }
  const workbook = new Workbook();
  const sheet = workbook.addWorksheet(sheetName);
  sheet.addRow(columns.map((c) => c.zh)).font = { bold: true };
  // Dates as date cells, so Excel shows a calendar for them; read back, they are the same day.
  sheet.addRow(columns.map((c, i) => (c.type === 'date' && typeof cells[i] === 'string' && cells[i] !== '' ? new Date(`${cells[i]}T00:00:00Z`) : cells[i])));
  columns.forEach((c, i) => {
    sheet.getColumn(i + 1).width = Math.max(10, c.zh.length * 2 + 4);
    if (c.type === 'date') sheet.getColumn(i + 1).numFmt = 'yyyy-mm-dd';
  });
  sheet.views = [{ state: 'frozen', ySplit: 1 }];
  return { fileName: `${name}.xlsx`, contentType: CONTENT_TYPE.xlsx, bytes: Buffer.from(await workbook.xlsx.writeBuffer()) };
}

/** The file a brand fills in to import orders: the Chinese headers and one example row. */
export const orderTemplate = (format: TemplateFormat, today: string): Promise<Template> => build(format, '订单导入模板', '订单', ORDER_COLUMNS, orderExample(today));

/** The file a factory fills in to import lines: the Chinese headers and one example row. */
export const lineTemplate = (format: TemplateFormat): Promise<Template> => build(format, '产线导入模板', '产线', LINE_COLUMNS, lineExample());
