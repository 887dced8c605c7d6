import { CJK_FONT, cjkFontAvailable, labelSheet } from './labels';

const label = { identifier: 'CL/roll.7KQ2M9X4PZ8H3V6WB', url: 'https://x.test/id/CL/roll.7KQ2M9X4PZ8H3V6WB', kind: 'roll' as const, product: { en: 'cotton twill fabric', zh: '棉斜纹面料' }, quantity: 120, unit: 'm' as const, madeOn: '2026-12-07' };

describe('label sheets without a CJK font', () => {
  it('say so clearly, once, naming the font package', () => {
    const said: string[] = [];
    const logger = { warn: (message: unknown) => void said.push(String(message)) };
    expect(cjkFontAvailable('/nonexistent/NotoSansCJK.ttc', logger)).toBe(false);
    expect(cjkFontAvailable('/nonexistent/NotoSansCJK.ttc', logger)).toBe(false);
    expect(said).toEqual([expect.stringMatching(/No CJK font at \/nonexistent\/NotoSansCJK\.ttc \(Debian package fonts-noto-cjk\): lot labels print English only/)]);
  });

  it('print English only rather than empty boxes', async () => {
    const english = (await labelSheet([label], false)).toString('latin1');
    expect(english.startsWith('%PDF-')).toBe(true);
    expect(english).not.toContain('NotoSansCJK');
    if (cjkFontAvailable(CJK_FONT.path)) expect((await labelSheet([label], true)).toString('latin1')).toContain('NotoSansCJK');
  });
});
