import { type FormEvent, type ReactNode, useState } from 'react';
import { api, type ApiProblem, asProblem } from '../api';
import type { PersonRole } from '../roles';
import { useTranslation } from 'react-i18next';
import { Field, ProblemBox, useFieldError } from '../ui';

/** Email and password; the code field appears once the server says this person needs a second factor. */
export function PersonSignIn({ onSignedIn }: { onSignedIn: (csrfToken: string, person: { role: PersonRole; email: string }) => void }): ReactNode {
  const { t } = useTranslation();
  const [email, setEmail] = useState('');
  const [password, setPassword] = useState('');
  const [totpCode, setTotpCode] = useState('');
  const [needsCode, setNeedsCode] = useState(false);
  const [problem, setProblem] = useState<ApiProblem>();
  const [notice, setNotice] = useState<string>();
  const [busy, setBusy] = useState(false);
  const fieldError = useFieldError(problem);

  const submit = async (e: FormEvent): Promise<void> => {
    e.preventDefault();
    setBusy(true);
    setProblem(undefined);
    setNotice(undefined);
    try {
      const session = await api<{ csrfToken: string; person: { role: PersonRole; email: string } }>('POST', '/sessions', { email: email.trim(), password, ...(needsCode ? { totpCode: totpCode.trim() } : {}) });
      onSignedIn(session.csrfToken, { role: session.person.role, email: session.person.email });
    } catch (error) {
      const p = asProblem(error);
      if (p.code === 'SECOND_FACTOR_REQUIRED') {
        // Not a failure: the password was right and an operator's code is still to come.
        setNeedsCode(true);
        setNotice(t('person.needCode'));
      } else {
        setProblem(p.status === 401 && !needsCode ? Object.assign(p, { detail: t('person.refused') }) : p);
      }
    } finally {
      setBusy(false);
    }
  };

  const forgot = async (): Promise<void> => {
    setProblem(undefined);
    try {
      await api('POST', '/password-resets', { email: email.trim() });
      setNotice(t('person.resetSent'));
    } catch (error) {
      setProblem(asProblem(error));
    }
  };

  return (
    <form onSubmit={(e) => void submit(e)} aria-label={t('person.form')}>
      {notice && !problem ? <div className="notice">{notice}</div> : null}
      {problem ? <ProblemBox problem={problem} /> : null}
      <Field label={t('person.email')} error={fieldError('email')}>
        <input name="email" type="email" autoComplete="username" required maxLength={254} value={email} onChange={(e) => setEmail(e.target.value)} />
      </Field>
      <Field label={t('person.password')} error={fieldError('password')}>
        <input name="password" type="password" autoComplete="current-password" required value={password} onChange={(e) => setPassword(e.target.value)} />
      </Field>
      {needsCode ? (
        <Field label={t('person.totp')} hint={t('person.totpHint')} error={fieldError('totpCode')}>
          <input name="totpCode" inputMode="numeric" autoComplete="one-time-code" required pattern="\d{6}" maxLength={6} value={totpCode} onChange={(e) => setTotpCode(e.target.value)} autoFocus />
        </Field>
      ) : null}
      <button type="submit" className="primary wide" disabled={busy}>{busy ? t('person.checking') : t('person.submit')}</button>
      <button type="button" className="ghost small" disabled={busy || email.trim() === ''} onClick={() => void forgot()}>{t('person.forgot')}</button>
    </form>
  );
}
