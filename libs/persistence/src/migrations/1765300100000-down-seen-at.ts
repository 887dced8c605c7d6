import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * When the platform first received a machine's current run of `down` readings. A loom takes its
 * share off the ledger once it has been down for the bound in the platform's time, not only in the
 * readings' own times: a gateway (or a factory) sending readings dated an hour back could otherwise
 * shed the line's work, running production included, the moment they arrive. Machines down now
 * keep their current standing (seen since their run began).
 */
export class DownSeenAt1765300100000 implements MigrationInterface {
  name = 'DownSeenAt1765300100000';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`ALTER TABLE machines ADD COLUMN down_seen_at timestamptz`);
    await q.query(`UPDATE machines SET down_seen_at = down_since WHERE state = 'down'`);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`ALTER TABLE machines DROP COLUMN down_seen_at`);
  }
}
