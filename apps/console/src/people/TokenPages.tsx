import { type FormEvent, type ReactNode, useState } from 'react';
import { api } from '../api';
import { Field, ProblemBox } from '../ui';
import { useAction } from '../useAction';
import { PEOPLE_TEXT } from './text';

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
  const T = PEOPLE_TEXT[page];
  const [password, setPassword] = useState('');
  const { busy, problem, run } = useAction();
  const [done, setDone] = useState<Accepted>();

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
        <h2>{T.title}</h2>
        {'intro' in T ? <p>{T.intro}</p> : null}
        {problem ? <ProblemBox problem={problem} /> : null}
        {!token ? (
          <div className="notice">{T.noToken}</div>
        ) : done ? (
          <div className="created" data-testid={`${page}-done`}>
            <p>{T.done}</p>
            {done.totp ? (
              <>
                <p>{PEOPLE_TEXT.accept.totp}</p>
                <code className="key" data-testid="totp-secret">{done.totp.secret}</code>
              </>
            ) : null}
            <button type="button" className="primary" onClick={onDone}>{T.toSignIn}</button>
          </div>
        ) : (
          <form onSubmit={submit}>
            <Field label={T.password} error={problem?.fieldMessage('password') ?? problem?.fieldMessage('token')}>
              <input name="password" type="password" autoComplete="new-password" required value={password} onChange={(e) => setPassword(e.target.value)} />
            </Field>
            <button type="submit" className="primary wide" disabled={busy}>{T.submit}</button>
          </form>
        )}
      </div>
    </div>
  );
}
