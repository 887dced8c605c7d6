import { type ReactNode, useEffect, useState } from 'react';
import { api, type ApiProblem, asProblem } from './api';
import { BrandConsole } from './brand/BrandConsole';
import { FactoryConsole } from './factory/FactoryConsole';
import { OperatorConsole } from './operator/OperatorConsole';
import { useSession } from './session';
import { SignIn } from './SignIn';
import type { Organization } from './types';
import { Loading, ProblemBox } from './ui';

/** Signs in with an API key, then shows the console of that organization's kind. */
export function App(): ReactNode {
  const { key, signIn, signOut } = useSession();
  const [me, setMe] = useState<Organization>();
  const [problem, setProblem] = useState<ApiProblem>();

  useEffect(() => {
    setMe(undefined);
    setProblem(undefined);
    if (!key) return;
    api<Organization>('GET', '/me', undefined, key).then(setMe, (e: unknown) => {
      const p = asProblem(e);
      // A key the server no longer knows is dropped; other failures keep it for a retry.
      if (p.status === 401) signOut();
      setProblem(p);
    });
  }, [key, signOut]);

  if (!key) return <SignIn onSignedIn={signIn} notice={problem?.status === 401 ? 'That key was not accepted. Check it and sign in again.' : undefined} />;
  return (
    <div className="app">
      <header className="topbar">
        <div className="brand-mark">
          <span className="logo" aria-hidden="true" />
          <span>cloudloom</span>
          {me ? <span className={`role role-${me.kind}`}>{me.kind}</span> : null}
        </div>
        <div className="who">
          {me ? <span className="org" data-testid="org-name">{me.name}</span> : null}
          <button type="button" className="ghost" onClick={signOut}>
            Sign out
          </button>
        </div>
      </header>
      <main className="content">
        {problem ? <ProblemBox problem={problem} onRetry={() => window.location.reload()} /> : null}
        {!me && !problem ? <Loading rows={4} label="Signing in" /> : null}
        {me?.kind === 'operator' ? <OperatorConsole operatorKey={key} /> : null}
        {me?.kind === 'brand' ? <BrandConsole me={me} apiKey={key} /> : null}
        {me?.kind === 'factory' ? <FactoryConsole me={me} apiKey={key} /> : null}
      </main>
    </div>
  );
}
