import { type FormEvent, type ReactNode, useState } from 'react';
import { api } from '../api';
import type { Kind } from '../types';
import type { PersonRole } from '../roles';
import { useTranslation } from 'react-i18next';
import { Card, Empty, Field, Loading, ProblemBox, useFieldError, useResource } from '../ui';
import { useAction } from '../useAction';

/** The person view of GET /me/people (libs/market/src/people/person.view.ts). */
interface Person {
  id: string;
  email: string;
  role: PersonRole;
  status: 'invited' | 'active';
}

/** The roles an owner may give, by kind of organization (the server's PERSON_ROLES_OF). */
const ROLES_OF: Record<Kind, readonly PersonRole[]> = {
  brand: ['owner', 'merchandiser', 'viewer'],
  factory: ['owner', 'dispatcher', 'viewer'],
  operator: ['operator'],
};

/** The owner's people: who is in, their roles, invitations by mail, and removal. */
export function PeopleCard({ kind }: { kind: Kind }): ReactNode {
  const { t } = useTranslation();
  const people = useResource(() => api<{ items: Person[] }>('GET', '/me/people'), []);
  const [inviting, setInviting] = useState(false);
  const remove = useAction();
  return (
    <Card title={t('people.title')} className="people" actions={<button type="button" className={inviting ? 'ghost' : 'primary'} onClick={() => setInviting(!inviting)}>{inviting ? t('people.close') : t('people.invite')}</button>}>
      {inviting ? <InviteForm kind={kind} onInvited={() => { setInviting(false); people.reload(); }} /> : null}
      {people.error ? <ProblemBox problem={people.error} onRetry={people.reload} /> : null}
      {remove.problem ? <ProblemBox problem={remove.problem} /> : null}
      {people.loading && !people.data ? <Loading rows={2} label={t('people.loading')} /> : null}
      {people.data?.items.length === 0 ? <Empty title={t('people.none')} /> : null}
      {people.data && people.data.items.length > 0 ? (
        <ul className="people-list">
          {people.data.items.map((p) => (
            <li key={p.id} data-testid="person" data-role={p.role}>
              <span>{p.email}</span> <span className="muted">{t(`domain.role.${p.role}`)}</span> <span className="muted">{t(`domain.personStatus.${p.status}`)}</span>{' '}
              <button type="button" className="ghost small" disabled={remove.busy} onClick={() => void remove.run(async () => { await api('DELETE', `/me/people/${p.id}`); people.reload(); })}>{t('people.remove')}</button>
            </li>
          ))}
        </ul>
      ) : null}
    </Card>
  );
}

function InviteForm({ kind, onInvited }: { kind: Kind; onInvited: () => void }): ReactNode {
  const { t } = useTranslation();
  const roles = ROLES_OF[kind];
  const [email, setEmail] = useState('');
  const [role, setRole] = useState<PersonRole>(roles[roles.length - 1]!);
  const { busy, problem, run } = useAction();
  const fieldError = useFieldError(problem);
  const submit = (e: FormEvent): void => {
    e.preventDefault();
    void run(async () => {
      await api('POST', '/me/people', { email: email.trim(), role });
      onInvited();
    });
  };
  return (
    <form onSubmit={submit} aria-label={t('people.invite')}>
      {problem ? <ProblemBox problem={problem} inline={['email', 'role']} /> : null}
      <Field label={t('people.email')} error={fieldError('email')}>
        <input name="email" type="email" required maxLength={254} value={email} onChange={(e) => setEmail(e.target.value)} />
      </Field>
      <Field label={t('people.role')} error={fieldError('role')}>
        <select name="role" value={role} onChange={(e) => setRole(e.target.value as PersonRole)}>
          {roles.map((r) => <option key={r} value={r}>{t(`domain.role.${r}`)}</option>)}
        </select>
      </Field>
      <button type="submit" className="primary" disabled={busy}>{t('people.send')}</button>
    </form>
  );
}
