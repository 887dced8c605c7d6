import { plainToInstance } from 'class-transformer';
import { validate, type ValidationError } from 'class-validator';
import type { ImportErrorCode, ImportRowError } from '@cloudloom/contracts';
import { type FieldError, invalid, inspectInput } from '@cloudloom/platform';
import { apiValue, columnOf, type ImportColumn } from './columns';
import type { Sheet, SheetCell, SheetRow } from './sheet';

export interface ParsedRow {
  readonly row: number;
  /** The request body the row makes, as `POST /orders/batch` or `POST /lines` would take it. */
  readonly values: Record<string, unknown>;
  readonly errors: ImportRowError[];
}

/** The file's headers matched to columns: each known header once; unknown ones are listed and left out. */
export interface HeaderMap {
  readonly columns: readonly (ImportColumn | undefined)[];
  readonly ignored: readonly string[];
}

export function mapHeaders(sheet: Sheet, columns: readonly ImportColumn[]): HeaderMap {
  const mapped = sheet.headers.map((h) => columnOf(columns, h));
  const seen = new Map<string, string>();
  mapped.forEach((column, i) => {
    if (!column) return;
    const earlier = seen.get(column.field);
    if (earlier !== undefined) throw invalid('file', `the columns "${earlier}" and "${sheet.headers[i]}" both give ${column.zh} (${column.en}); keep one`);
    seen.set(column.field, sheet.headers[i]!);
  });
  if (seen.size === 0) throw invalid('file', `no column is one the import knows; use the template's headers, e.g. ${columns.slice(0, 3).map((c) => `${c.zh} / ${c.en}`).join(', ')}`);
  return { columns: mapped, ignored: sheet.headers.filter((h, i) => h !== '' && mapped[i] === undefined) };
}

const day = (d: Date): string => d.toISOString().slice(0, 10);
/** Excel counts days from 1899-12-30; a date cell formatted as a number arrives as that count. */
const EXCEL_EPOCH = Date.UTC(1899, 11, 30);
const DAY_MS = 86_400_000;

/** `2026/12/7`, `2026.12.7`, `2026年12月7日` → 2026-12-07; other text as typed, for the DTO to refuse. */
function dateText(text: string): string {
  const m = /^(\d{4})\s*[-/.年]\s*(\d{1,2})\s*[-/.月]\s*(\d{1,2})\s*日?$/.exec(text);
  return m ? `${m[1]}-${m[2]!.padStart(2, '0')}-${m[3]!.padStart(2, '0')}` : text;
}

/** A number as typed: `3,000` and `3 000` are 3000; anything else that is not a number is undefined. */
function numberOf(cell: SheetCell): number | undefined {
  if (typeof cell === 'number') return cell;
  const text = String(cell).replace(/[,，\s]/g, '');
  const n = text === '' ? NaN : Number(text);
  return Number.isFinite(n) ? n : undefined;
}

/** `S:100, M:150` (or `S=100 M=150`, `S：100；M：150`) → the list form of a size breakdown. */
function sizesOf(text: string): { size: string; quantity: number }[] | undefined {
  const parts = text.split(/[,，;；、\s]+/).filter((p) => p !== '');
  const sizes = parts.map((p) => /^(.+?)[:=：](\d+)$/.exec(p));
  return sizes.every((m) => m !== null) ? sizes.map((m) => ({ size: m[1]!, quantity: Number(m[2]) })) : undefined;
}

const LIST_SEPARATORS = /[,，;；、|/]/;

/** The cell as the request's value, or a shape error (not a number, sizes not written as size:pieces). */
function valueOf(column: ImportColumn, cell: SheetCell): { value: unknown } | { error: ImportErrorCode; message: string } {
  const text = cell instanceof Date ? day(cell) : String(cell).trim();
  switch (column.type) {
    case 'text':
      return { value: text };
    case 'integer':
    case 'number': {
      const n = numberOf(cell);
      return n === undefined ? { error: 'number', message: 'must be a number' } : { value: n };
    }
    case 'date':
      if (typeof cell === 'number') return { value: day(new Date(EXCEL_EPOCH + Math.round(cell) * DAY_MS)) };
      return { value: dateText(text) };
    case 'value':
      return { value: apiValue(text, column.values ?? []) };
    case 'list': {
      const items = text.split(LIST_SEPARATORS).map((s) => s.trim()).filter((s) => s !== '');
      return { value: column.values ? items.map((s) => apiValue(s, column.values!)) : items };
    }
    case 'sizes': {
      const sizes = sizesOf(text);
      return sizes ? { value: sizes } : { error: 'invalid', message: 'write the pieces per size as S:100, M:150' };
    }
  }
}

function setPath(target: Record<string, unknown>, path: string, value: unknown): void {
  const [head, ...rest] = path.split('.');
  if (rest.length === 0) {
    target[head!] = value;
    return;
  }
  const inner = (target[head!] ??= {}) as Record<string, unknown>;
  setPath(inner, rest.join('.'), value);
}

function getPath(target: unknown, path: string): unknown {
  return path.split('.').reduce<unknown>((v, key) => (typeof v === 'object' && v !== null ? (v as Record<string, unknown>)[key] : undefined), target);
}

