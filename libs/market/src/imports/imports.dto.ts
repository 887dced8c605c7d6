import { ApiPropertyOptional } from '@nestjs/swagger';
import { IsIn, IsOptional } from 'class-validator';
import { TEMPLATE_FORMATS, type TemplateFormat } from './imports.view';

export class ImportQuery {
  @ApiPropertyOptional({ enum: ['true', 'false'], example: 'true', description: 'true: check every row and store nothing (the preview); absent or false: store every row, or none when any row has an error' })
  @IsOptional() @IsIn(['true', 'false'], { message: 'dryRun must be true or false' })
  dryRun?: 'true' | 'false';
}

export class TemplateQuery {
  @ApiPropertyOptional({ enum: TEMPLATE_FORMATS, example: 'xlsx', description: 'default xlsx' })
  @IsOptional() @IsIn(TEMPLATE_FORMATS, { message: 'format must be csv or xlsx' })
  format?: TemplateFormat;
}
