import i18next from 'i18next';
import LanguageDetector from 'i18next-browser-languagedetector';
import { initReactI18next } from 'react-i18next';
import { en } from './en';
import { zhCN } from './zh-CN';

/** The console's languages; Chinese first: the users are Guangzhou brands and Zhejiang and Foshan mills. */
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
function matchLanguage(requested: string | undefined): Language | undefined {
  const code = (requested ?? '').toLowerCase();
  return code.startsWith('zh') ? 'zh-CN' : code.startsWith('en') ? 'en' : undefined;
}

void i18next
  .use(LanguageDetector)
  .use(initReactI18next)
  .init({
    resources: { 'zh-CN': { translation: zhCN }, en: { translation: en } },
    supportedLngs: [...LANGUAGES],
    fallbackLng: 'zh-CN',
    // React escapes what it renders; escaping here too would show &amp; for "&".
    interpolation: { escapeValue: false },
    detection: {
      order: ['localStorage', 'navigator'],
      lookupLocalStorage: LANGUAGE_STORAGE_KEY,
      caches: ['localStorage'],
      convertDetectedLanguage: (lng: string) => matchLanguage(lng) ?? lng,
    },
  });

/** `<html lang>` follows the language, for screen readers and the browser's own fonts and hyphens. */
const keepHtmlLang = (lng: string): void => {
  document.documentElement.lang = languageOf(lng);
};
keepHtmlLang(i18next.language);
i18next.on('languageChanged', keepHtmlLang);

export const currentLanguage = (): Language => languageOf(i18next.language);

export { i18next };