/** The file's header for a field: its own column's, or the nearest enclosing one (`sizes.0` → the sizes column). */
function headerFor(sheet: Sheet, headers: HeaderMap, field: string): string | null {
  let best: { header: string; length: number } | undefined;
  headers.columns.forEach((column, i) => {
    if (!column) return;
    if ((field === column.field || field.startsWith(`${column.field}.`)) && column.field.length > (best?.length ?? -1)) best = { header: sheet.headers[i]!, length: column.field.length };
  });
  return best?.header ?? null;
}

/** A row's cells as a request body, with the cells whose shape is wrong (a word where a number belongs). */
export function parseRow(sheet: Sheet, headers: HeaderMap, line: SheetRow): ParsedRow {
  const values: Record<string, unknown> = {};
  const errors: ImportRowError[] = [];
  headers.columns.forEach((column, i) => {
    const cell = line.cells[i];
    if (!column || cell === undefined || (typeof cell === 'string' && cell.trim() === '')) return;
    const parsed = valueOf(column, cell);
    if ('error' in parsed) errors.push({ column: sheet.headers[i]!, field: column.field, code: parsed.error, message: parsed.message });
    else setPath(values, column.field, parsed.value);
  });
  for (const problem of inspectInput(values, 'row')) errors.push({ column: headerFor(sheet, headers, problem.field), field: problem.field, code: 'invalid', message: problem.message });
  return { row: line.row, values, errors };
}

/** The code of a class-validator failure: which constraint failed, and whether anything was there to fail. */
function codeOf(constraint: string, present: boolean, field: string): ImportErrorCode {
  if (!present) return 'required';
  if (constraint === 'isInt') return 'integer';
  if (constraint === 'isNumber') return 'number';
  if (constraint === 'isIn') return 'oneOf';
  if (constraint === 'min') return 'min';
  if (constraint === 'arrayMinSize') return 'required';
  if (constraint === 'max') return 'max';
  if (constraint === 'isDateString' || (constraint === 'matches' && /date|start/i.test(field))) return 'date';
  return 'invalid';
}

/** Which failure to show when a cell fails several rules: the one that says what to type first. */
const PRECEDENCE: readonly ImportErrorCode[] = ['required', 'number', 'integer', 'date', 'oneOf', 'min', 'max', 'invalid'];

function fieldErrors(errors: readonly ValidationError[], body: unknown, parent = ''): { field: string; code: ImportErrorCode; limit?: number; message: string }[] {
  return errors.flatMap((error) => {
    const field = parent ? `${parent}.${error.property}` : error.property;
    const present = getPath(body, field) !== undefined;
    const own = Object.entries(error.constraints ?? {})
      .map(([constraint, message]) => {
        const code = codeOf(constraint, present, field);
        const bound = code === 'min' || code === 'max' ? Number(/(-?[\d.]+)$/.exec(message)?.[1]) : undefined;
        return { field, code, ...(bound !== undefined && Number.isFinite(bound) ? { limit: bound } : {}), message: message.replace(/^property /, '') };
      })
      .sort((a, b) => PRECEDENCE.indexOf(a.code) - PRECEDENCE.indexOf(b.code))
      .slice(0, 1);
    return [...own, ...fieldErrors(error.children ?? [], body, field)];
  });
}

/**
 * The row's body checked by the route's own DTO, exactly as the validation pipe checks a posted
 * body (whitelist, unknown fields refused), then by the route's domain rules (`rules`), so an
 * import refuses what the route refuses and nothing else. The checked DTO, when the row is valid.
 */
export async function checkRow<T extends object>(
  sheet: Sheet, headers: HeaderMap, parsed: ParsedRow, dto: new () => T, rules: (checked: T) => readonly FieldError[],
): Promise<T | undefined> {
  if (parsed.errors.length > 0) return undefined;
  const instance = plainToInstance(dto, parsed.values);
  const failures = await validate(instance, { whitelist: true, forbidNonWhitelisted: true, forbidUnknownValues: true });
  for (const e of fieldErrors(failures, parsed.values)) parsed.errors.push({ column: headerFor(sheet, headers, e.field), ...e });
  if (parsed.errors.length === 0) {
    for (const e of rules(instance)) parsed.errors.push({ column: headerFor(sheet, headers, e.field), field: e.field, code: 'rule', message: e.message });
  }
  // In the file's column order, as a person reads the row; faults of no column last.
  const position = (e: ImportRowError): number => (e.column === null ? Infinity : sheet.headers.indexOf(e.column));
  parsed.errors.sort((a, b) => position(a) - position(b));
  return parsed.errors.length > 0 ? undefined : instance;
}

/** Every row's errors as one problem document's fields, `rows.<row>.<field>`, each saying its row and column. */
export function rowFieldErrors(rows: readonly ParsedRow[]): FieldError[] {
  return rows.flatMap((r) => r.errors.map((e) => ({ field: `rows.${r.row}.${e.field}`, message: `row ${r.row}${e.column ? `, column "${e.column}"` : ''}: ${e.message}` })));
}
