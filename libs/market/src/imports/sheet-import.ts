import { type FieldError, invalidFields } from '@cloudloom/platform';
import type { ImportColumn } from './columns';
import type { ImportPreview } from './imports.view';
import { checkRow, mapHeaders, type ParsedRow, parseRow, rowFieldErrors } from './rows';
import { readSheet, type UploadedSheet } from './sheet';

export type { UploadedSheet } from './sheet';

/** What one route's import reads: its columns, at most how many rows, and the route's own checks. */
export interface SheetImportSpec<T extends object> {
  readonly maxRows: number;
  readonly columns: readonly ImportColumn[];
  /**
   * The route's DTO for a row, which checks it as the validation pipe checks a posted body: the
   * row's cells may pick it (an order row's kind picks its shape, as `kind` does in a body).
   */
  readonly dtoFor: (values: Readonly<Record<string, unknown>>) => new () => T;
  /** The route's domain rules beyond its DTO, as field errors. */
  readonly rules: (checked: T) => readonly FieldError[];
  /** Fills in what a row's cells imply before it is checked (a fabric row has a fabric part). */
  readonly scaffold?: (values: Record<string, unknown>) => void;
}

export interface CheckedSheet<T> {
  readonly preview: ImportPreview;
  /** Every row's request, in the file's order, when no row has an error. */
  readonly valid: readonly T[] | undefined;
  readonly rows: readonly ParsedRow[];
}

/**
 * Reads an upload and checks each row as the request it makes; nothing is stored here. The
 * preview answers every row; `valid` holds the requests only when every row is right.
 */
export async function checkSheet<T extends object>(file: UploadedSheet | undefined, spec: SheetImportSpec<T>): Promise<CheckedSheet<T>> {
  const sheet = await readSheet(file, spec.maxRows);
  const headers = mapHeaders(sheet, spec.columns);
  const rows: ParsedRow[] = [];
  const valid: T[] = [];
  for (const line of sheet.rows) {
    const parsed = parseRow(sheet, headers, line);
    spec.scaffold?.(parsed.values);
    const checked = await checkRow(sheet, headers, parsed, spec.dtoFor(parsed.values), spec.rules);
    if (checked) valid.push(checked);
    rows.push(parsed);
  }
  const invalidRows = rows.filter((r) => r.errors.length > 0).length;
  return {
    preview: {
      format: sheet.format,
      columns: sheet.headers.map((header, i) => ({ header, field: headers.columns[i]?.field ?? null })),
      ignoredColumns: [...headers.ignored],
      rows,
      validRows: rows.length - invalidRows,
      invalidRows,
    },
    valid: invalidRows === 0 ? valid : undefined,
    rows,
  };
}

/**
 * Every row's request, or a 400 naming each bad cell as `rows.<row>.<field>`: an import stores
 * all rows or none, so the corrected file can be sent again as a whole without storing a row twice.
 */
export function allRowsOrRefuse<T>(checked: CheckedSheet<T>): readonly T[] {
  if (!checked.valid) throw invalidFields(rowFieldErrors(checked.rows));
  return checked.valid;
}
