import { randomBytes } from 'node:crypto';

export const LOT_KINDS = ['roll', 'batch', 'bundle', 'carton'] as const;
export type LotKind = (typeof LOT_KINDS)[number];

/** Crockford's base32: no I, L, O or U, so a code read aloud or off a worn label is not misread. */
const CROCKFORD = '0123456789ABCDEFGHJKMNPQRSTVWXYZ';
/** ISO 7064 MOD 37-2 reads letters and digits; its check character is one of them or `*`. */
const CHECK = '0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZ*';
/** 16 base32 characters: 80 random bits, so codes cannot be guessed or enumerated. */
export const CODE_LENGTH = 16;

/**
 * ISO/IEC 7064 MOD 37-2 (a pure system, weights powers of 2 modulo the prime 37): one check
 * character that catches every single wrong character and every swap of two neighbours, the check
 * character included; the two commonest typing errors. (The hybrid MOD 37,36 misses some swaps.)
 */
export function checkCharacter(code: string): string {
  let p = 0;
  for (const ch of code) p = ((p + CHECK.indexOf(ch)) * 2) % 37;
  return CHECK[(38 - p) % 37]!;
}

/** A fresh code: 80 random bits in Crockford base32, then the check character. */
export function newCode(): string {
  const bytes = randomBytes(10);
  let bits = 0n;
  for (const b of bytes) bits = (bits << 8n) | BigInt(b);
  let code = '';
  for (let i = 0; i < CODE_LENGTH; i++) code += CROCKFORD[Number((bits >> BigInt(5 * (CODE_LENGTH - 1 - i))) & 31n)];
  return code + checkCharacter(code);
}

export function formatIdentifier(prefix: string, kind: LotKind, code: string): string {
  return `${prefix}/${kind}.${code}`;
}

export type ParsedIdentifier =
  | { readonly ok: true; readonly identifier: string; readonly kind: LotKind }
  | { readonly ok: false; readonly reason: 'shape' | 'checksum' };

const SHAPE = new RegExp(`^([A-Za-z0-9][A-Za-z0-9.-]{0,31})/(${LOT_KINDS.join('|')})\\.([0-9A-Za-z*]{${CODE_LENGTH}})([0-9A-Za-z*])$`);

/**
 * Reads an identifier as typed or scanned: the code's letters in either case. A well-formed
 * identifier whose check character does not match is a typing error (`checksum`), told apart
 * from one that is merely unknown. Another platform's prefix is well-formed and simply unknown here.
 */
export function parseIdentifier(text: string): ParsedIdentifier {
  const m = SHAPE.exec(text.trim());
  if (!m) return { ok: false, reason: 'shape' };
  const [, prefix, kind, body, check] = m as unknown as [string, string, LotKind, string, string];
  const code = body.toUpperCase();
  if ([...code].some((ch) => !CROCKFORD.includes(ch)) || checkCharacter(code) !== check.toUpperCase()) return { ok: false, reason: 'checksum' };
  return { ok: true, identifier: formatIdentifier(prefix, kind, code + check.toUpperCase()), kind };
}
