import { Injectable } from '@nestjs/common';
import { DomainError, type FieldError, invalidFields } from '@cloudloom/platform';
import { Clock } from '../core/clock';
import type { Principal } from '../identity/principal';
import { CreateLineDto } from '../lines/lines.dto';
import { lineSpecOf, LinesService } from '../lines/lines.service';
import type { LineView } from '../lines/line.view';
import { orderErrors } from '../orders/order-terms';
import { CreateOrderDto, MAX_ORDERS_PER_POST } from '../orders/orders.dto';
import { OrdersService } from '../orders/orders.service';
import type { OrderView } from '../orders/order.view';
import { type ImportColumn, LINE_COLUMNS, ORDER_COLUMNS } from './columns';
import { checkRow, mapHeaders, type ParsedRow, parseRow, rowFieldErrors } from './rows';
import { readSheet, type UploadedSheet } from './sheet';
import type { ImportPreview } from './imports.view';

/** Most rows of one import of orders: what one `POST /orders/batch` stores. */
export const MAX_ORDER_ROWS = MAX_ORDERS_PER_POST;
/** Most rows of one import of lines: more halls than any mill has, each a line. */
export const MAX_LINE_ROWS = 50;
/** The largest upload: a few hundred rows are a few tens of KB, as CSV or .xlsx. */
export const IMPORT_MAX_BYTES = 1024 * 1024;

interface Checked<T> {
  readonly preview: ImportPreview;
  readonly rows: readonly ParsedRow[];
  /** Every row's request, in the file's order, when no row has an error. */
  readonly valid: readonly T[] | undefined;
}

/** The domain rules of a line beyond its DTO (fields of another kind, looms that cannot weave a fibre), as field errors. */
function lineRules(dto: CreateLineDto): readonly FieldError[] {
  try {
    lineSpecOf(dto);
    return [];
  } catch (error) {
    if (error instanceof DomainError && error.code === 'VALIDATION_FAILED') return error.fields;
    throw error;
  }
}

/**
 * Orders and lines from a spreadsheet. A preview reads every row into the request the route
 * takes and checks it with that route's DTO and rules; an import stores every row through the
 * route's own service, all or none: a file with a bad row stores nothing, so fixing the row and
 * sending the same file again never stores a row twice.
 */
@Injectable()
export class ImportsService {
  constructor(private readonly orders: OrdersService, private readonly lines: LinesService, private readonly clock: Clock) {}

  private async check<T extends object>(
    file: UploadedSheet | undefined, maxRows: number, columns: readonly ImportColumn[], dto: new () => T, rules: (checked: T) => readonly FieldError[], scaffold: (values: Record<string, unknown>) => void,
  ): Promise<Checked<T>> {
    const sheet = await readSheet(file, maxRows);
    const headers = mapHeaders(sheet, columns);
    const rows: ParsedRow[] = [];
    const valid: T[] = [];
    for (const line of sheet.rows) {
      const parsed = parseRow(sheet, headers, line);
      scaffold(parsed.values);
      const checked = await checkRow(sheet, headers, parsed, dto, rules);
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
      rows,
      valid: invalidRows === 0 ? valid : undefined,
    };
  }

  private checkOrders(file: UploadedSheet | undefined): Promise<Checked<CreateOrderDto>> {
    const today = this.clock.today();
    return this.check(file, MAX_ORDER_ROWS, ORDER_COLUMNS, CreateOrderDto, (dto) => orderErrors(dto, today), (values) => {
      // A fabric row with its fabric cells blank names each of them, not the missing group.
      if (values.kind === 'fabric' || values.kind === 'garment') values[values.kind] ??= {};
    });
  }

  private checkLines(file: UploadedSheet | undefined): Promise<Checked<CreateLineDto>> {
    return this.check(file, MAX_LINE_ROWS, LINE_COLUMNS, CreateLineDto, lineRules, () => undefined);
  }

  previewOrders(file: UploadedSheet | undefined): Promise<ImportPreview> {
    return this.checkOrders(file).then((c) => c.preview);
  }

  async importOrders(principal: Principal, file: UploadedSheet | undefined, idempotencyKey: string | undefined): Promise<OrderView[]> {
    const checked = await this.checkOrders(file);
    if (!checked.valid) throw invalidFields(rowFieldErrors(checked.rows));
    return (await this.orders.createMany(principal, checked.valid, idempotencyKey)).items;
  }

  previewLines(file: UploadedSheet | undefined): Promise<ImportPreview> {
    return this.checkLines(file).then((c) => c.preview);
  }

  async importLines(principal: Principal, file: UploadedSheet | undefined): Promise<LineView[]> {
    const checked = await this.checkLines(file);
    if (!checked.valid) throw invalidFields(rowFieldErrors(checked.rows));
    return this.lines.createMany(principal, checked.valid);
  }
}
