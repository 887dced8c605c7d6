import { type ReactNode, useCallback, useEffect, useState } from 'react';
import { api, type ApiProblem, asProblem } from './api';
import { BrandConsole } from './brand/BrandConsole';
import { FactoryConsole } from './factory/FactoryConsole';
import { OperatorConsole } from './operator/OperatorConsole';
import { useTranslation } from 'react-i18next';
import { LanguageSwitch } from './i18n/LanguageSwitch';
import { tokenPageInHash, TokenPasswordPage } from './people/TokenPages';
import { type PersonRole, RoleContext } from './roles';
import { useSession } from './session';
import { SignIn } from './SignIn';
import type { Organization } from './types';
import { Loading, ProblemBox } from './ui';

/** GET /sessions/current, as far as the console needs it. */
interface CurrentSession {
  person: { role: PersonRole; email: string } | null;
  csrfToken: string | null;
}

/** A signed-in person as the console knows them; the cookie itself is out of the page's reach. */
interface SignedInPerson {
  role: PersonRole;
  email: string;
}

/**
 * Signs in with an API key or as a person (email and password), then shows the console of that
 * organization's kind, with only the actions the person's role may take (roles.ts).
 */
export function App(): ReactNode {
  const { t } = useTranslation();
  const { key, signIn, personSignedIn, signOut } = useSession();
  // undefined while the console asks whether the cookie still holds a session; null: nobody.
  const [person, setPerson] = useState<SignedInPerson | null | undefined>(key ? null : undefined);
  const [me, setMe] = useState<Organization>();
  const [problem, setProblem] = useState<ApiProblem>();
  const [hash, setHash] = useState(window.location.hash);

  useEffect(() => {
    const changed = (): void => setHash(window.location.hash);
    window.addEventListener('hashchange', changed);
    return () => window.removeEventListener('hashchange', changed);
  }, []);

  // After a reload the page cannot see the httpOnly cookie: the server says who it belongs to.
  useEffect(() => {
    if (key || person !== undefined) return;
    api<CurrentSession>('GET', '/sessions/current').then(
      (c) => {
        if (c.person && c.csrfToken) {
          personSignedIn(c.csrfToken);
          setPerson({ role: c.person.role, email: c.person.email });
        } else setPerson(null);
      },
      () => setPerson(null),
    );
  }, [key, person, personSignedIn]);

  const endLocally = useCallback(() => {
    signOut();
    setPerson(null);
  }, [signOut]);

  useEffect(() => {
    setMe(undefined);
    setProblem(undefined);
    if (!key && !person) return;
    api<Organization>('GET', '/me').then(setMe, (e: unknown) => {
      const p = asProblem(e);
      // A key or session the server no longer knows is dropped; other failures keep it for a retry.
      if (p.status === 401) endLocally();
      setProblem(p);
    });
  }, [key, person, endLocally]);

  const leave = async (): Promise<void> => {
    if (person) {
      try {
        // The server ends the session and clears the cookie; until it has, the person stays in.
        await api('DELETE', '/sessions');
      } catch (error) {
        setProblem(asProblem(error));
        return;
      }
    }
    endLocally();
  };

  const tokenPage = tokenPageInHash(hash);
  if (tokenPage) return <TokenPasswordPage {...tokenPage} onDone={() => { window.location.hash = ''; }} />;
  if (!key && person === undefined) return <Loading rows={2} label={t('app.checkingSession')} />;
  if (!key && !person) {
    return (
      <SignIn
        onSignedIn={signIn}
        onPersonSignedIn={(csrfToken, who) => {
          personSignedIn(csrfToken);
          setPerson(who);
        }}
        notice={problem?.status === 401 ? t('app.keyRefused') : undefined}
      />
    );
  }
  return (
    <RoleContext.Provider value={person?.role}>
      <div className="app">
        <header className="topbar">
          <div className="brand-mark">
            <span className="logo" aria-hidden="true" />
            <span>cloudloom</span>
            {me ? <span className={`role role-${me.kind}`}>{t(`app.kind.${me.kind}`)}</span> : null}
          </div>
          <div className="who">
            {person ? <span className="person" data-testid="person-role" data-role={person.role}>{person.email} · {t(`domain.role.${person.role}`)}</span> : null}
            {me ? <span className="org" data-testid="org-name">{me.name}</span> : null}
            <LanguageSwitch />
            <button type="button" className="ghost" onClick={() => void leave()}>
              {t('app.signOut')}
            </button>
          </div>
        </header>
        <main className="content">
          {problem ? <ProblemBox problem={problem} onRetry={() => window.location.reload()} /> : null}
          {!me && !problem ? <Loading rows={4} label={t('app.signingIn')} /> : null}
          {me?.kind === 'operator' ? <OperatorConsole operatorKey={key} /> : null}
          {me?.kind === 'brand' ? <BrandConsole me={me} apiKey={key} /> : null}
          {me?.kind === 'factory' ? <FactoryConsole me={me} apiKey={key} /> : null}
        </main>
      </div>
    </RoleContext.Provider>
  );
}
