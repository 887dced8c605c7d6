import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * A third kind of line: finishing (dyeing, printing, washing, coating), measured in meters per
 * day, the middle stage of a style order's chain (DESIGN.md §8). Its spec lives in the same
 * `spec` jsonb as the other kinds; only the kind's check widens.
 */
export class FinishingLines1765440000000 implements MigrationInterface {
  name = 'FinishingLines1765440000000';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`ALTER TABLE lines DROP CONSTRAINT lines_kind_check`);
    await q.query(`ALTER TABLE lines ADD CONSTRAINT lines_kind_check CHECK (kind IN ('weaving', 'sewing', 'finishing'))`);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`ALTER TABLE lines DROP CONSTRAINT lines_kind_check`);
    await q.query(`ALTER TABLE lines ADD CONSTRAINT lines_kind_check CHECK (kind IN ('weaving', 'sewing'))`);
  }
}
