import i18next from 'i18next';
import LanguageDetector from 'i18next-browser-languagedetector';
import { initReactI18next } from 'react-i18next';
import { en } from './en';
import { type Language, LANGUAGE_STORAGE_KEY, LANGUAGES, languageOf, matchLanguage } from './languages';
import { zhCN } from './zh-CN';

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
export { type Language, LANGUAGES, languageOf } from './languages';
