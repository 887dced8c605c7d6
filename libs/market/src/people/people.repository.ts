import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import type { OrganizationKind } from '@cloudloom/persistence';
import type { DataSource, EntityManager } from 'typeorm';
import type { PersonRole } from '../identity/principal';

export type Locale = 'zh-CN' | 'en';
export type TokenPurpose = 'invitation' | 'reset';

export interface PersonRow {
  id: string;
  organizationId: string | null;
  kind: OrganizationKind;
  email: string;
  passwordHash: string | null;
  role: PersonRole;
  locale: Locale;
  notify: string[];
  totpSecret: string | null;
  totpVerifiedAt: Date | null;
  /** The TOTP time step of the last good code: a code of that step or an earlier one is refused. */
  totpLastStep: number | null;
  createdAt: Date;
}

/** The columns of a person, written once; `p` is the table's alias where a query joins. */
const personColumns = (p = ''): string => {
  const a = p ? `${p}.` : '';
  return `${a}id, ${a}organization_id AS "organizationId", ${a}kind, ${a}email, ${a}password_hash AS "passwordHash", ${a}role, ${a}locale, ${a}notify,
  ${a}totp_secret AS "totpSecret", ${a}totp_verified_at AS "totpVerifiedAt", ${a}totp_last_step::float8 AS "totpLastStep", ${a}created_at AS "createdAt"`;
};
const PERSON = personColumns();

type Runner = Pick<EntityManager, 'query'>;

/**
 * The home of `people`, `sessions`, `person_tokens` and `sign_in_failures`: every read and write
 * of them. Secrets arrive here already hashed.
 */
@Injectable()
export class PeopleRepository {
  constructor(@InjectDataSource() private readonly db: DataSource) {}

  /** Outside a transaction: a single statement is its own. */
  runner(): Runner {
    return this.db;
  }

  transaction<T>(work: (m: EntityManager) => Promise<T>): Promise<T> {
    return this.db.transaction(work);
  }

  /** A new person; `null` when the email is taken (one person per address on the platform). */
  async insert(m: Runner, person: { organizationId: string | null; kind: OrganizationKind; email: string; role: PersonRole; locale: Locale; passwordHash: string | null; totpSecret?: string | null }): Promise<PersonRow | null> {
    const rows: PersonRow[] = await m.query(
      `INSERT INTO people (organization_id, kind, email, role, locale, password_hash, totp_secret) VALUES ($1, $2, $3, $4, $5, $6, $7)
       ON CONFLICT (email) DO NOTHING RETURNING ${PERSON}`,
      [person.organizationId, person.kind, person.email, person.role, person.locale, person.passwordHash, person.totpSecret ?? null],
    );
    return rows[0] ?? null;
  }

  async byEmail(email: string): Promise<PersonRow | null> {
    const rows: PersonRow[] = await this.db.query(`SELECT ${PERSON} FROM people WHERE email = $1`, [email]);
    return rows[0] ?? null;
  }

  async byId(id: string, m: Runner = this.db): Promise<PersonRow | null> {
    const rows: PersonRow[] = await m.query(`SELECT ${PERSON} FROM people WHERE id = $1`, [id]);
    return rows[0] ?? null;
  }

  /** One person of one organization (the operator's people: `organizationId` null), locked for a change. */
  async lockInOrganization(m: Runner, kind: OrganizationKind, organizationId: string | null, id: string): Promise<PersonRow | null> {
    const rows: PersonRow[] = await m.query(
      `SELECT ${PERSON} FROM people WHERE id = $1 AND kind = $2 AND organization_id IS NOT DISTINCT FROM $3 FOR UPDATE`,
      [id, kind, organizationId],
    );
    return rows[0] ?? null;
  }

  async ofOrganization(kind: OrganizationKind, organizationId: string | null): Promise<PersonRow[]> {
    return this.db.query(`SELECT ${PERSON} FROM people WHERE kind = $1 AND organization_id IS NOT DISTINCT FROM $2 ORDER BY created_at, id`, [kind, organizationId]);
  }

  /** Owners with a password (able to act), locked, so two changes cannot remove the last one. */
  async lockOwners(m: Runner, kind: OrganizationKind, organizationId: string | null): Promise<string[]> {
    const rows: { id: string }[] = await m.query(
      `SELECT id FROM people WHERE kind = $1 AND organization_id IS NOT DISTINCT FROM $2 AND role IN ('owner', 'operator') ORDER BY id FOR UPDATE`,
      [kind, organizationId],
    );
    return rows.map((r) => r.id);
  }

  async update(m: Runner, id: string, changes: { role?: PersonRole; locale?: Locale; notify?: string[]; passwordHash?: string; totpSecret?: string; totpVerifiedAt?: Date }): Promise<void> {
    const columns: Record<string, unknown> = {
      role: changes.role,
      locale: changes.locale,
      notify: changes.notify,
      password_hash: changes.passwordHash,
      totp_secret: changes.totpSecret,
      totp_verified_at: changes.totpVerifiedAt,
    };
    const set = Object.entries(columns).filter(([, v]) => v !== undefined);
    if (set.length === 0) return;
    await m.query(`UPDATE people SET ${set.map(([c], i) => `${c} = $${i + 2}`).join(', ')} WHERE id = $1`, [id, ...set.map(([, v]) => v)]);
  }

