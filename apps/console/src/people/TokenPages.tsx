import { type FormEvent, type ReactNode, useState } from 'react';
import { api } from '../api';
import { useTranslation } from 'react-i18next';
import { Field, ProblemBox, useFieldError } from '../ui';
import { useAction } from '../useAction';

/** The mailed links open `#/accept?token=…` and `#/reset?token=…` (libs/market/src/people). */
export type TokenPage = { page: 'accept' | 'reset'; token: string | undefined };

export function tokenPageInHash(hash: string): TokenPage | undefined {
  const match = /^#\/(accept|reset)(?:\?(.*))?$/.exec(hash);
  if (!match) return undefined;
  return { page: match[1] as 'accept' | 'reset', token: new URLSearchParams(match[2] ?? '').get('token') ?? undefined };
}

interface Accepted {
  totp?: { secret: string; uri: string };
}

/** Sets a password with the mailed token: accepting an invitation (operators get their TOTP secret once) or a reset. */
export function TokenPasswordPage({ page, token, onDone }: TokenPage & { onDone: () => void }): ReactNode {
  const { t } = useTranslation();
  const [password, setPassword] = useState('');
  const { busy, problem, run } = useAction();
  const [done, setDone] = useState<Accepted>();
  const fieldError = useFieldError(problem);

  const submit = (e: FormEvent): void => {
    e.preventDefault();
    void run(async () => {
      if (page === 'accept') setDone(await api<Accepted>('POST', '/invitations/accept', { token, password }));
      else {
        await api('POST', '/password-resets/confirm', { token, password });
        setDone({});
      }
    });
  };

  return (
    <div className="signin-page">
      <div className="card signin-card" data-testid={`${page}-page`}>
        <h2>{t(`${page}.title`)}</h2>
        {page === 'accept' ? <p>{t('accept.intro')}</p> : null}
        {problem ? <ProblemBox problem={problem} /> : null}
        {!token ? (
          <div className="notice">{t(`${page}.noToken`)}</div>
        ) : done ? (
          <div className="created" data-testid={`${page}-done`}>
            <p>{t(`${page}.done`)}</p>
            {done.totp ? (
              <>
                <p>{t('accept.totp')}</p>
                <code className="key" data-testid="totp-secret">{done.totp.secret}</code>
              </>
            ) : null}
            <button type="button" className="primary" onClick={onDone}>{t(`${page}.toSignIn`)}</button>
          </div>
        ) : (
          <form onSubmit={submit}>
            <Field label={t(`${page}.password`)} error={fieldError('password') ?? fieldError('token')}>
              <input name="password" type="password" autoComplete="new-password" required value={password} onChange={(e) => setPassword(e.target.value)} />
            </Field>
            <button type="submit" className="primary wide" disabled={busy}>{t(`${page}.submit`)}</button>
          </form>
        )}
      </div>
    </div>
  );
}
