import { type FormEvent, type ReactNode, useState } from 'react';
import type { FactoryContacts, Organization } from '@cloudloom/contracts';
import { api } from '../api';
import { CERTIFICATIONS, useDomain } from '../i18n/domain';
import { PeopleCard } from '../people/PeopleCard';
import { useCan } from '../roles';
import { Card, Field, FieldGroup, ProblemBox, useFieldError } from '../ui';
import { useAction } from '../useAction';
import { WebhooksCard } from '../webhooks/WebhooksCard';
import { KeysCard } from './KeysCard';

/**
 * A factory's profile on one screen, a section each: what it holds (certifications) and how it
 * takes offers (auto-accept), how brands reach it (contacts), and, for its owner, its people, API
 * keys and webhooks. Only the owner changes the profile (PATCH /me); others read it.
 */
export function FactoryProfile({ me, onSaved }: { me: Organization; onSaved: (me: Organization) => void }): ReactNode {
  const can = useCan();
  const owner = can('editProfile');
  return (
    <div className="layout-factory profile" data-testid="factory-profile">
      <CertificationsCard me={me} editable={owner} onSaved={onSaved} />
      <ContactsCard me={me} editable={owner} onSaved={onSaved} />
      {can('managePeople') ? <PeopleCard kind={me.kind} /> : null}
      {owner ? <KeysCard /> : null}
      {can('manageWebhooks') ? <WebhooksCard kind={me.kind} /> : null}
    </div>
  );
}

/** The certifications the console offers, and any other the factory already holds. */
const certificationsOf = (held: readonly string[]): string[] => [...new Set([...CERTIFICATIONS, ...held])];

function CertificationsCard({ me, editable, onSaved }: { me: Organization; editable: boolean; onSaved: (me: Organization) => void }): ReactNode {
  const { t, word } = useDomain();
  const [held, setHeld] = useState<readonly string[]>(me.certifications);
  const [autoAccept, setAutoAccept] = useState(me.autoAccept);
  const [saved, setSaved] = useState(false);
  const { busy, problem, run } = useAction();
  const fieldError = useFieldError(problem);
  const submit = (e: FormEvent): void => {
    e.preventDefault();
    setSaved(false);
    void run(async () => {
      onSaved(await api<Organization>('PATCH', '/me', { certifications: held, autoAccept }));
      setSaved(true);
    });
  };
  return (
    <Card title={t('factoryProfile.workTitle')}>
      <form onSubmit={submit} aria-label={t('factoryProfile.workTitle')}>
        <FieldGroup label={t('factoryProfile.certifications')} hint={t('factoryProfile.certificationsHint')} error={fieldError('certifications')}>
          <div className="checks">
            {certificationsOf(me.certifications).map((c) => (
              <label key={c} className={held.includes(c) ? 'on' : ''}>
                <input type="checkbox" name="certifications" value={c} disabled={!editable} checked={held.includes(c)}
                  onChange={(e) => { setSaved(false); setHeld(e.target.checked ? [...held, c] : held.filter((x) => x !== c)); }} />
                {word('certification', c)}
              </label>
            ))}
          </div>
        </FieldGroup>
        <FieldGroup label={t('factoryProfile.autoAccept')} hint={t('factoryProfile.autoAcceptHint')} error={fieldError('autoAccept')}>
          <label className="toggle">
            <input type="checkbox" name="autoAccept" disabled={!editable} checked={autoAccept} onChange={(e) => { setSaved(false); setAutoAccept(e.target.checked); }} />
            {t('factoryProfile.autoAcceptOn')}
          </label>
        </FieldGroup>
        {problem ? <ProblemBox problem={problem} inline={['certifications', 'autoAccept']} /> : null}
        {saved ? <div className="saved" role="status">{t('factoryProfile.saved')}</div> : null}
        {editable ? <button type="submit" className="primary" disabled={busy}>{t('factoryProfile.save')}</button> : <p className="muted small">{t('factoryProfile.ownerOnly')}</p>}
      </form>
    </Card>
  );
}

function ContactsCard({ me, editable, onSaved }: { me: Organization; editable: boolean; onSaved: (me: Organization) => void }): ReactNode {
  const { t } = useDomain();
  const [draft, setDraft] = useState<Required<FactoryContacts>>({ name: me.contacts?.name ?? '', phone: me.contacts?.phone ?? '', wechat: me.contacts?.wechat ?? '' });
  const [saved, setSaved] = useState(false);
  const { busy, problem, run } = useAction();
  const fieldError = useFieldError(problem);
  // The server's words name the rule; the form says it in the person's language.
  const errorOf = (part: keyof FactoryContacts): string | undefined => (fieldError(`contacts.${part}`) ? t(`factoryProfile.contactErrors.${part}`) : undefined);
  const set = (part: keyof FactoryContacts, value: string): void => {
    setSaved(false);
    setDraft({ ...draft, [part]: value });
  };
  const submit = (e: FormEvent): void => {
    e.preventDefault();
    setSaved(false);
    // A part left empty is removed (PATCH /me replaces the contacts whole).
    const contacts: FactoryContacts = Object.fromEntries(Object.entries(draft).map(([k, v]): [string, string] => [k, v.trim()]).filter(([, v]) => v !== ''));
    void run(async () => {
      onSaved(await api<Organization>('PATCH', '/me', { contacts }));
      setSaved(true);
    });
  };
  return (
    <Card title={t('factoryProfile.contactsTitle')}>
      <p className="muted small">{t('factoryProfile.contactsHint')}</p>
      <form onSubmit={submit} aria-label={t('factoryProfile.contactsTitle')}>
        <Field label={t('factoryProfile.contactName')} error={errorOf('name')}>
          <input name="contactName" maxLength={60} autoComplete="name" readOnly={!editable} value={draft.name} onChange={(e) => set('name', e.target.value)} />
        </Field>
        <Field label={t('factoryProfile.phone')} error={errorOf('phone')} hint={t('factoryProfile.phoneHint')}>
          <input name="phone" type="tel" inputMode="tel" maxLength={24} autoComplete="tel" readOnly={!editable} value={draft.phone} onChange={(e) => set('phone', e.target.value)} />
        </Field>
        <Field label={t('factoryProfile.wechat')} error={errorOf('wechat')} hint={t('factoryProfile.wechatHint')}>
          <input name="wechat" maxLength={40} autoCapitalize="off" readOnly={!editable} value={draft.wechat} onChange={(e) => set('wechat', e.target.value)} />
        </Field>
        {problem && problem.errors.every((e) => e.field.startsWith('contacts.')) ? null : problem ? <ProblemBox problem={problem} /> : null}
        {saved ? <div className="saved" role="status" data-testid="contacts-saved">{t('factoryProfile.saved')}</div> : null}
        {editable ? <button type="submit" className="primary" disabled={busy}>{t('factoryProfile.saveContacts')}</button> : null}
      </form>
    </Card>
  );
}
