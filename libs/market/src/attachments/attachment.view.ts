import { ApiProperty } from '@nestjs/swagger';
import { EXAMPLE } from '../core/openapi-examples';
import { ATTACHMENT_TYPES } from './content-type';
import { ATTACHMENT_KINDS, type AttachmentKind, type AttachmentRow } from './attachments.repository';

/** A file on an order, as the brand and the factories offered its work see it (never where it is stored). */
export class AttachmentView {
  @ApiProperty({ format: 'uuid', example: '3d7f1b9a-6c2e-4a8d-b5f1-9e3c7a1d5b20' }) id!: string;
  @ApiProperty({ format: 'uuid', example: EXAMPLE.orderId }) orderId!: string;
  @ApiProperty({ enum: ATTACHMENT_KINDS, example: 'tech_pack' }) kind!: AttachmentKind;
  @ApiProperty({ example: 'polo-PL2607 tech pack.pdf' }) fileName!: string;
  @ApiProperty({ enum: ATTACHMENT_TYPES, example: 'application/pdf', description: 'recognised from the content, not the name' }) contentType!: string;
  @ApiProperty({ example: 482133 }) sizeBytes!: number;
  @ApiProperty({ example: '9f2c...e1', description: 'SHA-256 of the bytes, hex' }) sha256!: string;
  @ApiProperty({ example: '/api/v1/attachments/3d7f1b9a-6c2e-4a8d-b5f1-9e3c7a1d5b20', description: 'where to download it' }) url!: string;
  @ApiProperty({ format: 'date-time', example: EXAMPLE.dateTime }) createdAt!: string;
}

export class AttachmentListView {
  @ApiProperty({ type: [AttachmentView] }) items!: AttachmentView[];
}

export function attachmentView(a: AttachmentRow): AttachmentView {
  return { id: a.id, orderId: a.orderId, kind: a.kind, fileName: a.fileName, contentType: a.contentType, sizeBytes: a.sizeBytes, sha256: a.sha256, url: `/api/v1/attachments/${a.id}`, createdAt: a.createdAt.toISOString() };
}
