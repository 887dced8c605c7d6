import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * People inside organizations (DESIGN.md §11): accounts with a role, their sessions, their
 * single-use tokens (invitation, password reset), sign-in failures per account and address, the
 * mail notifier's cursor, and who caused each event.
 *
 * - `people.organization_id` is NULL exactly for operator people: the operator is not a stored
 *   organization. An email belongs to one person across the platform, so a sign-in is never ambiguous.
 * - Secrets are stored as SHA-256 (session and single-use tokens: 32 random bytes) or argon2id
 *   (passwords); a TOTP secret must be readable to check codes, so it is stored as given.
 * - `events.actor`: `person:<id>`, `key:<id>`, `operator` (the environment's key) or NULL (the
 *   platform itself: matcher, sweep, expiry).
 */
export class People1765400000000 implements MigrationInterface {
  name = 'People1765400000000';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`CREATE TABLE people (
      id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
      organization_id uuid REFERENCES organizations(id) ON DELETE CASCADE,
      kind text NOT NULL CHECK (kind IN ('brand', 'factory', 'operator')),
      email text NOT NULL CHECK (email = lower(email)),
      password_hash text,
      role text NOT NULL,
      locale text NOT NULL DEFAULT 'zh-CN' CHECK (locale IN ('zh-CN', 'en')),
      notify text[] NOT NULL DEFAULT '{}',
      totp_secret text,
      totp_verified_at timestamptz,
      created_at timestamptz NOT NULL DEFAULT now(),
      CONSTRAINT people_email_unique UNIQUE (email),
      CONSTRAINT people_operator_has_no_organization CHECK ((kind = 'operator') = (organization_id IS NULL)),
      CONSTRAINT people_role_of_kind CHECK (
        (kind = 'brand' AND role IN ('owner', 'merchandiser', 'viewer')) OR
        (kind = 'factory' AND role IN ('owner', 'dispatcher', 'viewer')) OR
        (kind = 'operator' AND role = 'operator'))
    )`);
    await q.query(`CREATE INDEX people_organization ON people (organization_id)`);
    await q.query(`CREATE INDEX people_notify ON people USING gin (notify)`);
    await q.query(`CREATE TABLE sessions (
      id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
      person_id uuid NOT NULL REFERENCES people(id) ON DELETE CASCADE,
      token_hash text NOT NULL UNIQUE,
      created_at timestamptz NOT NULL DEFAULT now(),
      expires_at timestamptz NOT NULL,
      ended_at timestamptz
    )`);
    await q.query(`CREATE INDEX sessions_person ON sessions (person_id)`);
    await q.query(`CREATE TABLE person_tokens (
      id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
      person_id uuid NOT NULL REFERENCES people(id) ON DELETE CASCADE,
      purpose text NOT NULL CHECK (purpose IN ('invitation', 'reset')),
      token_hash text NOT NULL UNIQUE,
      created_at timestamptz NOT NULL DEFAULT now(),
      expires_at timestamptz NOT NULL,
      used_at timestamptz
    )`);
    await q.query(`CREATE INDEX person_tokens_person ON person_tokens (person_id)`);
    await q.query(`CREATE TABLE sign_in_failures (
      email text NOT NULL,
      address text NOT NULL,
      failures integer NOT NULL CHECK (failures > 0),
      last_failed_at timestamptz NOT NULL,
      locked_until timestamptz,
      PRIMARY KEY (email, address)
    )`);
    await q.query(`CREATE TABLE mail_cursor (
      id boolean PRIMARY KEY DEFAULT true CHECK (id),
      last_event_id bigint NOT NULL
    )`);
    // Mail about events starts with the events written from now on, not the whole history.
    await q.query(`INSERT INTO mail_cursor (last_event_id) SELECT coalesce(max(id), 0) FROM events`);
    await q.query(`ALTER TABLE events ADD COLUMN actor text CHECK (actor ~ '^(person:|key:)[0-9a-f-]{36}$' OR actor = 'operator')`);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`ALTER TABLE events DROP COLUMN actor`);
    await q.query(`DROP TABLE mail_cursor`);
    await q.query(`DROP TABLE sign_in_failures`);
    await q.query(`DROP TABLE person_tokens`);
    await q.query(`DROP TABLE sessions`);
    await q.query(`DROP TABLE people`);
  }
}
