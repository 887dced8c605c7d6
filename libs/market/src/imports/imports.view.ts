import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { AHEAD } from '../core/openapi-examples';
import { IMPORT_ERROR_CODES, type ImportErrorCode, type ImportPreviewBody, type ImportRow, type ImportRowError } from '@cloudloom/contracts';

export class ImportRowErrorView implements ImportRowError {
  @ApiProperty({ type: String, nullable: true, example: '数量', description: "the column's header as the file has it; null when the fault is the row's" }) column!: string | null;
  @ApiProperty({ example: 'quantity', description: 'the request field the column fills' }) field!: string;
  @ApiProperty({ enum: IMPORT_ERROR_CODES, example: 'min', description: 'what is wrong, for a client to word: required, number, integer, date, oneOf, min, max, invalid, or rule (a domain rule; see message)' }) code!: ImportErrorCode;
  @ApiPropertyOptional({ example: 1, description: 'the bound of a min or max error' }) limit?: number;
  @ApiProperty({ example: 'quantity must not be less than 1' }) message!: string;
}

export class ImportRowView implements ImportRow {
  @ApiProperty({ example: 2, description: "the row's number as the spreadsheet shows it (the header is row 1)" }) row!: number;
  @ApiProperty({
    type: 'object', additionalProperties: true, description: 'the request body the row makes, as POST /orders/batch (one order) or POST /lines takes it',
    example: { kind: 'fabric', quantity: 3000, dueDate: AHEAD.dueDate, fabric: { fiber: 'cotton', weave: 'twill', widthCm: 150, picksPerCm: 30 } },
  })
  values!: Record<string, unknown>;

  @ApiProperty({ type: [ImportRowErrorView], description: 'empty when the row would be stored' }) errors!: ImportRowErrorView[];
}

export class ImportColumnView {
  @ApiProperty({ example: '数量' }) header!: string;
  @ApiProperty({ type: String, nullable: true, example: 'quantity', description: 'null: a column the import does not know, left out' }) field!: string | null;
}

/** What an import would store, row by row, before anything is stored. */
export class ImportPreview implements ImportPreviewBody {
  @ApiProperty({ enum: ['csv', 'xlsx'], example: 'xlsx' }) format!: 'csv' | 'xlsx';
  @ApiProperty({ type: [ImportColumnView] }) columns!: ImportColumnView[];
  @ApiProperty({ type: [String], example: ['备注'], description: 'headers no field has; their cells are not read' }) ignoredColumns!: string[];
  @ApiProperty({ type: [ImportRowView] }) rows!: ImportRowView[];
  @ApiProperty({ example: 1 }) validRows!: number;
  @ApiProperty({ example: 0, description: 'rows with errors: while any is left, importing the file stores nothing' }) invalidRows!: number;
}

export const TEMPLATE_FORMATS = ['csv', 'xlsx'] as const;
export type TemplateFormat = (typeof TEMPLATE_FORMATS)[number];
