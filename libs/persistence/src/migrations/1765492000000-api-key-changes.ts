import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * Every change that can end an API key's access — a key revoked or deleted, an organization
 * suspended, removed or of another kind — notifies `api_key_changes` as it commits, so every API
 * process empties the keys it holds in memory at once (libs/market identity/key-cache.ts).
 * Statement triggers: one notification per statement, and PostgreSQL folds equal notifications
 * of one transaction into one.
 */
export class ApiKeyChanges1765492000000 implements MigrationInterface {
  name = 'ApiKeyChanges1765492000000';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`CREATE FUNCTION notify_api_key_changes() RETURNS trigger LANGUAGE plpgsql AS $$
      BEGIN
        PERFORM pg_notify('api_key_changes', '');
        RETURN NULL;
      END $$`);
    await q.query(`CREATE TRIGGER api_keys_changed AFTER UPDATE OR DELETE OR TRUNCATE ON api_keys FOR EACH STATEMENT EXECUTE FUNCTION notify_api_key_changes()`);
    await q.query(`CREATE TRIGGER organizations_access_changed AFTER UPDATE OF active, kind OR DELETE OR TRUNCATE ON organizations FOR EACH STATEMENT EXECUTE FUNCTION notify_api_key_changes()`);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`DROP TRIGGER organizations_access_changed ON organizations`);
    await q.query(`DROP TRIGGER api_keys_changed ON api_keys`);
    await q.query(`DROP FUNCTION notify_api_key_changes()`);
  }
}
