import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * Change numbers on the ledger and on lines, from one sequence, so a long-lived worker keeps its
 * in-memory market current by reading only what changed since it last looked.
 * A factory's verification, activity and certifications change what its lines may take: those
 * updates bump the factory's lines too.
 */
export class LedgerVersions1764500000000 implements MigrationInterface {
  name = 'LedgerVersions1764500000000';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`CREATE SEQUENCE ledger_version`);
    await q.query(`ALTER TABLE capacity_days ADD COLUMN version bigint NOT NULL DEFAULT nextval('ledger_version')`);
    await q.query(`ALTER TABLE lines ADD COLUMN version bigint NOT NULL DEFAULT nextval('ledger_version')`);
    await q.query(`CREATE INDEX capacity_days_version ON capacity_days (version)`);
    await q.query(`CREATE INDEX lines_version ON lines (version)`);
    await q.query(`CREATE FUNCTION bump_ledger_version() RETURNS trigger LANGUAGE plpgsql AS $$
      BEGIN NEW.version := nextval('ledger_version'); RETURN NEW; END $$`);
    await q.query(`CREATE TRIGGER capacity_days_version BEFORE UPDATE ON capacity_days FOR EACH ROW EXECUTE FUNCTION bump_ledger_version()`);
    await q.query(`CREATE TRIGGER lines_version BEFORE UPDATE ON lines FOR EACH ROW EXECUTE FUNCTION bump_ledger_version()`);
    await q.query(`CREATE FUNCTION bump_factory_lines() RETURNS trigger LANGUAGE plpgsql AS $$
      BEGIN UPDATE lines SET version = nextval('ledger_version') WHERE factory_id = NEW.id; RETURN NEW; END $$`);
    await q.query(`CREATE TRIGGER organizations_lines_version AFTER UPDATE OF verified, active, certifications, auto_accept ON organizations
      FOR EACH ROW EXECUTE FUNCTION bump_factory_lines()`);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`DROP TRIGGER organizations_lines_version ON organizations`);
    await q.query(`DROP FUNCTION bump_factory_lines()`);
    await q.query(`DROP TRIGGER lines_version ON lines`);
    await q.query(`DROP TRIGGER capacity_days_version ON capacity_days`);
    await q.query(`DROP FUNCTION bump_ledger_version()`);
    await q.query(`ALTER TABLE lines DROP COLUMN version`);
    await q.query(`ALTER TABLE capacity_days DROP COLUMN version`);
    await q.query(`DROP SEQUENCE ledger_version`);
  }
}
