import { type ReactNode, useState } from 'react';
import { type EventType, WEBHOOK_EVENTS, type Webhook, type WebhookDelivery } from '@cloudloom/contracts';
import { api } from '../api';
import type { Kind } from '../types';
import { Card, Empty, Field, Loading, ProblemBox, Status, useResource, when } from '../ui';
import { useAction } from '../useAction';

/** Every user-visible string of this section, in one place for the i18n pass (中文 beside English). */
const T = {
  title: 'Webhooks · 回调通知',
  add: 'Add webhook · 添加',
  close: 'Close · 关闭',
  url: 'Address (https://…) · 接收地址',
  urlHint: 'Your server receives each event as a signed POST; see docs/webhooks.md.',
  events: 'Events · 事件',
  save: 'Subscribe · 订阅',
  secretOnce: 'Signing secret — shown only now; store it on your server · 签名密钥仅显示一次',
  none: 'No webhooks yet · 暂无回调',
  noneHint: 'Subscribe an address of your ERP or chat bridge to the events of your trades.',
  deliveries: 'Deliveries · 投递记录',
  noDeliveries: 'No deliveries yet · 暂无投递',
  redeliver: 'Send again · 重新投递',
  pause: 'Pause · 暂停',
  resume: 'Resume · 恢复',
  remove: 'Delete · 删除',
  rotate: 'New secret · 更换密钥',
  attempts: (n: number): string => `${n} attempt${n === 1 ? '' : 's'} · ${n} 次尝试`,
  loading: 'Loading webhooks',
} as const;

/** A brand's or factory's webhooks: subscribe, pause, delete, and each one's delivery log with redeliver. */
export function WebhooksCard({ kind }: { kind: Kind }): ReactNode {
  const hooks = useResource(() => api<{ items: Webhook[] }>('GET', '/me/webhooks'), []);
  const [adding, setAdding] = useState(false);
  const [secret, setSecret] = useState<string>();
  return (
    <Card title={T.title} className="webhooks" actions={<button type="button" className={adding ? 'ghost' : 'primary'} onClick={() => setAdding(!adding)}>{adding ? T.close : T.add}</button>}>
      {adding ? <WebhookForm kind={kind} onCreated={(s) => { setAdding(false); setSecret(s); hooks.reload(); }} /> : null}
      {secret ? <div className="notice" data-testid="webhook-secret">{T.secretOnce}: <code>{secret}</code></div> : null}
      {hooks.error ? <ProblemBox problem={hooks.error} onRetry={hooks.reload} /> : null}
      {hooks.loading && !hooks.data ? <Loading rows={1} label={T.loading} /> : null}
      {hooks.data && hooks.data.items.length === 0 && !adding ? <Empty title={T.none}>{T.noneHint}</Empty> : null}
      <ul className="offers">{(hooks.data?.items ?? []).map((h) => <WebhookRow key={h.id} hook={h} onChanged={hooks.reload} onSecret={setSecret} />)}</ul>
    </Card>
  );
}

function WebhookForm({ kind, onCreated }: { kind: Kind; onCreated: (secret: string) => void }): ReactNode {
  const allowed = WEBHOOK_EVENTS[kind];
  const [url, setUrl] = useState('');
  const [events, setEvents] = useState<readonly EventType[]>(allowed.slice(0, 2));
  const { busy, problem, run } = useAction();
  const toggle = (e: EventType): void => setEvents(events.includes(e) ? events.filter((x) => x !== e) : [...events, e]);
  return (
    <form onSubmit={(e) => { e.preventDefault(); void run(async () => onCreated((await api<{ secret: string }>('POST', '/me/webhooks', { url, events })).secret)); }}>
      <Field label={T.url} hint={T.urlHint} error={problem?.fieldMessage('url')}>
        <input name="url" type="url" required value={url} onChange={(e) => setUrl(e.target.value)} />
      </Field>
      <Field label={T.events} error={problem?.fieldMessage('events')}>
        <div className="chips">
          {allowed.map((e) => (
            <label key={e} className="small"><input type="checkbox" checked={events.includes(e)} onChange={() => toggle(e)} /> {e}</label>
          ))}
        </div>
      </Field>
      <button type="submit" className="primary" disabled={busy || events.length === 0}>{T.save}</button>
      {problem ? <ProblemBox problem={problem} inline={['url', 'events']} /> : null}
    </form>
  );
}

function WebhookRow({ hook, onChanged, onSecret }: { hook: Webhook; onChanged: () => void; onSecret: (secret: string) => void }): ReactNode {
  const [open, setOpen] = useState(false);
  const { busy, problem, run } = useAction();
  return (
    <li data-testid="webhook" className="offer">
      <div className="row">
        <code>{hook.url}</code> <Status value={hook.active ? 'active' : 'paused'} />
        <span className="muted small">{hook.events.join(', ')}</span>
      </div>
      <div className="row">
        <button type="button" className="ghost small" aria-expanded={open} onClick={() => setOpen(!open)}>{T.deliveries}</button>
        <button type="button" className="ghost small" disabled={busy} onClick={() => void run(async () => { await api('PATCH', `/me/webhooks/${hook.id}`, { active: !hook.active }); onChanged(); })}>{hook.active ? T.pause : T.resume}</button>
        <button type="button" className="ghost small" disabled={busy} onClick={() => void run(async () => onSecret((await api<{ secret: string }>('POST', `/me/webhooks/${hook.id}/rotate-secret`)).secret))}>{T.rotate}</button>
        <button type="button" className="ghost small" disabled={busy} onClick={() => void run(async () => { await api('DELETE', `/me/webhooks/${hook.id}`); onChanged(); })}>{T.remove}</button>
      </div>
      {problem ? <ProblemBox problem={problem} /> : null}
      {open ? <Deliveries hookId={hook.id} /> : null}
    </li>
  );
}

function Deliveries({ hookId }: { hookId: string }): ReactNode {
  const list = useResource(() => api<{ items: WebhookDelivery[] }>('GET', `/me/webhooks/${hookId}/deliveries`), [hookId]);
  const { busy, problem, run } = useAction();
  if (list.error) return <ProblemBox problem={list.error} onRetry={list.reload} />;
  if (!list.data) return <Loading rows={1} label={T.deliveries} />;
  if (list.data.items.length === 0) return <Empty title={T.noDeliveries} />;
  return (
    <div className="table-wrap">
      {problem ? <ProblemBox problem={problem} /> : null}
      <table>
        <tbody>
          {list.data.items.map((d) => {
            const last = d.log.at(-1);
            return (
              <tr key={d.id} data-testid="webhook-delivery">
                <td>{d.eventType}</td>
                <td><Status value={d.status} /></td>
                <td className="small">{T.attempts(d.attempts)}{last ? ` · ${last.statusCode ?? last.errorClass ?? ''} · ${last.durationMs} ms` : ''}</td>
                <td className="muted small">{when(d.createdAt)}</td>
                <td className="num"><button type="button" className="ghost small" disabled={busy} onClick={() => void run(async () => { await api('POST', `/me/webhooks/${hookId}/deliveries/${d.id}/redeliver`); list.reload(); })}>{T.redeliver}</button></td>
              </tr>
            );
          })}
        </tbody>
      </table>
    </div>
  );
}
