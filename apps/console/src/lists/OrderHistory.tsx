import { type ReactNode, useState } from 'react';
import { api } from '../api';
import type { OrderEvent } from '../types';
import { Loading, ProblemBox, useResource, when } from '../ui';
import { LIST_TEXT as T } from './text';

/** Who caused an event, as the history shows it: the platform, the operator, or the kind of caller. */
const byWhom = (by: string | null): string => (by === null ? T.history.platform : by.split(':')[0] ?? by);

/** An order's events, oldest first (GET /orders/{id}/history): the brand's order page and the operator's drill-down. */
export function OrderHistory({ orderId }: { orderId: string }): ReactNode {
  const history = useResource(() => api<{ items: OrderEvent[] }>('GET', `/orders/${orderId}/history`), [orderId]);
  if (history.error) return <ProblemBox problem={history.error} onRetry={history.reload} />;
  if (!history.data) return <Loading rows={2} label={T.history.title} />;
  if (history.data.items.length === 0) return <p className="muted small">{T.history.none}</p>;
  return (
    <ol className="events order-history" data-testid="order-history" aria-label={T.history.title}>
      {history.data.items.map((e) => (
        <li key={e.id} className={`ev ev-${e.type.split('.')[0]}`}>
          <time className="muted small" dateTime={e.at}>{when(e.at)}</time>
          <span className="ev-type">{e.type}</span>
          <span className="muted small">{byWhom(e.by)}</span>
        </li>
      ))}
    </ol>
  );
}

/** The history behind a button: read only when someone opens it. */
export function HistoryToggle({ orderId }: { orderId: string }): ReactNode {
  const [open, setOpen] = useState(false);
  return (
    <div className="order-history-box">
      <button type="button" className="ghost small" aria-expanded={open} onClick={() => setOpen(!open)}>{open ? T.history.close : T.history.open}</button>
      {open ? <OrderHistory orderId={orderId} /> : null}
    </div>
  );
}
