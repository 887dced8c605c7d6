import { createHash, randomBytes, timingSafeEqual } from 'node:crypto';

/** 32 random bytes: high entropy, so one SHA-256 is a sound way to store it (no slow hash needed). */
export function generateApiKey(): string {
  return `clk_${randomBytes(32).toString('base64url')}`;
}

export function hashApiKey(key: string): string {
  return createHash('sha256').update(key).digest('hex');
}

export function sameKey(a: string, b: string): boolean {
  const x = Buffer.from(hashApiKey(a), 'hex');
  const y = Buffer.from(hashApiKey(b), 'hex');
  return timingSafeEqual(x, y);
}
