import { Inject, Injectable } from '@nestjs/common';
import { verify as verifyTotp } from 'otplib';
import { type AppConfig, APP_CONFIG, DomainError } from '@cloudloom/platform';
import { OPERATOR_ORGANIZATION_ID, type Principal } from '../identity/principal';
import { Mailer } from '../mail/mailer';
import { resetMail } from '../mail/templates';
import { PeopleRepository, type PersonRow } from './people.repository';
import { csrfTokenOf, hashPassword, hashToken, newToken, passwordMatches } from './secrets';

/** A reset link works this long, once. */
export const RESET_TTL_MINUTES = 30;

/** Sign-in refused for now: the caller sets `Retry-After` from `retryAfterSeconds`. */
export class SignInLocked extends DomainError {
  constructor(readonly retryAfterSeconds: number) {
    super('RATE_LIMITED', `Too many failed sign-ins for this account from this address: wait ${retryAfterSeconds} s`);
  }
}

const WRONG = (): DomainError => new DomainError('UNAUTHORIZED', 'Email or password is wrong');

/** Where a link in a mail points: the console, with the token in the fragment (never sent to a server). */
export function consoleLink(config: AppConfig, page: string, token?: string): string {
  return `${config.publicUrl}/#/${page}${token ? `?token=${token}` : ''}`;
}

/**
 * Signing in and out, the session behind a cookie, and password resets (docs/security.md).
 * A session token is 32 random bytes in an httpOnly cookie; only its SHA-256 is stored, and
 * ending a session is a row update, so a copied cookie dies with it.
 */
@Injectable()
export class SessionsService {
  constructor(
    private readonly people: PeopleRepository,
    private readonly mailer: Mailer,
    @Inject(APP_CONFIG) private readonly config: AppConfig,
  ) {}

  /**
   * Email and password (and, for operators, a TOTP code). Failures count per account and
   * address: from the threshold on, each further failure doubles the wait (5 s, 10 s, ...) up to
   * the maximum, and the count starts over once the maximum has passed without a failure. So a
   * guesser slows down to a crawl, while the account's owner, from another address, is never
   * locked out, and from the same one waits at most the maximum.
   */
  async signIn(emailGiven: string, password: string, totpCode: string | undefined, address: string): Promise<{ token: string; csrfToken: string; person: PersonRow; expiresAt: Date }> {
    const email = emailGiven.trim().toLowerCase();
    const { signInFailuresBeforeLock: threshold, signInLockMaxSeconds: maxSeconds } = this.config.people;
    const before = await this.people.failures(email, address);
    if (before?.lockedUntil && before.lockedUntil.getTime() > Date.now()) throw new SignInLocked(Math.ceil((before.lockedUntil.getTime() - Date.now()) / 1000));
    const person = await this.people.byEmail(email);
    const fail = async (): Promise<never> => {
      await this.people.recordFailure(email, address, threshold, maxSeconds);
      throw WRONG();
    };
    if (!(await passwordMatches(person?.passwordHash ?? null, password)) || !person) return fail();
    if (person.kind === 'operator') {
      if (!person.totpSecret) return fail();
      if (totpCode === undefined) throw new DomainError('SECOND_FACTOR_REQUIRED', 'Operators sign in with a second factor: send totpCode, the 6-digit code of your authenticator app');
      // A code is good once: steps up to the last one used are skipped, and the step is claimed
      // atomically, so a replayed code (or two sign-ins racing with one code) gets one session.
      const afterTimeStep = person.totpLastStep ?? undefined;
      const checked: { valid: boolean; timeStep?: number } = await verifyTotp({ secret: person.totpSecret, token: totpCode, epochTolerance: 30, afterTimeStep })
        .catch(() => ({ valid: false }));
      if (!checked.valid || checked.timeStep === undefined || !(await this.people.claimTotpStep(person.id, checked.timeStep))) return fail();
      // The first good code completes the enrolment begun when the invitation was accepted.
      if (!person.totpVerifiedAt) await this.people.update(this.people.runner(), person.id, { totpVerifiedAt: new Date() });
    }
    await this.people.clearFailures(email, address);
    const token = newToken();
    const expiresAt = new Date(Date.now() + this.config.people.sessionTtlHours * 3_600_000);
    await this.people.insertSession(this.people.runner(), person.id, hashToken(token), expiresAt);
    return { token, csrfToken: csrfTokenOf(token), person, expiresAt };
  }

  /** The person behind a session cookie, as the guard sees callers; undefined for an unknown, ended or expired session. */
  async resolve(token: string): Promise<Principal | undefined> {
    const found = await this.people.sessionByToken(hashToken(token));
    if (!found) return undefined;
    const { person, sessionId } = found;
    return { organizationId: person.organizationId ?? OPERATOR_ORGANIZATION_ID, kind: person.kind, person: { id: person.id, role: person.role, sessionId } };
  }

  async signOut(principal: Principal): Promise<void> {
    if (principal.person) await this.people.endSession(principal.person.sessionId);
  }

  /**
   * Mails a single-use reset link when the address has an account; answers the same either way,
   * so the route does not tell who has one.
   */
  async requestReset(emailGiven: string): Promise<void> {
    const person = await this.people.byEmail(emailGiven.trim().toLowerCase());
    if (!person) return;
    const token = newToken();
    await this.people.insertToken(this.people.runner(), person.id, 'reset', hashToken(token), new Date(Date.now() + RESET_TTL_MINUTES * 60_000));
    this.mailer.sendLater(resetMail(person.email, person.locale, consoleLink(this.config, 'reset', token), RESET_TTL_MINUTES), 'reset');
  }

  /** Sets a new password with a reset token (once); every session of the person ends and the sign-in failures are forgotten. */
  async resetPassword(token: string, password: string): Promise<void> {
    const email = await this.people.transaction(async (m) => {
      const personId = await this.people.useToken(m, 'reset', hashToken(token));
      if (!personId) throw new DomainError('VALIDATION_FAILED', 'token: this reset link is unknown, used or expired; ask for a new one', [{ field: 'token', message: 'unknown, used or expired' }]);
      // Hashed only once the token is known good: a stranger's guesses cost no argon2 time.
      await this.people.update(m, personId, { passwordHash: await hashPassword(password) });
      await this.people.endSessionsOf(m, personId);
      return (await this.people.byId(personId, m))!.email;
    });
    await this.people.clearFailures(email);
  }
}
