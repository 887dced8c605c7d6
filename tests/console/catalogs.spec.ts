import { readdirSync, readFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { ALLOCATION_STATUSES as SERVER_ALLOCATION_STATUSES, ORDER_STATUSES as SERVER_ORDER_STATUSES, REJECT_REASON_CODES as SERVER_REJECT_REASON_CODES } from '@cloudloom/persistence';
import { ALLOCATION_STATUSES, DOMAIN_VALUES, ORDER_STATUSES, REJECT_REASON_CODES } from '../../apps/console/src/i18n/domain';
import { en } from '../../apps/console/src/i18n/en';
import { formatFor } from '../../apps/console/src/i18n/format';
import { languageOf, matchLanguage } from '../../apps/console/src/i18n/languages';
import { zhCN } from '../../apps/console/src/i18n/zh-CN';

const SOURCES = resolve(__dirname, '../../apps/console/src');
const CATALOGS = { en, 'zh-CN': zhCN } as const;

/** Every leaf of a catalog as `a.b.c` → text. */
function flatten(node: object, prefix = ''): Map<string, string> {
  const out = new Map<string, string>();
  for (const [key, value] of Object.entries(node)) {
    const path = prefix ? `${prefix}.${key}` : key;
    if (typeof value === 'string') out.set(path, value);
    else for (const [k, v] of flatten(value as object, path)) out.set(k, v);
  }
  return out;
}

/** i18next resolves `x` for a count from `x_one`/`x_other`: the code says `x`, the catalog holds the suffixed keys. */
const resolves = (keys: ReadonlyMap<string, string>, key: string): boolean => keys.has(key) || keys.has(`${key}_other`);

function sourceFiles(dir: string): string[] {
  return readdirSync(dir, { withFileTypes: true }).flatMap((e) => (e.isDirectory() ? sourceFiles(join(dir, e.name)) : /\.tsx?$/.test(e.name) ? [join(dir, e.name)] : []));
}

/** The keys the console's code asks for: `t('a.b')` literally, and `t(`a.${x}`)` as patterns. */
function keysInCode(): { literal: { key: string; file: string }[]; patterns: { pattern: RegExp; source: string; file: string }[] } {
  const literal: { key: string; file: string }[] = [];
  const patterns: { pattern: RegExp; source: string; file: string }[] = [];
  for (const file of sourceFiles(SOURCES)) {
    if (file.includes(`${join('src', 'i18n')}`) && !file.endsWith('domain.ts')) continue;
    const text = readFileSync(file, 'utf8');
    for (const m of text.matchAll(/\bt\(\s*'([^']+)'/g)) literal.push({ key: m[1]!, file });
    for (const m of text.matchAll(/\bt\(\s*`([^`]+)`/g)) {
      const source = m[1]!;
      const pattern = new RegExp(`^${source.split(/\$\{[^}]+\}/).map((part) => part.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')).join('[^.]+')}$`);
      patterns.push({ pattern, source, file });
    }
  }
  return { literal, patterns };
}

const placeholders = (text: string): string[] => [...text.matchAll(/\{\{\s*(\w+)\s*\}\}/g)].map((m) => m[1]!).sort();

describe('the console catalogs', () => {
  const flat = { en: flatten(en), 'zh-CN': flatten(zhCN) };

  it('hold the same keys in zh-CN and English, none of them empty', () => {
    expect([...flat['zh-CN'].keys()].sort()).toEqual([...flat.en.keys()].sort());
    for (const [lang, keys] of Object.entries(flat)) {
      const empty = [...keys].filter(([, text]) => text.trim() === '').map(([key]) => `${lang}:${key}`);
      expect(empty).toEqual([]);
    }
  });

  it('fill the same placeholders in both languages', () => {
    const differ = [...flat.en].filter(([key, text]) => placeholders(text).join() !== placeholders(flat['zh-CN'].get(key) ?? '').join()).map(([key]) => key);
    expect(differ).toEqual([]);
  });

  it('have every key the code uses, in both languages', () => {
    const { literal, patterns } = keysInCode();
    // The scan finds the code's keys: an empty scan would pass anything.
    expect(literal.length).toBeGreaterThan(300);
    expect(patterns.length).toBeGreaterThan(10);
    for (const keys of Object.values(flat)) {
      expect(literal.filter(({ key }) => !resolves(keys, key)).map(({ key, file }) => `${key} (${file.slice(SOURCES.length + 1)})`)).toEqual([]);
      // A key built from a value (`domain.fiber.${f}`) must match at least one key of the catalog.
      expect(patterns.filter(({ pattern }) => ![...keys.keys()].some((k) => pattern.test(k.replace(/_(one|other)$/, '')))).map(({ source, file }) => `${source} (${file.slice(SOURCES.length + 1)})`)).toEqual([]);
    }
  });

  it('translate every domain value: fibres, weaves, categories, machines, processes, statuses, reasons', () => {
    for (const [lang, keys] of Object.entries(flat)) {
      const missing = Object.entries(DOMAIN_VALUES).flatMap(([group, values]) => (values as readonly string[]).filter((v) => !keys.has(`domain.${group}.${v}`)).map((v) => `${lang}: domain.${group}.${v}`));
      expect(missing).toEqual([]);
    }
    // Chinese means Chinese: a domain word left in English in zh-CN is a missed translation.
    const untranslated = [...flat['zh-CN']].filter(([key, text]) => /^domain\.(fiber|weave|category|fabricType|machineType|process|status|reason|rejectReason|feature)\./.test(key) && !/[\u4e00-\u9fff]/.test(text)).map(([key]) => key);
    expect(untranslated).toEqual([]);
  });

  it('know the statuses and decline reasons the server uses', () => {
    expect([...ORDER_STATUSES]).toEqual([...SERVER_ORDER_STATUSES]);
    expect([...ALLOCATION_STATUSES]).toEqual([...SERVER_ALLOCATION_STATUSES]);
    expect([...REJECT_REASON_CODES]).toEqual([...SERVER_REJECT_REASON_CODES]);
  });

  it('are both registered', () => {
    expect(Object.keys(CATALOGS).sort()).toEqual(['en', 'zh-CN']);
  });
});

describe('the console language and formats', () => {
  it('opens zh-* browsers and unknown languages in Chinese, en-* in English', () => {
    expect(['zh-CN', 'zh-TW', 'zh', 'fr-FR', undefined].map(languageOf)).toEqual(['zh-CN', 'zh-CN', 'zh-CN', 'zh-CN', 'zh-CN']);
    expect(['en-GB', 'en-US', 'en'].map(languageOf)).toEqual(['en', 'en', 'en']);
    // A language neither of ours is passed over, so the browser's next language can match.
    expect(matchLanguage('fr-FR')).toBeUndefined();
  });

  it('writes dates as 2026-12-07 and times 24 h in the person\'s zone, in both languages', () => {
    for (const lang of ['zh-CN', 'en'] as const) {
      const f = formatFor(lang, 'Asia/Shanghai');
      expect(f.dateTime('2026-12-07T15:05:09Z')).toBe('2026-12-07 23:05');
      expect(f.time('2026-12-07T15:05:09Z')).toBe('23:05:09');
      expect(f.day('2026-12-27')).toBe('2026-12-27');
    }
    expect(formatFor('en', 'America/New_York').dateTime('2026-12-07T03:00:00Z')).toBe('2026-12-06 22:00');
  });

  it('groups numbers and writes CNY with ¥ as each language does', () => {
    expect(formatFor('zh-CN').num(18849600)).toBe('18,849,600');
    expect(formatFor('en').cny(12345.6)).toBe('¥12,346');
    expect(formatFor('zh-CN').cny(0.012, 3)).toBe('¥0.012');
    expect(formatFor('zh-CN').pct(0.86)).toBe('86%');
    expect(formatFor('en').pct(null)).toBe('—');
  });
});
