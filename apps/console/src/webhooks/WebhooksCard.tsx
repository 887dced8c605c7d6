import { type ReactNode, useState } from 'react';
import { type EventType, WEBHOOK_EVENTS, type Webhook, type WebhookDelivery } from '@cloudloom/contracts';
import { api } from '../api';
import type { Kind } from '../types';
import { useTranslation } from 'react-i18next';
import { useDomain } from '../i18n/domain';
import { useFormat } from '../i18n/format';
import { Card, Empty, Field, FieldGroup, Loading, ProblemBox, Status, useFieldError, useResource } from '../ui';
import { useAction } from '../useAction';


/** A brand's or factory's webhooks: subscribe, pause, delete, and each one's delivery log with redeliver. */
export function WebhooksCard({ kind }: { kind: Kind }): ReactNode {
  const { t } = useTranslation();
  const hooks = useResource(() => api<{ items: Webhook[] }>('GET', '/me/webhooks'), []);
  const [adding, setAdding] = useState(false);
  const [secret, setSecret] = useState<string>();
  return (
    <Card title={t('webhooks.title')} className="webhooks" actions={<button type="button" className={adding ? 'ghost' : 'primary'} onClick={() => setAdding(!adding)}>{adding ? t('webhooks.close') : t('webhooks.add')}</button>}>
      {adding ? <WebhookForm kind={kind} onCreated={(s) => { setAdding(false); setSecret(s); hooks.reload(); }} /> : null}
      {secret ? <div className="notice" data-testid="webhook-secret">{t('webhooks.secretOnce')}: <code>{secret}</code></div> : null}
      {hooks.error ? <ProblemBox problem={hooks.error} onRetry={hooks.reload} /> : null}
      {hooks.loading && !hooks.data ? <Loading rows={1} label={t('webhooks.loading')} /> : null}
      {hooks.data && hooks.data.items.length === 0 && !adding ? <Empty title={t('webhooks.none')}>{t('webhooks.noneHint')}</Empty> : null}
      <ul className="offers">{(hooks.data?.items ?? []).map((h) => <WebhookRow key={h.id} hook={h} onChanged={hooks.reload} onSecret={setSecret} />)}</ul>
    </Card>
  );
}

function WebhookForm({ kind, onCreated }: { kind: Kind; onCreated: (secret: string) => void }): ReactNode {
  const { t } = useTranslation();
  const { word } = useDomain();
  const allowed = WEBHOOK_EVENTS[kind];
  const [url, setUrl] = useState('');
  const [events, setEvents] = useState<readonly EventType[]>(allowed.slice(0, 2));
  const { busy, problem, run } = useAction();
  const fieldError = useFieldError(problem);
  const toggle = (e: EventType): void => setEvents(events.includes(e) ? events.filter((x) => x !== e) : [...events, e]);
  return (
    <form onSubmit={(e) => { e.preventDefault(); void run(async () => onCreated((await api<{ secret: string }>('POST', '/me/webhooks', { url, events })).secret)); }}>
      <Field label={t('webhooks.url')} hint={t('webhooks.urlHint')} error={fieldError('url')}>
        <input name="url" type="url" required value={url} onChange={(e) => setUrl(e.target.value)} />
      </Field>
      <FieldGroup label={t('webhooks.events')} error={fieldError('events')}>
        <div className="chips">
          {allowed.map((e) => (
            <label key={e} className="small"><input type="checkbox" checked={events.includes(e)} onChange={() => toggle(e)} /> {word('eventType', e)}</label>
          ))}
        </div>
      </FieldGroup>
      <button type="submit" className="primary" disabled={busy || events.length === 0}>{t('webhooks.save')}</button>
      {problem ? <ProblemBox problem={problem} inline={['url', 'events']} /> : null}
    </form>
  );
}

function WebhookRow({ hook, onChanged, onSecret }: { hook: Webhook; onChanged: () => void; onSecret: (secret: string) => void }): ReactNode {
  const { t } = useTranslation();
  const { word } = useDomain();
  const [open, setOpen] = useState(false);
  const { busy, problem, run } = useAction();
  return (
    <li data-testid="webhook" className="offer">
      <div className="row">
        <code>{hook.url}</code> <Status value={hook.active ? 'active' : 'paused'} />
        <span className="muted small">{hook.events.map((e) => word('eventType', e)).join(t('common.clauseSeparator'))}</span>
      </div>
      <div className="row">
        <button type="button" className="ghost small" aria-expanded={open} onClick={() => setOpen(!open)}>{t('webhooks.deliveries')}</button>
        <button type="button" className="ghost small" disabled={busy} onClick={() => void run(async () => { await api('PATCH', `/me/webhooks/${hook.id}`, { active: !hook.active }); onChanged(); })}>{hook.active ? t('webhooks.pause') : t('webhooks.resume')}</button>
        <button type="button" className="ghost small" disabled={busy} onClick={() => void run(async () => onSecret((await api<{ secret: string }>('POST', `/me/webhooks/${hook.id}/rotate-secret`)).secret))}>{t('webhooks.rotate')}</button>
        <button type="button" className="ghost small" disabled={busy} onClick={() => void run(async () => { await api('DELETE', `/me/webhooks/${hook.id}`); onChanged(); })}>{t('webhooks.remove')}</button>
      </div>
      {problem ? <ProblemBox problem={problem} /> : null}
      {open ? <Deliveries hookId={hook.id} /> : null}
    </li>
  );
}

function Deliveries({ hookId }: { hookId: string }): ReactNode {
  const { t } = useTranslation();
  const { word } = useDomain();
  const f = useFormat();
  const list = useResource(() => api<{ items: WebhookDelivery[] }>('GET', `/me/webhooks/${hookId}/deliveries`), [hookId]);
  const { busy, problem, run } = useAction();
  if (list.error) return <ProblemBox problem={list.error} onRetry={list.reload} />;
  if (!list.data) return <Loading rows={1} label={t('webhooks.deliveries')} />;
  if (list.data.items.length === 0) return <Empty title={t('webhooks.noDeliveries')} />;
  return (
    <div className="table-wrap">
      {problem ? <ProblemBox problem={problem} /> : null}
      <table>
        <tbody>
          {list.data.items.map((d) => {
            const last = d.log.at(-1);
            return (
              <tr key={d.id} data-testid="webhook-delivery">
                <td>{word('eventType', d.eventType)}</td>
                <td><Status value={d.status} /></td>
                <td className="small">{t('webhooks.attempts', { count: d.attempts })}{last ? ` · ${last.statusCode ?? last.errorClass ?? ''} · ${last.durationMs} ms` : ''}</td>
                <td className="muted small">{f.dateTime(d.createdAt)}</td>
                <td className="num"><button type="button" className="ghost small" disabled={busy} onClick={() => void run(async () => { await api('POST', `/me/webhooks/${hookId}/deliveries/${d.id}/redeliver`); list.reload(); })}>{t('webhooks.redeliver')}</button></td>
              </tr>
            );
          })}
        </tbody>
      </table>
    </div>
  );
}
