import type { ReactNode } from 'react';
import { useTranslation } from 'react-i18next';
import { LANGUAGES, languageOf } from './languages';

/** 中文 | English, on every page; the choice is kept in localStorage by the language detector. */
export function LanguageSwitch(): ReactNode {
  const { t, i18n } = useTranslation();
  const current = languageOf(i18n.language);
  return (
    <div className="lang-switch" role="group" aria-label={t('language.label')}>
      {LANGUAGES.map((lng) => (
        <button key={lng} type="button" className="ghost small" lang={lng} aria-pressed={current === lng} data-testid={`lang-${lng}`} onClick={() => void i18n.changeLanguage(lng)}>
          {t(`language.${lng}`)}
        </button>
      ))}
    </div>
  );
}
