import { Controller, Get, HttpCode, Post, Query, Res, UploadedFile, UseInterceptors } from '@nestjs/common';
import { ApiBody, ApiConsumes, ApiCreatedResponse, ApiExtraModels, ApiOkResponse, ApiOperation, ApiProduces, ApiTags } from '@nestjs/swagger';
import type { Response } from 'express';
import { ApiProblems } from '@cloudloom/platform';
import { CurrentPrincipal, EVERYONE, People, type Principal, Roles } from '../identity/principal';
import { ImportQuery, TemplateQuery } from '../imports/imports.dto';
import { ImportPreview } from '../imports/imports.view';
import type { UploadedSheet } from '../imports/sheet-import';
import { IMPORT_MAX_BYTES, SHEET_UPLOAD_BODY, SheetUpload, sendTemplate, TEMPLATE_RESPONSE, TEMPLATE_TYPES } from '../imports/upload';
import { LineImportService, MAX_LINE_ROWS } from './line-import.service';
import { LineListView } from './line.view';

/** Lines from a spreadsheet: `dryRun=true` to see every row, then the same file to publish them all. */
@ApiTags('factory')
@ApiExtraModels(ImportPreview)
@Roles('factory')
@Controller('lines/import')
export class LineImportController {
  constructor(private readonly imports: LineImportService) {}

  @People('owner', 'dispatcher')
  @Post()
  @HttpCode(201)
  @UseInterceptors(SheetUpload())
  @ApiOperation({
    summary: 'Import production lines from a CSV file or an Excel workbook',
    description: `One line a row (at most ${MAX_LINE_ROWS} rows, ${IMPORT_MAX_BYTES / 1024} KB), each kind filling its own columns, headers in Chinese or English as in GET /lines/import/template. `
      + 'With dryRun=true: every row with the line it makes or its errors, nothing stored. Without: every line is published as POST /lines publishes it, in one transaction, or none when any row has an error.',
  })
  @ApiConsumes('multipart/form-data')
  @ApiBody(SHEET_UPLOAD_BODY)
  @ApiOkResponse({ type: ImportPreview, description: 'dryRun=true: every row as it would be published, or its errors; nothing stored' })
  @ApiCreatedResponse({ type: LineListView, description: "every row published, in the file's order" })
  @ApiProblems(413)
  async import(@CurrentPrincipal() principal: Principal, @UploadedFile() file: UploadedSheet | undefined, @Query() query: ImportQuery, @Res({ passthrough: true }) res: Response): Promise<ImportPreview | LineListView> {
    if (query.dryRun === 'true') {
      res.status(200);
      return this.imports.preview(file);
    }
    return { items: await this.imports.import(principal, file) };
  }

  @People(...EVERYONE)
  @Get('template')
  @ApiOperation({ summary: 'The template for importing lines', description: 'Chinese headers (English ones are read too) and one example line, a hall of air-jet looms.' })
  @ApiProduces(...TEMPLATE_TYPES)
  @ApiOkResponse(TEMPLATE_RESPONSE)
  async template(@Query() query: TemplateQuery, @Res() res: Response): Promise<void> {
    sendTemplate(res, await this.imports.template(query.format ?? 'xlsx'));
  }
}
