/**
 * What a file is, from its first bytes (magic numbers), never from its name or the type a client
 * declared: a tech pack is a PDF, sketches and swatch photos are images.
 */
const SIGNATURES: readonly { readonly type: string; readonly matches: (b: Buffer) => boolean }[] = [
  { type: 'application/pdf', matches: (b) => b.subarray(0, 5).toString('latin1') === '%PDF-' },
  { type: 'image/png', matches: (b) => b.subarray(0, 8).equals(Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a])) },
  { type: 'image/jpeg', matches: (b) => b.length >= 3 && b[0] === 0xff && b[1] === 0xd8 && b[2] === 0xff },
  { type: 'image/webp', matches: (b) => b.subarray(0, 4).toString('latin1') === 'RIFF' && b.subarray(8, 12).toString('latin1') === 'WEBP' },
];

export const ATTACHMENT_TYPES = SIGNATURES.map((s) => s.type);

/** The recognised type, or null when the bytes are none of the accepted kinds. */
export function sniffContentType(bytes: Buffer): string | null {
  return SIGNATURES.find((s) => s.matches(bytes))?.type ?? null;
}
