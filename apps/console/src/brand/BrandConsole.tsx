import { type ReactNode, useEffect, useMemo, useState } from 'react';
import { allCounterparties, api } from '../api';
import { type FeedState, useLiveFeed } from '../live';
import type { BrandCounterparties, Names, NumberedPage, Order, Organization } from '../types';
import { Card, Empty, FeedBadge, Loading, num, ProblemBox, shortId, Status, useResource, useThrottled, when } from '../ui';
import { describeSpec, OrderDetail } from './OrderDetail';
import { OrderForm } from './OrderForm';
import { WebhooksCard } from '../webhooks/WebhooksCard';
import { PeopleCard } from '../people/PeopleCard';
import { useCan } from '../roles';
import { FIRST_PAGE, type OrderQuery, OrderSearch, Pager, queryString } from '../lists/OrderSearch';
import { LIST_TEXT } from '../lists/text';

/** The brand's status filter: groups of statuses, as the API takes several at once. */
const STATUS_GROUPS = [
  { value: '', label: LIST_TEXT.groups.all! },
  { value: 'pending,matching,proposed,confirmed,in_production,awaiting_approval', label: LIST_TEXT.groups.active! },
  { value: 'unmatched,partial', label: LIST_TEXT.groups.waiting! },
  { value: 'completed,cancelled,expired', label: LIST_TEXT.groups.done! },
];

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
  const [query, setQuery] = useState<OrderQuery>(FIRST_PAGE);
  const asked = queryString(query);
  const orders = useResource(() => api<NumberedPage<Order>>('GET', `/orders?${asked}`), [asked]);
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
  const feed = useLiveFeed(apiKey, reload);
  const can = useCan();
  usePollWhenOffline(feed, orders.reload);
  const items = orders.data?.items ?? [];
  const current = orders.data?.items.find((o) => o.id === selected);

  return (
    <div className="layout-brand">
      {can('postOrder') ? (
        <Card title="New order" className="new-order">
          <OrderForm
            onPosted={(order) => {
              setSelected(order.id);
              // The new order is the newest: the first page of an unfiltered list shows it.
              if (asked === queryString(FIRST_PAGE)) orders.reload();
              else setQuery(FIRST_PAGE);
            }}
          />
        </Card>
      ) : null}
      <Card
        title={`${me.name} — orders`}
        actions={
          <div className="row">
            <FeedBadge state={feed} />
          </div>
        }
      >
        <OrderSearch value={query} onChange={setQuery} statuses={STATUS_GROUPS} />
        {orders.error ? <ProblemBox problem={orders.error} onRetry={orders.reload} /> : null}
        {orders.loading && !orders.data ? <Loading rows={4} label="Loading orders" /> : null}
        {orders.data && items.length === 0 ? (
          asked === queryString(FIRST_PAGE) ? (
            <Empty title="No orders yet">Post your first order with the form; it is matched to idle looms or sewing lines within seconds.</Empty>
          ) : (
            <Empty title={LIST_TEXT.none}>{LIST_TEXT.noneHint}</Empty>
          )
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
        {orders.data && orders.data.total > orders.data.pageSize ? <Pager page={query.page} pageSize={query.pageSize} total={orders.data.total} onPage={(page) => setQuery({ ...query, page })} /> : null}
      </Card>
      {can('manageWebhooks') ? <WebhooksCard kind={me.kind} /> : null}
      {can('managePeople') ? <PeopleCard kind={me.kind} /> : null}
    </div>
  );
}
