import { type ReactNode, useState } from 'react';
import { api } from '../api';
import type { OrderEvent } from '../types';
import { useDomain } from '../i18n/domain';
import { Loading, ProblemBox, useResource } from '../ui';


/** An order's events, oldest first (GET /orders/{id}/history): the brand's order page and the operator's drill-down. */
export function OrderHistory({ orderId }: { orderId: string }): ReactNode {
  const { t, f } = useDomain();
  // Who caused an event: the platform, the operator, or the kind of caller (person:<id>, key:<id>).
  const byWhom = (by: string | null): string => t(`lists.history.${by === null ? 'platform' : (by.split(':')[0] ?? 'platform')}`, { defaultValue: by ?? '' });
  const history = useResource(() => api<{ items: OrderEvent[] }>('GET', `/orders/${orderId}/history`), [orderId]);
  if (history.error) return <ProblemBox problem={history.error} onRetry={history.reload} />;
  if (!history.data) return <Loading rows={2} label={t('lists.history.title')} />;
  if (history.data.items.length === 0) return <p className="muted small">{t('lists.history.none')}</p>;
  return (
    <ol className="events order-history" data-testid="order-history" aria-label={t('lists.history.title')}>
      {history.data.items.map((e) => (
        <li key={e.id} className={`ev ev-${e.type.split('.')[0]}`}>
          <time className="muted small" dateTime={e.at}>{f.dateTime(e.at)}</time>
          <span className="ev-type">{e.type}</span>
          <span className="muted small">{byWhom(e.by)}</span>
        </li>
      ))}
    </ol>
  );
}

/** The history behind a button: read only when someone opens it. */
export function HistoryToggle({ orderId }: { orderId: string }): ReactNode {
  const { t } = useDomain();
  const [open, setOpen] = useState(false);
  return (
    <div className="order-history-box">
      <button type="button" className="ghost small" aria-expanded={open} onClick={() => setOpen(!open)}>{t(open ? 'lists.history.close' : 'lists.history.open')}</button>
      {open ? <OrderHistory orderId={orderId} /> : null}
    </div>
  );
}
