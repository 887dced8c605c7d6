/**
 * A spreadsheet import's preview (`POST /orders/import?dryRun=true`, `POST /lines/import?dryRun=true`):
 * shared by the API's view classes and the console, which words each error's code.
 */

/** What is wrong with a cell; `rule` is a domain rule whose `message` says which. */
export const IMPORT_ERROR_CODES = ['required', 'number', 'integer', 'date', 'oneOf', 'min', 'max', 'invalid', 'rule'] as const;
export type ImportErrorCode = (typeof IMPORT_ERROR_CODES)[number];

export interface ImportRowError {
  /** The column's header as the file has it; null when no column of the file holds the field. */
  readonly column: string | null;
  /** The request field: `fabric.widthCm`. */
  readonly field: string;
  readonly code: ImportErrorCode;
  /** The bound a `min` or `max` error names. */
  readonly limit?: number;
  /** The API's English, for clients that do not word the code themselves. */
  readonly message: string;
}

export interface ImportRow {
  /** The row's number as the spreadsheet shows it: the header is row 1. */
  readonly row: number;
  /** The request body the row makes. */
  readonly values: Record<string, unknown>;
  readonly errors: readonly ImportRowError[];
}

export interface ImportPreviewBody {
  readonly format: 'csv' | 'xlsx';
  readonly columns: readonly { readonly header: string; readonly field: string | null }[];
  readonly ignoredColumns: readonly string[];
  readonly rows: readonly ImportRow[];
  readonly validRows: number;
  readonly invalidRows: number;
}