  /**
   * Takes a TOTP time step for a sign-in, once: false when this step (or a later one) was taken
   * already, by an earlier sign-in or by a request racing this one.
   */
  async claimTotpStep(id: string, step: number): Promise<boolean> {
    const rows = await this.runner().query<{ id: string }[]>(
      // In a CTE: TypeORM answers a bare UPDATE with [rows, count], a SELECT with the rows.
      `WITH taken AS (UPDATE people SET totp_last_step = $2 WHERE id = $1 AND (totp_last_step IS NULL OR totp_last_step < $2) RETURNING id)
       SELECT id FROM taken`,
      [id, step],
    );
    return rows.length === 1;
  }

  async remove(m: Runner, id: string): Promise<void> {
    await m.query(`DELETE FROM people WHERE id = $1`, [id]);
  }

  /** People who asked for mail about any of these event types and may see an event of this audience. */
  async subscribers(types: readonly string[]): Promise<PersonRow[]> {
    return this.db.query(`SELECT ${PERSON} FROM people WHERE notify && $1::text[] AND password_hash IS NOT NULL`, [types]);
  }

  // sessions

  async insertSession(m: Runner, personId: string, tokenHash: string, expiresAt: Date): Promise<string> {
    const rows: { id: string }[] = await m.query(`INSERT INTO sessions (person_id, token_hash, expires_at) VALUES ($1, $2, $3) RETURNING id`, [personId, tokenHash, expiresAt]);
    return rows[0]!.id;
  }

  /** The live session of this token and its person. */
  async sessionByToken(tokenHash: string): Promise<{ sessionId: string; person: PersonRow } | null> {
    const rows: (PersonRow & { sessionId: string })[] = await this.db.query(
      `SELECT s.id AS "sessionId", ${personColumns('p')}
       FROM sessions s JOIN people p ON p.id = s.person_id
       LEFT JOIN organizations o ON o.id = p.organization_id
       WHERE s.token_hash = $1 AND s.ended_at IS NULL AND s.expires_at > now() AND p.password_hash IS NOT NULL
         AND (p.organization_id IS NULL OR o.active)`,
      [tokenHash],
    );
    const row = rows[0];
    if (!row) return null;
    const { sessionId, ...person } = row;
    return { sessionId, person };
  }

  async endSession(sessionId: string): Promise<void> {
    await this.db.query(`UPDATE sessions SET ended_at = now() WHERE id = $1 AND ended_at IS NULL`, [sessionId]);
  }

  /** After a password change or a removal from the organization, no session of the person lives on. */
  async endSessionsOf(m: Runner, personId: string): Promise<void> {
    await m.query(`UPDATE sessions SET ended_at = now() WHERE person_id = $1 AND ended_at IS NULL`, [personId]);
  }

  // single-use tokens

  async insertToken(m: Runner, personId: string, purpose: TokenPurpose, tokenHash: string, expiresAt: Date): Promise<void> {
    await m.query(`INSERT INTO person_tokens (person_id, purpose, token_hash, expires_at) VALUES ($1, $2, $3, $4)`, [personId, purpose, tokenHash, expiresAt]);
  }

  /**
   * Uses a token: marks it used and answers its person, or null when it is unknown, used,
   * expired or for another purpose. One statement, so a token works exactly once under races.
   */
  async useToken(m: Runner, purpose: TokenPurpose, tokenHash: string): Promise<string | null> {
    const rows: { personId: string }[] = await m.query(
      // In a WITH so the driver answers rows (a bare UPDATE answers [rows, count]).
      `WITH used AS (UPDATE person_tokens SET used_at = now() WHERE token_hash = $1 AND purpose = $2 AND used_at IS NULL AND expires_at > now() RETURNING person_id)
       SELECT person_id AS "personId" FROM used`,
      [tokenHash, purpose],
    );
    return rows[0]?.personId ?? null;
  }

  // sign-in failures (per account and address)

  async failures(email: string, address: string): Promise<{ failures: number; lockedUntil: Date | null } | null> {
    const rows: { failures: number; lockedUntil: Date | null }[] = await this.db.query(
      `SELECT failures, locked_until AS "lockedUntil" FROM sign_in_failures WHERE email = $1 AND address = $2`,
      [email, address],
    );
    return rows[0] ?? null;
  }

  /**
   * Counts a failure and sets the wait the next attempt must respect: none below `threshold`
   * failures, then 5 s doubling per further failure up to `maxSeconds`. A count whose last
   * failure is older than `maxSeconds` starts again, so no lock outlives its longest wait.
   */
  async recordFailure(email: string, address: string, threshold: number, maxSeconds: number): Promise<{ failures: number; lockedUntil: Date | null }> {
    // The count this failure makes, written once for the insert and the update.
    const count = `CASE WHEN f.last_failed_at < now() - make_interval(secs => $4) THEN 1 ELSE f.failures + 1 END`;
    const lock = (n: string): string => `CASE WHEN ${n} >= $3 THEN now() + make_interval(secs => least($4::float8, 5 * power(2, ${n} - $3)::float8)) END`;
    const rows: { failures: number; lockedUntil: Date | null }[] = await this.db.query(
      `INSERT INTO sign_in_failures AS f (email, address, failures, last_failed_at, locked_until) VALUES ($1, $2, 1, now(), ${lock('1')})
       ON CONFLICT (email, address) DO UPDATE SET failures = ${count}, last_failed_at = now(), locked_until = ${lock(count)}
       RETURNING failures, locked_until AS "lockedUntil"`,
      [email, address, threshold, maxSeconds],
    );
    return rows[0]!;
  }

  async clearFailures(email: string, address?: string): Promise<void> {
    if (address === undefined) await this.db.query(`DELETE FROM sign_in_failures WHERE email = $1`, [email]);
    else await this.db.query(`DELETE FROM sign_in_failures WHERE email = $1 AND address = $2`, [email, address]);
  }
}
