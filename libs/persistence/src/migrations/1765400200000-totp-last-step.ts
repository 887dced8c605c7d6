import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * The last TOTP time step an operator signed in with: a code is good once, so a code seen over
 * a shoulder or replayed from a log within its 30 s window opens nothing.
 */
export class TotpLastStep1765400200000 implements MigrationInterface {
  name = 'TotpLastStep1765400200000';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`ALTER TABLE people ADD COLUMN totp_last_step bigint`);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`ALTER TABLE people DROP COLUMN totp_last_step`);
  }
}
