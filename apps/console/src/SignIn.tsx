import { type FormEvent, type ReactNode, useState } from 'react';
import { api, type ApiProblem, asProblem } from './api';
import { PersonSignIn } from './people/PersonSignIn';
import { useTranslation } from 'react-i18next';
import { LanguageSwitch } from './i18n/LanguageSwitch';
import type { PersonRole } from './roles';
import type { Organization } from './types';
import { Field, ProblemBox, useFieldError } from './ui';

/** Sign in with a key or as a person (email and password), or sign up a brand or factory and be shown its key once. */
export function SignIn({ onSignedIn, onPersonSignedIn, notice }: {
  onSignedIn: (key: string) => void;
  onPersonSignedIn: (csrfToken: string, person: { role: PersonRole; email: string }) => void;
  notice?: string | undefined;
}): ReactNode {
  const { t } = useTranslation();
  const [mode, setMode] = useState<'signin' | 'person' | 'signup'>('signin');
  const [key, setKey] = useState('');
  const [problem, setProblem] = useState<ApiProblem>();
  const [busy, setBusy] = useState(false);
  const [kind, setKind] = useState<'brand' | 'factory'>('brand');
  const [name, setName] = useState('');
  const [city, setCity] = useState('');
  const [province, setProvince] = useState('');
  const fieldError = useFieldError(problem);
  const [created, setCreated] = useState<{ organization: Organization; apiKey: string }>();

  const signIn = async (e: FormEvent): Promise<void> => {
    e.preventDefault();
    setBusy(true);
    setProblem(undefined);
    try {
      await api<Organization>('GET', '/me', undefined, key.trim());
      onSignedIn(key.trim());
    } catch (error) {
      const p = asProblem(error);
      // The API's wording is for programs; a person needs to know the key itself was refused.
      setProblem(p.status === 401 ? Object.assign(p, { detail: t('signIn.keyRefused') }) : p);
    } finally {
      setBusy(false);
    }
  };

  const signUp = async (e: FormEvent): Promise<void> => {
    e.preventDefault();
    setBusy(true);
    setProblem(undefined);
    try {
      setCreated(await api('POST', '/signup', { kind, name, ...(city ? { city } : {}), ...(province ? { province } : {}) }));
    } catch (error) {
      setProblem(asProblem(error));
    } finally {
      setBusy(false);
    }
  };

  return (
    <div className="signin-page">
      <div className="signin-intro">
        <div className="brand-mark big">
          <span className="logo" aria-hidden="true" />
          <span>cloudloom</span>
          <LanguageSwitch />
        </div>
        <p className="lead">{t('signIn.lead')}</p>
        <ul className="roles">
          <li><strong>{t('signIn.brands')}</strong> {t('signIn.brandsDo')}</li>
          <li><strong>{t('signIn.factories')}</strong> {t('signIn.factoriesDo')}</li>
          <li><strong>{t('signIn.operators')}</strong> {t('signIn.operatorsDo')}</li>
        </ul>
      </div>
      <div className="card signin-card">
        <div className="tabs" role="tablist">
          <button type="button" role="tab" aria-selected={mode === 'signin'} onClick={() => setMode('signin')}>{t('signIn.tabKey')}</button>
          <button type="button" role="tab" aria-selected={mode === 'person'} onClick={() => setMode('person')}>{t('signIn.tabPerson')}</button>
          <button type="button" role="tab" aria-selected={mode === 'signup'} onClick={() => setMode('signup')}>{t('signIn.tabSignUp')}</button>
        </div>
        {notice && !problem ? <div className="notice">{notice}</div> : null}
        {problem ? <ProblemBox problem={problem} /> : null}
        {created ? (
          <div className="created" data-testid="new-key">
            <h2>{t('signIn.welcome', { name: created.organization.name })}</h2>
            <p>{t('signIn.keyOnce')}</p>
            <code className="key">{created.apiKey}</code>
            <div className="row">
              <button type="button" className="ghost" onClick={() => void navigator.clipboard?.writeText(created.apiKey)}>{t('signIn.copy')}</button>
              <button type="button" className="primary" onClick={() => onSignedIn(created.apiKey)}>{t('signIn.continue')}</button>
            </div>
          </div>
        ) : mode === 'person' ? (
          <PersonSignIn onSignedIn={onPersonSignedIn} />
        ) : mode === 'signin' ? (
          <form onSubmit={(e) => void signIn(e)}>
            <Field label={t('signIn.apiKey')} hint={t('signIn.apiKeyHint')}>
              <input name="apiKey" type="password" autoComplete="current-password" required minLength={10} value={key} onChange={(e) => setKey(e.target.value)} placeholder="clk_…" />
            </Field>
            <button type="submit" className="primary wide" disabled={busy}>{busy ? t('signIn.checking') : t('signIn.submit')}</button>
          </form>
        ) : (
          <form onSubmit={(e) => void signUp(e)}>
            <div className="segmented" role="radiogroup" aria-label={t('signIn.kindOfOrganization')}>
              {(['brand', 'factory'] as const).map((k) => (
                <label key={k} className={kind === k ? 'on' : ''}>
                  <input type="radio" name="kind" value={k} checked={kind === k} onChange={() => setKind(k)} />
                  {k === 'brand' ? t('signIn.brand') : t('signIn.factory')}
                </label>
              ))}
            </div>
            <Field label={t('signIn.name')} error={fieldError('name')}>
              <input name="name" required minLength={2} maxLength={120} value={name} onChange={(e) => setName(e.target.value)} placeholder={kind === 'brand' ? t('signIn.namePlaceholderBrand') : t('signIn.namePlaceholderFactory')} />
            </Field>
            <div className="grid2">
              <Field label={t('signIn.city')} error={fieldError('city')}>
                <input name="city" maxLength={80} value={city} onChange={(e) => setCity(e.target.value)} placeholder={t('signIn.cityPlaceholder')} />
              </Field>
              <Field label={t('signIn.province')} error={fieldError('province')}>
                <input name="province" maxLength={80} value={province} onChange={(e) => setProvince(e.target.value)} placeholder={t('signIn.provincePlaceholder')} />
              </Field>
            </div>
            <button type="submit" className="primary wide" disabled={busy}>{busy ? t('signIn.creating') : kind === 'brand' ? t('signIn.createBrand') : t('signIn.createFactory')}</button>
          </form>
        )}
      </div>
    </div>
  );
}
