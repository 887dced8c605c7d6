import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * Files on an order (the tech pack PDF, sketches, swatch photos). The bytes live behind the
 * attachment store (a local folder by default) under `storage_key`; the row says what they are.
 * `content_type` is what the bytes were recognised as (magic numbers), never what the client said.
 */
export class Attachments1765450100000 implements MigrationInterface {
  name = 'Attachments1765450100000';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`
      CREATE TABLE attachments (
        id uuid PRIMARY KEY,
        order_id uuid NOT NULL REFERENCES orders(id) ON DELETE CASCADE,
        kind text NOT NULL CHECK (kind IN ('tech_pack', 'sketch', 'swatch_photo', 'other')),
        file_name text NOT NULL CHECK (length(file_name) BETWEEN 1 AND 200),
        content_type text NOT NULL,
        size_bytes integer NOT NULL CHECK (size_bytes > 0),
        sha256 text NOT NULL,
        storage_key text NOT NULL UNIQUE,
        created_at timestamptz NOT NULL DEFAULT now()
      )`);
    await q.query(`CREATE INDEX attachments_order ON attachments (order_id, created_at)`);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`DROP TABLE attachments`);
  }
}
