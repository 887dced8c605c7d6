import { Body, Controller, Get, Param, Post, Res, UploadedFile, UseInterceptors } from '@nestjs/common';
import { FileInterceptor } from '@nestjs/platform-express';
import { ApiBody, ApiConsumes, ApiCreatedResponse, ApiOkResponse, ApiOperation, ApiProduces, ApiTags } from '@nestjs/swagger';
import type { Response } from 'express';
import { ApiProblems } from '@cloudloom/platform';
import { CurrentPrincipal, EVERYONE, People, type Principal, Roles } from '../identity/principal';
import { ATTACHMENT_TYPES } from './content-type';
import { ATTACHMENT_KINDS } from './attachments.repository';
import { UploadAttachmentDto } from './attachments.dto';
import { AttachmentsService, type UploadedFile as File } from './attachments.service';
import { AttachmentListView, type AttachmentView, attachmentView, AttachmentView as AttachmentSchema } from './attachment.view';

@ApiTags('brand')
@Controller()
export class AttachmentsController {
  constructor(private readonly attachments: AttachmentsService) {}

  @Roles('brand')
  @People('owner', 'merchandiser')
  @Post('orders/:id/attachments')
  @UseInterceptors(FileInterceptor('file'))
  @ApiOperation({
    summary: 'Attach a file to an order',
    description: `The tech pack PDF, a sketch or a swatch photo (${ATTACHMENT_TYPES.join(', ')}, recognised by content; at most ATTACHMENT_MAX_KB). Shown to the factories offered work on the order and to nobody else.`,
  })
  @ApiConsumes('multipart/form-data')
  @ApiBody({ schema: { type: 'object', required: ['file'], properties: { file: { type: 'string', format: 'binary' }, kind: { type: 'string', enum: [...ATTACHMENT_KINDS] } } } })
  @ApiCreatedResponse({ type: AttachmentSchema })
  @ApiProblems(413)
  async attach(@CurrentPrincipal() principal: Principal, @Param('id') id: string, @UploadedFile() file: File | undefined, @Body() dto: UploadAttachmentDto): Promise<AttachmentView> {
    return attachmentView(await this.attachments.attach(principal, id, file, dto.kind));
  }

  @Roles('brand', 'factory')
  @People(...EVERYONE)
  @Get('orders/:id/attachments')
  @ApiOperation({ summary: "An order's attachments", description: 'For the brand and the factories that were offered work on the order.' })
  @ApiOkResponse({ type: AttachmentListView })
  async list(@CurrentPrincipal() principal: Principal, @Param('id') id: string): Promise<AttachmentListView> {
    return { items: (await this.attachments.list(principal, id)).map(attachmentView) };
  }

  @Roles('brand', 'factory')
  @People(...EVERYONE)
  @Get('attachments/:id')
  @ApiOperation({ summary: 'Download an attachment', description: "The file's bytes, as its recognised type, for the brand and the factories offered work on its order." })
  @ApiProduces(...ATTACHMENT_TYPES)
  @ApiOkResponse({ description: 'the file', content: Object.fromEntries(ATTACHMENT_TYPES.map((t) => [t, { schema: { type: 'string', format: 'binary' }, example: `(the ${t} file's bytes)` }])) })
  async download(@CurrentPrincipal() principal: Principal, @Param('id') id: string, @Res() res: Response): Promise<void> {
    const { attachment, bytes } = await this.attachments.download(principal, id);
    res.setHeader('Content-Type', attachment.contentType);
    res.setHeader('Content-Length', String(bytes.length));
    // Always a download, never rendered in the API's origin; the name in RFC 5987 form keeps 中文 names.
    res.setHeader('Content-Disposition', `attachment; filename="${attachment.fileName.replace(/[^\x20-\x7e]|["\\]/g, '_')}"; filename*=UTF-8''${encodeURIComponent(attachment.fileName)}`);
    res.setHeader('X-Content-Type-Options', 'nosniff');
    res.setHeader('Cache-Control', 'private, no-store');
    res.end(bytes);
  }
}
