import { Controller, Get, HttpCode, Post, Query, Res, UploadedFile, UseInterceptors } from '@nestjs/common';
import { FileInterceptor } from '@nestjs/platform-express';
import { ApiAcceptedResponse, ApiBody, ApiConsumes, ApiCreatedResponse, ApiExtraModels, ApiHeader, ApiOkResponse, ApiOperation, ApiProduces, ApiTags } from '@nestjs/swagger';
import type { ApiBodyOptions } from '@nestjs/swagger';
import type { Response } from 'express';
import { ApiProblems } from '@cloudloom/platform';
import { Clock } from '../core/clock';
import { IdempotencyKey } from '../core/idempotency-key';
import { CurrentPrincipal, EVERYONE, People, type Principal, Roles } from '../identity/principal';
import { LineListView } from '../lines/line.view';
import { OrderListView, POSTED_ORDER_EXAMPLE } from '../orders/order.view';
import { ImportQuery, TemplateQuery } from './imports.dto';
import { IMPORT_MAX_BYTES, ImportsService, MAX_LINE_ROWS, MAX_ORDER_ROWS } from './imports.service';
import { ImportPreview } from './imports.view';
import type { UploadedSheet } from './sheet';
import { lineTemplate, orderTemplate, type Template } from './template';

/** The file stays in memory, bounded, and is read only by the import; one file part and nothing else. */
const UPLOAD = FileInterceptor('file', { limits: { fileSize: IMPORT_MAX_BYTES, files: 1, fields: 0, parts: 1 } });
const UPLOAD_BODY: ApiBodyOptions = { schema: { type: 'object', required: ['file'], properties: { file: { type: 'string', format: 'binary', description: 'a CSV file or an Excel workbook (.xlsx); its first sheet is read' } } } };
const TEMPLATE_RESPONSE = {
  description: 'the template: Chinese headers and one example row',
  content: {
    'text/csv': { schema: { type: 'string' }, example: '数量,交期,...' },
    'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet': { schema: { type: 'string', format: 'binary' }, example: "(the workbook's bytes)" },
  },
} as const;

function send(res: Response, template: Template): void {
  res.setHeader('Content-Type', template.contentType);
  res.setHeader('Content-Disposition', `attachment; filename="${template.fileName.endsWith('.csv') ? 'template.csv' : 'template.xlsx'}"; filename*=UTF-8''${encodeURIComponent(template.fileName)}`);
  res.setHeader('X-Content-Type-Options', 'nosniff');
  res.end(template.bytes);
}

/**
 * Orders (brands) and lines (factories) from a spreadsheet: the same request twice, first with
 * `dryRun=true` to see every row as it would be stored or why it would not, then without to store.
 */
@ApiExtraModels(ImportPreview)
@Controller()
export class ImportsController {
  constructor(private readonly imports: ImportsService, private readonly clock: Clock) {}

  @ApiTags('brand')
  @Roles('brand')
  @People('owner', 'merchandiser')
  @Post('orders/import')
  @HttpCode(202)
  @UseInterceptors(UPLOAD)
  @ApiOperation({
    summary: 'Import orders from a CSV file or an Excel workbook',
    description: `One fabric or garment order a row (at most ${MAX_ORDER_ROWS} rows, ${IMPORT_MAX_BYTES / 1024} KB), headers in Chinese or English as in GET /orders/import/template. `
      + 'With dryRun=true: every row with the order it makes or its errors (row, column, code), nothing stored. Without: every row is stored as POST /orders/batch stores it, or none when any row has an error (a 400 naming each as rows.<row>.<field>), so the corrected file can be sent again as a whole.',
  })
  @ApiConsumes('multipart/form-data')
  @ApiBody(UPLOAD_BODY)
  @ApiHeader({ name: 'Idempotency-Key', required: false, description: 'a retry with the same key returns the first orders' })
  @ApiOkResponse({ type: ImportPreview, description: 'dryRun=true: every row as it would be stored, or its errors; nothing stored' })
  @ApiAcceptedResponse({ type: OrderListView, example: { items: [POSTED_ORDER_EXAMPLE] }, description: 'every row stored and queued, in the file\'s order' })
  @ApiProblems(413, 422)
  async importOrders(
    @CurrentPrincipal() principal: Principal, @UploadedFile() file: UploadedSheet | undefined, @Query() query: ImportQuery, @Res({ passthrough: true }) res: Response, @IdempotencyKey() key?: string,
  ): Promise<ImportPreview | OrderListView> {
    if (query.dryRun === 'true') {
      res.status(200);
      return this.imports.previewOrders(file);
    }
    return { items: await this.imports.importOrders(principal, file, key) };
  }

  @ApiTags('brand')
  @Roles('brand')
  @People(...EVERYONE)
  @Get('orders/import/template')
  @ApiOperation({ summary: 'The template for importing orders', description: 'Chinese headers (English ones are read too) and one example order, due 30 days from today.' })
  @ApiProduces(...Object.keys(TEMPLATE_RESPONSE.content))
  @ApiOkResponse(TEMPLATE_RESPONSE)
  async orderTemplate(@Query() query: TemplateQuery, @Res() res: Response): Promise<void> {
    send(res, await orderTemplate(query.format ?? 'xlsx', this.clock.today()));
  }

  @ApiTags('factory')
  @Roles('factory')
  @People('owner', 'dispatcher')
  @Post('lines/import')
  @HttpCode(201)
  @UseInterceptors(UPLOAD)
  @ApiOperation({
    summary: 'Import production lines from a CSV file or an Excel workbook',
    description: `One line a row (at most ${MAX_LINE_ROWS} rows), each kind filling its own columns, headers in Chinese or English as in GET /lines/import/template. `
      + 'With dryRun=true: every row with the line it makes or its errors, nothing stored. Without: every line is published as POST /lines publishes it, in one transaction, or none when any row has an error.',
  })
  @ApiConsumes('multipart/form-data')
  @ApiBody(UPLOAD_BODY)
  @ApiOkResponse({ type: ImportPreview, description: 'dryRun=true: every row as it would be published, or its errors; nothing stored' })
  @ApiCreatedResponse({ type: LineListView, description: "every row published, in the file's order" })
  @ApiProblems(413)
  async importLines(@CurrentPrincipal() principal: Principal, @UploadedFile() file: UploadedSheet | undefined, @Query() query: ImportQuery, @Res({ passthrough: true }) res: Response): Promise<ImportPreview | LineListView> {
    if (query.dryRun === 'true') {
      res.status(200);
      return this.imports.previewLines(file);
    }
    return { items: await this.imports.importLines(principal, file) };
  }

  @ApiTags('factory')
  @Roles('factory')
  @People(...EVERYONE)
  @Get('lines/import/template')
  @ApiOperation({ summary: 'The template for importing lines', description: 'Chinese headers (English ones are read too) and one example line, a hall of air-jet looms.' })
  @ApiProduces(...Object.keys(TEMPLATE_RESPONSE.content))
  @ApiOkResponse(TEMPLATE_RESPONSE)
  async lineTemplate(@Query() query: TemplateQuery, @Res() res: Response): Promise<void> {
    send(res, await lineTemplate(query.format ?? 'xlsx'));
  }
}
