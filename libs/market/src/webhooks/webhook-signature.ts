import { createHmac, randomBytes } from 'node:crypto';

/** The header every delivery carries (docs/webhooks.md shows a receiver checking it). */
export const SIGNATURE_HEADER = 'X-Cloudloom-Signature';

/** `t=<unix seconds>,v1=<hex HMAC-SHA256 of "<t>.<body>">`: the time is signed so a replay can be told by its age. */
export function signature(secret: string, body: string, unixSeconds: number): string {
  const v1 = createHmac('sha256', secret).update(`${unixSeconds}.${body}`).digest('hex');
  return `t=${unixSeconds},v1=${v1}`;
}

/** A new signing secret: 32 random bytes, with a prefix that says what it is if it turns up in a log. */
export function newSecret(): string {
  return `whsec_${randomBytes(32).toString('base64url')}`;
}
