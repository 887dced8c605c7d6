import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import type { DataSource } from 'typeorm';

export const ATTACHMENT_KINDS = ['tech_pack', 'sketch', 'swatch_photo', 'other'] as const;
export type AttachmentKind = (typeof ATTACHMENT_KINDS)[number];

export interface AttachmentRow {
  readonly id: string;
  readonly orderId: string;
  readonly kind: AttachmentKind;
  readonly fileName: string;
  readonly contentType: string;
  readonly sizeBytes: number;
  readonly sha256: string;
  readonly storageKey: string;
  readonly createdAt: Date;
}

const SELECT = `SELECT id, order_id AS "orderId", kind, file_name AS "fileName", content_type AS "contentType", size_bytes AS "sizeBytes", sha256, storage_key AS "storageKey", created_at AS "createdAt" FROM attachments`;

/** Where attachments are stored: every read and write of the `attachments` table. */
@Injectable()
export class AttachmentsRepository {
  constructor(@InjectDataSource() private readonly db: DataSource) {}

  async insert(row: Omit<AttachmentRow, 'createdAt'>): Promise<AttachmentRow> {
    const [inserted] = await this.db.query<AttachmentRow[]>(
      `INSERT INTO attachments (id, order_id, kind, file_name, content_type, size_bytes, sha256, storage_key) VALUES ($1, $2, $3, $4, $5, $6, $7, $8)
       RETURNING id, order_id AS "orderId", kind, file_name AS "fileName", content_type AS "contentType", size_bytes AS "sizeBytes", sha256, storage_key AS "storageKey", created_at AS "createdAt"`,
      [row.id, row.orderId, row.kind, row.fileName, row.contentType, row.sizeBytes, row.sha256, row.storageKey],
    );
    return inserted!;
  }

  /** The order's attachments, oldest first. */
  ofOrder(orderId: string): Promise<AttachmentRow[]> {
    return this.db.query<AttachmentRow[]>(`${SELECT} WHERE order_id = $1 ORDER BY created_at, id`, [orderId]);
  }

  async find(id: string): Promise<AttachmentRow | null> {
    const [row] = await this.db.query<AttachmentRow[]>(`${SELECT} WHERE id = $1`, [id]);
    return row ?? null;
  }
}
