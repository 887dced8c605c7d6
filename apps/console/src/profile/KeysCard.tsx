import { type FormEvent, type ReactNode, useState } from 'react';
import { api } from '../api';
import { useDomain } from '../i18n/domain';
import { Card, Empty, Field, Loading, ProblemBox, useResource } from '../ui';
import { useAction } from '../useAction';

/** GET /me/keys, as the console needs it (libs/market/src/identity/identity.view.ts). */
interface ApiKey {
  id: string;
  label: string;
  createdAt: string;
  revokedAt: string | null;
  current: boolean;
}

/** The owner's API keys (for ERPs and loom gateways): make one (shown once), revoke one. */
export function KeysCard(): ReactNode {
  const { t, f } = useDomain();
  const keys = useResource(() => api<{ items: ApiKey[] }>('GET', '/me/keys'), []);
  const [label, setLabel] = useState('');
  const [fresh, setFresh] = useState<string>();
  const create = useAction();
  const revoke = useAction();
  const submit = (e: FormEvent): void => {
    e.preventDefault();
    void create.run(async () => {
      const made = await api<{ apiKey: string }>('POST', '/me/keys', label.trim() ? { label: label.trim() } : {});
      setFresh(made.apiKey);
      setLabel('');
      keys.reload();
    });
  };
  const live = (keys.data?.items ?? []).filter((k) => !k.revokedAt);
  return (
    <Card title={t('factoryProfile.keysTitle')} className="keys">
      <p className="muted small">{t('factoryProfile.keysHint')}</p>
      {fresh ? <div className="notice" data-testid="new-key">{t('factoryProfile.keyOnce')}: <code>{fresh}</code></div> : null}
      {keys.error ? <ProblemBox problem={keys.error} onRetry={keys.reload} /> : null}
      {revoke.problem ? <ProblemBox problem={revoke.problem} /> : null}
      {keys.loading && !keys.data ? <Loading rows={1} label={t('factoryProfile.loadingKeys')} /> : null}
      {keys.data && live.length === 0 ? <Empty title={t('factoryProfile.noKeys')} /> : null}
      <ul className="people-list">
        {live.map((k) => (
          <li key={k.id} data-testid="api-key">
            <span>{k.label}</span> <span className="muted small">{t('factoryProfile.keyMade', { at: f.dateTime(k.createdAt) })}</span>{' '}
            {k.current ? <span className="muted small">{t('factoryProfile.keyCurrent')}</span> : null}{' '}
            <button type="button" className="ghost small" disabled={revoke.busy} aria-label={t('factoryProfile.revokeKey', { label: k.label })}
              onClick={() => void revoke.run(async () => { await api('DELETE', `/me/keys/${k.id}`); keys.reload(); })}>{t('factoryProfile.revoke')}</button>
          </li>
        ))}
      </ul>
      <form onSubmit={submit} aria-label={t('factoryProfile.newKey')} className="row">
        <Field label={t('factoryProfile.keyLabel')}>
          <input name="keyLabel" maxLength={60} placeholder={t('factoryProfile.keyLabelPlaceholder')} value={label} onChange={(e) => setLabel(e.target.value)} />
        </Field>
        <button type="submit" className="ghost" disabled={create.busy}>{t('factoryProfile.newKey')}</button>
      </form>
      {create.problem ? <ProblemBox problem={create.problem} /> : null}
    </Card>
  );
}
