import { FileInterceptor } from '@nestjs/platform-express';
import type { ApiBodyOptions } from '@nestjs/swagger';
import type { Response } from 'express';
import type { Template } from './template';

/** The largest upload: a few hundred rows are a few tens of KB, as CSV or .xlsx. */
export const IMPORT_MAX_BYTES = 1024 * 1024;

/** The file stays in memory, bounded, and is read only by the import; one file part and nothing else. */
export const SheetUpload = (): ReturnType<typeof FileInterceptor> => FileInterceptor('file', { limits: { fileSize: IMPORT_MAX_BYTES, files: 1, fields: 0, parts: 1 } });

export const SHEET_UPLOAD_BODY: ApiBodyOptions = {
  schema: { type: 'object', required: ['file'], properties: { file: { type: 'string', format: 'binary', description: 'a CSV file or an Excel workbook (.xlsx); its first sheet is read' } } },
};

export const TEMPLATE_RESPONSE = {
  description: 'the template: Chinese headers and one example row',
  content: {
    'text/csv': { schema: { type: 'string' }, example: '数量,交期,...' },
    'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet': { schema: { type: 'string', format: 'binary' }, example: "(the workbook's bytes)" },
  },
};
export const TEMPLATE_TYPES = Object.keys(TEMPLATE_RESPONSE.content);

/** A template as a download; the name in RFC 5987 form keeps 中文 names. */
export function sendTemplate(res: Response, template: Template): void {
  res.setHeader('Content-Type', template.contentType);
  res.setHeader('Content-Disposition', `attachment; filename="template.${template.format}"; filename*=UTF-8''${encodeURIComponent(template.fileName)}`);
  res.setHeader('X-Content-Type-Options', 'nosniff');
  res.end(template.bytes);
}
