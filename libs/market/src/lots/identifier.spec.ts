import { checkCharacter, CODE_LENGTH, formatIdentifier, newCode, parseIdentifier } from './identifier';

describe('lot identifiers', () => {
  it('are 80 random bits of Crockford base32 and a check character, and parse back', () => {
    const seen = new Set<string>();
    for (let i = 0; i < 2_000; i++) {
      const code = newCode();
      expect(code).toMatch(new RegExp(`^[0-9A-HJKMNP-TV-Z]{${CODE_LENGTH}}[0-9A-Z*]$`));
      seen.add(code);
      const id = formatIdentifier('CL', 'roll', code);
      expect(parseIdentifier(id)).toEqual({ ok: true, identifier: id, kind: 'roll' });
      expect(parseIdentifier(id.toLowerCase().replace('cl/', 'CL/'))).toEqual({ ok: true, identifier: id, kind: 'roll' });
    }
    expect(seen.size).toBe(2_000);
  });

  it('tells every single wrong character and every swap of neighbours from a valid code', () => {
    const alphabet = '0123456789ABCDEFGHJKMNPQRSTVWXYZ';
    for (let n = 0; n < 50; n++) {
      const code = newCode();
      for (let i = 0; i < code.length; i++) {
        for (const ch of i === CODE_LENGTH ? `${alphabet}ILOU*` : alphabet) {
          if (ch === code[i]) continue;
          const typo = code.slice(0, i) + ch + code.slice(i + 1);
          expect(parseIdentifier(`CL/bundle.${typo}`)).toEqual({ ok: false, reason: 'checksum' });
        }
        if (i + 1 < code.length && code[i] !== code[i + 1]) {
          const swapped = code.slice(0, i) + code[i + 1] + code[i] + code.slice(i + 2);
          expect(parseIdentifier(`CL/bundle.${swapped}`)).toEqual({ ok: false, reason: 'checksum' });
        }
      }
    }
  });

  it('refuses what is not shaped like an identifier', () => {
    for (const bad of ['', 'CL', 'CL/roll', 'CL/pallet.0123456789ABCDEFG', 'CL/roll.0123', '/roll.0123456789ABCDEFG', 'a/b/roll.0123456789ABCDEFG']) {
      expect(parseIdentifier(bad)).toEqual({ ok: false, reason: 'shape' });
    }
    // ISO 7064's own MOD 37-2 example: 'G123489654321' has the check character 'Y'.
    expect(checkCharacter('G123489654321')).toBe('Y');
  });
});
