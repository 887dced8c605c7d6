/** The console's languages and how a browser's language picks one; no side effects, so tests import it. */
/** Chinese first: the users are Guangzhou brands and Zhejiang and Foshan mills. */
export const LANGUAGES = ['zh-CN', 'en'] as const;
export type Language = (typeof LANGUAGES)[number];

/** Where the person's choice is kept, so the next visit opens in it. */
export const LANGUAGE_STORAGE_KEY = 'cloudloom.language';

/**
 * The choice made with the switch wins; else the browser's languages in order: any zh-* (zh-TW,
 * zh-HK too) opens zh-CN, any en-* opens English; a browser asking for neither gets zh-CN.
 */
export function languageOf(requested: string | undefined): Language {
  return matchLanguage(requested) ?? 'zh-CN';
}

/** zh-* is zh-CN, en-* is English, anything else is not ours (the detector then tries the browser's next language). */
export function matchLanguage(requested: string | undefined): Language | undefined {
  const code = (requested ?? '').toLowerCase();
  return code.startsWith('zh') ? 'zh-CN' : code.startsWith('en') ? 'en' : undefined;
}

