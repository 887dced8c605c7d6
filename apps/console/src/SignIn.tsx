import { type FormEvent, type ReactNode, useState } from 'react';
import { api, type ApiProblem, asProblem } from './api';
import { PersonSignIn } from './people/PersonSignIn';
import { PEOPLE_TEXT } from './people/text';
import type { PersonRole } from './roles';
import type { Organization } from './types';
import { Field, ProblemBox } from './ui';

/** Sign in with a key or as a person (email and password), or sign up a brand or factory and be shown its key once. */
export function SignIn({ onSignedIn, onPersonSignedIn, notice }: {
  onSignedIn: (key: string) => void;
  onPersonSignedIn: (csrfToken: string, person: { role: PersonRole; email: string }) => void;
  notice?: string | undefined;
}): ReactNode {
  const [mode, setMode] = useState<'signin' | 'person' | 'signup'>('signin');
  const [key, setKey] = useState('');
  const [problem, setProblem] = useState<ApiProblem>();
  const [busy, setBusy] = useState(false);
  const [kind, setKind] = useState<'brand' | 'factory'>('brand');
  const [name, setName] = useState('');
  const [city, setCity] = useState('');
  const [province, setProvince] = useState('');
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
      setProblem(p.status === 401 ? Object.assign(p, { detail: 'That key was not accepted. Check it (keys start with clk_) and try again.' }) : p);
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
        </div>
        <p className="lead">Small orders, fast response. Brands post fabric and garment orders; mills and sewing factories publish their looms and lines; the matcher dispatches each order to idle capacity within seconds.</p>
        <ul className="roles">
          <li><strong>Brands</strong> post orders, see a quote first, and follow every allocation.</li>
          <li><strong>Factories</strong> publish lines and answer offers before they expire.</li>
          <li><strong>Operators</strong> watch matches arrive live and see why an order is waiting.</li>
        </ul>
      </div>
      <div className="card signin-card">
        <div className="tabs" role="tablist">
          <button type="button" role="tab" aria-selected={mode === 'signin'} onClick={() => setMode('signin')}>Sign in</button>
          <button type="button" role="tab" aria-selected={mode === 'person'} onClick={() => setMode('person')}>{PEOPLE_TEXT.signIn.tab}</button>
          <button type="button" role="tab" aria-selected={mode === 'signup'} onClick={() => setMode('signup')}>New organization</button>
        </div>
        {notice && !problem ? <div className="notice">{notice}</div> : null}
        {problem ? <ProblemBox problem={problem} /> : null}
        {created ? (
          <div className="created" data-testid="new-key">
            <h2>Welcome, {created.organization.name}</h2>
            <p>This is your API key. It is shown <strong>once</strong>; keep it somewhere safe — it signs you in here and on the API.</p>
            <code className="key">{created.apiKey}</code>
            <div className="row">
              <button type="button" className="ghost" onClick={() => void navigator.clipboard?.writeText(created.apiKey)}>Copy</button>
              <button type="button" className="primary" onClick={() => onSignedIn(created.apiKey)}>Continue to the console</button>
            </div>
          </div>
        ) : mode === 'person' ? (
          <PersonSignIn onSignedIn={onPersonSignedIn} />
        ) : mode === 'signin' ? (
          <form onSubmit={(e) => void signIn(e)}>
            <Field label="API key" hint="Your organization's key, or the operator key.">
              <input name="apiKey" type="password" autoComplete="current-password" required minLength={10} value={key} onChange={(e) => setKey(e.target.value)} placeholder="clk_…" />
            </Field>
            <button type="submit" className="primary wide" disabled={busy}>{busy ? 'Checking…' : 'Sign in'}</button>
          </form>
        ) : (
          <form onSubmit={(e) => void signUp(e)}>
            <div className="segmented" role="radiogroup" aria-label="Kind of organization">
              {(['brand', 'factory'] as const).map((k) => (
                <label key={k} className={kind === k ? 'on' : ''}>
                  <input type="radio" name="kind" value={k} checked={kind === k} onChange={() => setKind(k)} />
                  {k === 'brand' ? 'Brand' : 'Factory'}
                </label>
              ))}
            </div>
            <Field label="Name" error={problem?.fieldMessage('name')}>
              <input name="name" required minLength={2} maxLength={120} value={name} onChange={(e) => setName(e.target.value)} placeholder={kind === 'brand' ? 'Canton Studio' : 'Keqiao Weaving No. 3'} />
            </Field>
            <div className="grid2">
              <Field label="City" error={problem?.fieldMessage('city')}>
                <input name="city" maxLength={80} value={city} onChange={(e) => setCity(e.target.value)} placeholder="Shaoxing" />
              </Field>
              <Field label="Province" error={problem?.fieldMessage('province')}>
                <input name="province" maxLength={80} value={province} onChange={(e) => setProvince(e.target.value)} placeholder="Zhejiang" />
              </Field>
            </div>
            <button type="submit" className="primary wide" disabled={busy}>{busy ? 'Creating…' : `Create ${kind}`}</button>
          </form>
        )}
      </div>
    </div>
  );
}
