import { Controller, Get, HttpCode, Post, Query, Res, UploadedFile, UseInterceptors } from '@nestjs/common';
import { ApiAcceptedResponse, ApiBody, ApiConsumes, ApiExtraModels, ApiHeader, ApiOkResponse, ApiOperation, ApiProduces, ApiTags } from '@nestjs/swagger';
import type { Response } from 'express';
import { ApiProblems } from '@cloudloom/platform';
import { IdempotencyKey } from '../core/idempotency-key';
import { CurrentPrincipal, EVERYONE, People, type Principal, Roles } from '../identity/principal';
import { ImportQuery, TemplateQuery } from '../imports/imports.dto';
import { ImportPreview } from '../imports/imports.view';
import type { UploadedSheet } from '../imports/sheet-import';
import { IMPORT_MAX_BYTES, SHEET_UPLOAD_BODY, SheetUpload, sendTemplate, TEMPLATE_RESPONSE, TEMPLATE_TYPES } from '../imports/upload';
import { MAX_ORDER_ROWS, OrderImportService } from './order-import.service';
import { OrderListView, POSTED_ORDER_EXAMPLE } from './order.view';

/**
 * Orders from a spreadsheet: the same request twice, first with `dryRun=true` to see every row
 * as it would be stored or why it would not, then without to store them all.
 */
@ApiTags('brand')
@ApiExtraModels(ImportPreview)
@Roles('brand')
@Controller('orders/import')
export class OrderImportController {
  constructor(private readonly imports: OrderImportService) {}

  @People('owner', 'merchandiser')
  @Post()
  @HttpCode(202)
  @UseInterceptors(SheetUpload())
  @ApiOperation({
    summary: 'Import orders from a CSV file or an Excel workbook',
    description: `One fabric or garment order a row (at most ${MAX_ORDER_ROWS} rows, ${IMPORT_MAX_BYTES / 1024} KB), headers in Chinese or English as in GET /orders/import/template. `
      + 'With dryRun=true: every row with the order it makes or its errors (row, column, code), nothing stored. Without: every row is stored as POST /orders/batch stores it, or none when any row has an error (a 400 naming each as rows.<row>.<field>), so the corrected file can be sent again as a whole.',
  })
  @ApiConsumes('multipart/form-data')
  @ApiBody(SHEET_UPLOAD_BODY)
  @ApiHeader({ name: 'Idempotency-Key', required: false, description: 'a retry with the same key returns the first orders' })
  @ApiOkResponse({ type: ImportPreview, description: 'dryRun=true: every row as it would be stored, or its errors; nothing stored' })
  @ApiAcceptedResponse({ type: OrderListView, example: { items: [POSTED_ORDER_EXAMPLE] }, description: "every row stored and queued, in the file's order" })
  @ApiProblems(413, 422)
  async import(
    @CurrentPrincipal() principal: Principal, @UploadedFile() file: UploadedSheet | undefined, @Query() query: ImportQuery, @Res({ passthrough: true }) res: Response, @IdempotencyKey() key?: string,
  ): Promise<ImportPreview | OrderListView> {
    if (query.dryRun === 'true') {
      res.status(200);
      return this.imports.preview(file);
    }
    return { items: await this.imports.import(principal, file, key) };
  }

  @People(...EVERYONE)
  @Get('template')
  @ApiOperation({ summary: 'The template for importing orders', description: 'Chinese headers (English ones are read too) and one example order, due 30 days from today.' })
  @ApiProduces(...TEMPLATE_TYPES)
  @ApiOkResponse(TEMPLATE_RESPONSE)
  async template(@Query() query: TemplateQuery, @Res() res: Response): Promise<void> {
    sendTemplate(res, await this.imports.template(query.format ?? 'xlsx'));
  }
}
