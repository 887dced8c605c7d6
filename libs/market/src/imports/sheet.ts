import { Workbook, type CellValue } from 'exceljs';
import Papa from 'papaparse';
import { inflateRawSync } from 'node:zlib';
import { invalid } from '@cloudloom/platform';

/** A cell as read: text (CSV, or a text cell), a number or a date (Excel), or nothing. */
export type SheetCell = string | number | Date | undefined;

export interface SheetRow {
  /** The row's number as the spreadsheet shows it: the header is row 1. */
  readonly row: number;
  readonly cells: readonly SheetCell[];
}

export interface Sheet {
  readonly format: 'csv' | 'xlsx';
  readonly headers: readonly string[];
  readonly rows: readonly SheetRow[];
}

/** A file as the upload hands it over (multer's memory storage). */
export interface UploadedSheet {
  readonly buffer: Buffer;
  readonly size: number;
}

const ZIP = Buffer.from([0x50, 0x4b, 0x03, 0x04]);
const OLE2 = Buffer.from([0xd0, 0xcf, 0x11, 0xe0, 0xa1, 0xb1, 0x1a, 0xe1]);
/** What an .xlsx of a few hundred rows unpacks to, many times over; more is a zip bomb, not a sheet. */
const MAX_UNPACKED_BYTES = 20 * 1024 * 1024;
const MAX_ZIP_ENTRIES = 500;

const FILE_TYPE_MESSAGE = 'must be a CSV file or an Excel workbook (.xlsx)';

/**
 * Whether a zip unpacks to no more than the limit: an .xlsx is a zip, and the parser (JSZip,
 * inside exceljs) unpacks every entry into memory before it checks an entry's declared size. So
 * each entry is inflated here first, stopped at the size its directory declares, and the declared
 * sizes are summed: a zip bomb (or a zip that lies about its sizes) is refused before parsing.
 */
function unpackedSize(zip: Buffer): 'within' | 'too large' | 'malformed' {
  const end = zip.lastIndexOf(Buffer.from([0x50, 0x4b, 0x05, 0x06]));
  if (end < 0 || end + 22 > zip.length) return 'malformed';
  const entries = zip.readUInt16LE(end + 10);
  let at = zip.readUInt32LE(end + 16);
  if (entries > MAX_ZIP_ENTRIES) return 'malformed';
  let total = 0;
  for (let i = 0; i < entries; i++) {
    if (at + 46 > zip.length || zip.readUInt32LE(at) !== 0x02014b50) return 'malformed';
    const method = zip.readUInt16LE(at + 10);
    const packed = zip.readUInt32LE(at + 20);
    const size = zip.readUInt32LE(at + 24);
    const local = zip.readUInt32LE(at + 42);
    total += size;
    if (size === 0xffffffff || total > MAX_UNPACKED_BYTES) return 'too large';
    if (local + 30 > zip.length || zip.readUInt32LE(local) !== 0x04034b50) return 'malformed';
    const start = local + 30 + zip.readUInt16LE(local + 26) + zip.readUInt16LE(local + 28);
    const data = zip.subarray(start, start + packed);
    if (method !== 0 && method !== 8) return 'malformed';
    try {
      // Stored entries are their size; deflated ones must inflate to exactly the size declared.
      if ((method === 0 ? data.length : inflateRawSync(data, { maxOutputLength: Math.max(size, 1) }).length) !== size) return 'malformed';
    } catch (error) {
      return (error as { code?: string }).code === 'ERR_BUFFER_TOO_LARGE' ? 'too large' : 'malformed';
    }
    at += 46 + zip.readUInt16LE(at + 28) + zip.readUInt16LE(at + 30) + zip.readUInt16LE(at + 32);
  }
  return 'within';
}

