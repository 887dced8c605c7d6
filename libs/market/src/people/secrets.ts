import { hash, verify } from '@node-rs/argon2';
import { createHash, createHmac, randomBytes, timingSafeEqual } from 'node:crypto';

/**
 * argon2id (the package's default algorithm) with OWASP's second configuration: 19 MiB, two
 * passes, one lane. Memory-hard, so a stolen table costs an attacker memory per guess.
 */
const ARGON2 = { memoryCost: 19_456, timeCost: 2, parallelism: 1 };

export function hashPassword(password: string): Promise<string> {
  return hash(password, ARGON2);
}

let dummy: Promise<string> | undefined;

/**
 * Checks a password against a stored hash; without one (no such person, or an invitation not yet
 * accepted) it still spends one verification, so the answer's timing does not tell whether an
 * address has an account.
 */
export async function passwordMatches(stored: string | null, password: string): Promise<boolean> {
  if (stored === null) {
    dummy ??= hashPassword(randomBytes(16).toString('hex'));
    await verify(await dummy, password).catch(() => false);
    return false;
  }
  return verify(stored, password).catch(() => false);
}

/** 32 random bytes: a session cookie, an invitation or a reset token. Stored only as SHA-256. */
export function newToken(): string {
  return randomBytes(32).toString('base64url');
}

export function hashToken(token: string): string {
  return createHash('sha256').update(token).digest('hex');
}

/**
 * The CSRF token of a session: an HMAC of its cookie, so it is bound to that session, needs no
 * storage, and cannot be computed by a page that cannot read the cookie (httpOnly).
 */
export function csrfTokenOf(sessionToken: string): string {
  return createHmac('sha256', sessionToken).update('cloudloom csrf').digest('base64url');
}

export function sameSecret(a: string, b: string): boolean {
  const x = createHash('sha256').update(a).digest();
  const y = createHash('sha256').update(b).digest();
  return timingSafeEqual(x, y);
}
