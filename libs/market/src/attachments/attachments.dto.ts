import { ApiPropertyOptional } from '@nestjs/swagger';
import { IsIn, IsOptional } from 'class-validator';
import { ATTACHMENT_KINDS, type AttachmentKind } from './attachments.repository';

/** The text fields of the upload beside its `file`. */
export class UploadAttachmentDto {
  @ApiPropertyOptional({ enum: ATTACHMENT_KINDS, example: 'tech_pack', description: 'default other' }) @IsOptional() @IsIn(ATTACHMENT_KINDS) kind?: AttachmentKind;
}
