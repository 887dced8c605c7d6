import { Inject, Injectable, Logger } from '@nestjs/common';
import { createHash, randomUUID } from 'node:crypto';
import { invalid, notFound } from '@cloudloom/platform';
import { AllocationsRepository } from '../allocations/allocations.repository';
import { isUuid } from '../core/ids';
import type { Principal } from '../identity/principal';
import { OrdersRepository } from '../orders/orders.repository';
import { ATTACHMENT_STORE, type AttachmentStore } from './attachment-store';
import { type AttachmentKind, type AttachmentRow, AttachmentsRepository } from './attachments.repository';
import { sniffContentType } from './content-type';

/** A file as the upload hands it over (multer's memory storage). */
export interface UploadedFile {
  readonly originalname: string;
  readonly buffer: Buffer;
  readonly size: number;
}

// eslint-disable-next-line no-control-regex
const UNSAFE_IN_NAME = /[\u0000-\u001f\u007f-\u009f\u061c\u200b-\u200f\u202a-\u202e\u2060-\u2064\u2066-\u2069\ufeff/\\]/g;

/** The name to show: the client's, without path parts, controls or invisible characters, at most 200 characters. */
export function displayName(original: string): string {
  const cleaned = original.replace(UNSAFE_IN_NAME, '').trim().slice(0, 200);
  return cleaned === '' || cleaned === '.' || cleaned === '..' ? 'attachment' : cleaned;
}

/**
 * Files on an order: the brand attaches them; the brand and every factory that was offered work on
 * the order may list and download them; anyone else gets the 404 an unknown order gets.
 */
@Injectable()
export class AttachmentsService {
  private readonly logger = new Logger('attachments');

  constructor(
    private readonly attachments: AttachmentsRepository,
    private readonly orders: OrdersRepository,
    private readonly allocations: AllocationsRepository,
    @Inject(ATTACHMENT_STORE) private readonly store: AttachmentStore,
  ) {}

  /** The order, if the principal may see its attachments; else the 404 of an order that does not exist. */
  private async checkVisible(principal: Principal, orderId: string, brandOnly: boolean): Promise<void> {
    if (!isUuid(orderId)) throw notFound('Order');
    if (principal.kind === 'brand' && (await this.orders.findVisible(principal, orderId))) return;
    if (!brandOnly && principal.kind === 'factory' && (await this.allocations.offeredTo(orderId, principal.organizationId))) return;
    throw notFound('Order');
  }

  async attach(principal: Principal, orderId: string, file: UploadedFile | undefined, kind: AttachmentKind | undefined): Promise<AttachmentRow> {
    await this.checkVisible(principal, orderId, true);
    if (!file || file.size === 0) throw invalid('file', 'attach one non-empty file in the multipart field "file"');
    const contentType = sniffContentType(file.buffer);
    if (contentType === null) throw invalid('file', 'must be a PDF, PNG, JPEG or WebP file (recognised by its content, not its name)');
    const id = randomUUID();
    const storageKey = randomUUID();
    await this.store.put(storageKey, file.buffer);
    try {
      return await this.attachments.insert({
        id, orderId, kind: kind ?? 'other', fileName: displayName(file.originalname), contentType, sizeBytes: file.size,
        sha256: createHash('sha256').update(file.buffer).digest('hex'), storageKey,
      });
    } catch (error) {
      // Nothing half-written: the bytes go when their row could not be written (the order was deleted meanwhile, say).
      await this.store.delete(storageKey);
      throw error;
    }
  }

  async list(principal: Principal, orderId: string): Promise<AttachmentRow[]> {
    await this.checkVisible(principal, orderId, false);
    return this.attachments.ofOrder(orderId);
  }

  async download(principal: Principal, id: string): Promise<{ attachment: AttachmentRow; bytes: Buffer }> {
    const attachment = isUuid(id) ? await this.attachments.find(id) : null;
    if (!attachment) throw notFound('Attachment');
    try {
      await this.checkVisible(principal, attachment.orderId, false);
    } catch {
      throw notFound('Attachment');
    }
    const bytes = await this.store.get(attachment.storageKey);
    if (!bytes) {
      this.logger.error({ attachmentId: id }, 'attachment bytes missing from the store');
      throw notFound('Attachment');
    }
    return { attachment, bytes };
  }
}
