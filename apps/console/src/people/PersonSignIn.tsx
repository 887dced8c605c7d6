import { type FormEvent, type ReactNode, useState } from 'react';
import { api, type ApiProblem, asProblem } from '../api';
import type { PersonRole } from '../roles';
import { Field, ProblemBox } from '../ui';
import { PEOPLE_TEXT } from './text';

const T = PEOPLE_TEXT.signIn;

/** Email and password; the code field appears once the server says this person needs a second factor. */
export function PersonSignIn({ onSignedIn }: { onSignedIn: (csrfToken: string, person: { role: PersonRole; email: string }) => void }): ReactNode {
  const [email, setEmail] = useState('');
  const [password, setPassword] = useState('');
  const [totpCode, setTotpCode] = useState('');
  const [needsCode, setNeedsCode] = useState(false);
  const [problem, setProblem] = useState<ApiProblem>();
  const [notice, setNotice] = useState<string>();
  const [busy, setBusy] = useState(false);

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
        setNotice(T.needCode);
      } else {
        setProblem(p.status === 401 && !needsCode ? Object.assign(p, { detail: T.refused }) : p);
      }
    } finally {
      setBusy(false);
    }
  };

  const forgot = async (): Promise<void> => {
    setProblem(undefined);
    try {
      await api('POST', '/password-resets', { email: email.trim() });
      setNotice(T.resetSent);
    } catch (error) {
      setProblem(asProblem(error));
    }
  };

  return (
    <form onSubmit={(e) => void submit(e)} aria-label="Email sign-in">
      {notice && !problem ? <div className="notice">{notice}</div> : null}
      {problem ? <ProblemBox problem={problem} /> : null}
      <Field label={T.email} error={problem?.fieldMessage('email')}>
        <input name="email" type="email" autoComplete="username" required maxLength={254} value={email} onChange={(e) => setEmail(e.target.value)} />
      </Field>
      <Field label={T.password} error={problem?.fieldMessage('password')}>
        <input name="password" type="password" autoComplete="current-password" required value={password} onChange={(e) => setPassword(e.target.value)} />
      </Field>
      {needsCode ? (
        <Field label={T.totp} hint={T.totpHint} error={problem?.fieldMessage('totpCode')}>
          <input name="totpCode" inputMode="numeric" autoComplete="one-time-code" required pattern="\d{6}" maxLength={6} value={totpCode} onChange={(e) => setTotpCode(e.target.value)} autoFocus />
        </Field>
      ) : null}
      <button type="submit" className="primary wide" disabled={busy}>{busy ? T.checking : T.submit}</button>
      <button type="button" className="ghost small" disabled={busy || email.trim() === ''} onClick={() => void forgot()}>{T.forgot}</button>
    </form>
  );
}
