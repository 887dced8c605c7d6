import { Workbook } from 'exceljs';
import Papa from 'papaparse';
import type { ImportColumn } from './columns';
import type { TemplateFormat } from './imports.view';

export type TemplateExample = Readonly<Record<string, string | number>>;

export interface Template {
  readonly format: TemplateFormat;
  readonly fileName: string;
  readonly contentType: string;
  readonly bytes: Buffer;
}

const CONTENT_TYPE: Record<TemplateFormat, string> = {
  csv: 'text/csv; charset=utf-8',
  xlsx: 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet',
};

/** A template to fill in: the Chinese headers and an example row of each kind, as CSV (UTF-8 with a BOM) or .xlsx. */
export async function buildTemplate(format: TemplateFormat, name: string, sheetName: string, columns: readonly ImportColumn[], examples: readonly TemplateExample[]): Promise<Template> {
  const rows = examples.map((example) => columns.map((c) => example[c.field] ?? ''));
  if (format === 'csv') {
    // The BOM makes Excel open UTF-8 as UTF-8; without it a Chinese Windows reads the headers as GBK.
    const text = `\ufeff${Papa.unparse([columns.map((c) => c.zh), ...rows])}\r\n`;
    return { format, fileName: `${name}.csv`, contentType: CONTENT_TYPE.csv, bytes: Buffer.from(text, 'utf8') };
  }
  const workbook = new Workbook();
  const sheet = workbook.addWorksheet(sheetName);
  sheet.addRow(columns.map((c) => c.zh)).font = { bold: true };
  // Dates as date cells, so Excel shows a calendar for them; read back, they are the same day.
  for (const cells of rows) sheet.addRow(columns.map((c, i) => (c.type === 'date' && typeof cells[i] === 'string' && cells[i] !== '' ? new Date(`${cells[i]}T00:00:00Z`) : cells[i])));
  columns.forEach((c, i) => {
    sheet.getColumn(i + 1).width = Math.max(10, c.zh.length * 2 + 4);
    if (c.type === 'date') sheet.getColumn(i + 1).numFmt = 'yyyy-mm-dd';
  });
  sheet.views = [{ state: 'frozen', ySplit: 1 }];
  return { format, fileName: `${name}.xlsx`, contentType: CONTENT_TYPE.xlsx, bytes: Buffer.from(await workbook.xlsx.writeBuffer()) };
}
