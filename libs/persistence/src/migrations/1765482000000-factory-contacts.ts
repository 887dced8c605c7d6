import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * A mill's contacts (a person's name, a phone, a WeChat ID) for the brands it works for: one
 * small object on the organization, read with it, never a table of its own.
 */
export class FactoryContacts1765482000000 implements MigrationInterface {
  name = 'FactoryContacts1765482000000';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`ALTER TABLE organizations ADD COLUMN contacts jsonb NOT NULL DEFAULT '{}' CHECK (jsonb_typeof(contacts) = 'object')`);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`ALTER TABLE organizations DROP COLUMN contacts`);
  }
}