/** CSV text: UTF-8 (with or without a BOM), or GB18030, which Excel on a Chinese Windows saves CSV in. */
function decodeText(bytes: Buffer): string | undefined {
  if (bytes.includes(0)) return undefined;
  for (const encoding of ['utf-8', 'gb18030']) {
    try {
      return new TextDecoder(encoding, { fatal: true, ignoreBOM: false }).decode(bytes);
    } catch {
      // not this encoding; try the next
    }
  }
  return undefined;
}

function cellOf(value: CellValue): SheetCell {
  if (value === null || value === undefined) return undefined;
  if (typeof value === 'string' || typeof value === 'number' || value instanceof Date) return value;
  if (typeof value === 'boolean') return String(value);
  if (typeof value === 'object') {
    if ('richText' in value) return value.richText.map((part) => part.text).join('');
    if ('result' in value) return cellOf(value.result ?? null);
    if ('text' in value && typeof value.text === 'string') return value.text;
  }
  return undefined;
}

const isBlank = (cell: SheetCell): boolean => cell === undefined || (typeof cell === 'string' && cell.trim() === '');

function table(format: Sheet['format'], lines: readonly { row: number; cells: SheetCell[] }[], maxRows: number): Sheet {
  const filled = lines.filter((l) => !l.cells.every(isBlank));
  const [header, ...rows] = filled;
  if (!header) throw invalid('file', 'is empty: it needs a header row and one row per item');
  if (rows.length === 0) throw invalid('file', 'has a header row but no rows under it');
  if (rows.length > maxRows) throw invalid('file', `has ${rows.length} rows; at most ${maxRows} can be imported at once`);
  return { format, headers: header.cells.map((c) => (c instanceof Date ? c.toISOString() : String(c ?? '').trim())), rows };
}

/**
 * The first sheet of an upload, told apart by content: an .xlsx is a zip, anything else must be
 * text (CSV, comma-, semicolon- or tab-separated). Blank rows are skipped, but rows keep the
 * numbers the spreadsheet shows, so an error points at the row a person sees.
 */
export async function readSheet(file: UploadedSheet | undefined, maxRows: number): Promise<Sheet> {
  if (!file || file.size === 0) throw invalid('file', 'choose one non-empty file, sent in the multipart field "file"');
  const bytes = file.buffer;
  if (bytes.subarray(0, 8).equals(OLE2)) throw invalid('file', 'is an old Excel workbook (.xls): save it as .xlsx or CSV first');
  if (bytes.subarray(0, 4).equals(ZIP)) {
    const unpacked = unpackedSize(bytes);
    if (unpacked === 'too large') throw invalid('file', `unpacks to more than ${MAX_UNPACKED_BYTES / 1024 / 1024} MB; a workbook of a few hundred rows is far smaller`);
    if (unpacked === 'malformed') throw invalid('file', FILE_TYPE_MESSAGE);
    const workbook = new Workbook();
    try {
      // exceljs's types predate Node's generic Buffer; the bytes are the same.
      await workbook.xlsx.load(bytes as unknown as Parameters<typeof workbook.xlsx.load>[0]);
    } catch {
      throw invalid('file', FILE_TYPE_MESSAGE);
    }
    const sheet = workbook.worksheets[0];
    if (!sheet) throw invalid('file', 'is empty: it needs a header row and one row per item');
    const lines: { row: number; cells: SheetCell[] }[] = [];
    sheet.eachRow({ includeEmpty: false }, (row, number) => {
      const cells: SheetCell[] = [];
      row.eachCell({ includeEmpty: true }, (cell, column) => {
        cells[column - 1] = cellOf(cell.value);
      });
      lines.push({ row: number, cells: Array.from(cells) });
    });
    return table('xlsx', lines, maxRows);
  }
  const text = decodeText(bytes);
  if (text === undefined) throw invalid('file', FILE_TYPE_MESSAGE);
  const parsed = Papa.parse<string[]>(text.replace(/^\ufeff/, ''), { skipEmptyLines: false });
  return table('csv', parsed.data.map((cells, i) => ({ row: i + 1, cells })), maxRows);
}
