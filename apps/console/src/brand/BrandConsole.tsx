import { type ReactNode, useEffect, useMemo, useState } from 'react';
import { allCounterparties, api } from '../api';
import { type FeedState, useLiveFeed } from '../live';
import type { BrandCounterparties, Names, Order, Organization, Page } from '../types';
import { Card, Empty, FeedBadge, Loading, num, ProblemBox, shortId, Status, useResource, useThrottled, when } from '../ui';
import { describeSpec, OrderDetail } from './OrderDetail';
import { OrderForm } from './OrderForm';
import { WebhooksCard } from '../webhooks/WebhooksCard';
import { PeopleCard } from '../people/PeopleCard';
import { useCan } from '../roles';

const FILTERS = ['all', 'active', 'unmatched', 'done'] as const;
type Filter = (typeof FILTERS)[number];
const ACTIVE = new Set(['pending', 'matching', 'proposed', 'confirmed', 'in_production']);
const DONE = new Set(['completed', 'cancelled', 'expired']);
const keep = (f: Filter, o: Order): boolean => f === 'all' || (f === 'active' ? ACTIVE.has(o.status) : f === 'unmatched' ? o.status === 'unmatched' || o.status === 'partial' : DONE.has(o.status));

/** Refreshes on the live feed, or every 10 s when the feed is off. */
export function usePollWhenOffline(state: FeedState, reload: () => void): void {
  useEffect(() => {
    if (state !== 'offline') return;
    const timer = setInterval(reload, 10_000);
    return () => clearInterval(timer);
  }, [state, reload]);
}

/** A brand's console: post orders, follow them live, read each plan, cancel. */
export function BrandConsole({ me, apiKey }: { me: Organization; apiKey: string | undefined }): ReactNode {
  const orders = useResource(() => api<Page<Order>>('GET', '/orders'), []);
  const parties = useResource(() => allCounterparties<BrandCounterparties>(), []);
  const names = useMemo<Names>(() => {
    const factories = new Map((parties.data?.factories ?? []).map((f) => [f.id, f.city ? `${f.name} (${f.city})` : f.name]));
    const lines = new Map((parties.data?.lines ?? []).map((l) => [l.id, l.name]));
    return { factory: (id) => factories.get(id), line: (id) => lines.get(id) };
  }, [parties.data]);
  const reload = useThrottled(() => {
    orders.reload();
    parties.reload();
  }, 1000);
  const [selected, setSelected] = useState<string>();
  const [filter, setFilter] = useState<Filter>('all');
  const feed = useLiveFeed(apiKey, reload);
  const can = useCan();
  usePollWhenOffline(feed, orders.reload);
  const items = useMemo(() => (orders.data?.items ?? []).filter((o) => keep(filter, o)), [orders.data, filter]);
  const current = orders.data?.items.find((o) => o.id === selected);

  return (
    <div className="layout-brand">
      {can('postOrder') ? (
        <Card title="New order" className="new-order">
          <OrderForm
            onPosted={(order) => {
              setSelected(order.id);
              setFilter('all');
              orders.reload();
            }}
          />
        </Card>
      ) : null}
      <Card
        title={`${me.name} — orders`}
        actions={
          <div className="row">
            <FeedBadge state={feed} />
            <div className="chips" role="tablist" aria-label="Filter orders">
              {FILTERS.map((f) => (
                <button key={f} type="button" role="tab" aria-selected={filter === f} onClick={() => setFilter(f)}>{f}</button>
              ))}
            </div>
          </div>
        }
      >
        {orders.error ? <ProblemBox problem={orders.error} onRetry={orders.reload} /> : null}
        {orders.loading && !orders.data ? <Loading rows={4} label="Loading orders" /> : null}
        {orders.data && items.length === 0 ? (
          <Empty title={orders.data.items.length === 0 ? 'No orders yet' : 'No orders in this view'}>
            {orders.data.items.length === 0 ? 'Post your first order with the form; it is matched to idle looms or sewing lines within seconds.' : 'Choose another filter.'}
          </Empty>
        ) : null}
        <ul className="order-list">
          {items.map((o) => (
            <li key={o.id} data-testid="order-row" data-order-id={o.id} data-status={o.status} className={o.id === selected ? 'selected' : ''}>
              <button type="button" className="order-summary" onClick={() => setSelected(o.id === selected ? undefined : o.id)} aria-expanded={o.id === selected}>
                <span className="order-main">
                  <strong>{num(o.quantity)} {o.kind === 'fabric' ? 'm' : 'pcs'}</strong> {describeSpec(o)}
                  <span className="meta muted small">due {o.dueDate} · posted {when(o.createdAt)} · {shortId(o.id)}</span>
                </span>
                <span className="order-side">
                  {o.allocations.length > 0 ? <span className="muted small">{o.allocations.filter((a) => a.status !== 'rejected' && a.status !== 'expired').length} line(s)</span> : null}
                  <Status value={o.status} />
                </span>
              </button>
              {o.id === selected && current ? <OrderDetail order={current} names={names} onChanged={orders.reload} /> : null}
            </li>
          ))}
        </ul>
      </Card>
      {can('manageWebhooks') ? <WebhooksCard kind={me.kind} /> : null}
      {can('managePeople') ? <PeopleCard kind={me.kind} /> : null}
    </div>
  );
}
