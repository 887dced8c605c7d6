/** The check character, computed here independently of the server (ISO 7064 MOD 37-2): tests make identifiers with it. */
export function checkOf(code: string): string {
  const chars = '0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZ*';
  let p = 0;
  for (const ch of code) p = ((p + chars.indexOf(ch)) * 2) % 37;
  return chars[(38 - p) % 37]!;
}
