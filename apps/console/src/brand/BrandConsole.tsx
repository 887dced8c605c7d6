import { type ReactNode, useEffect, useMemo, useState } from 'react';
import { allCounterparties, api } from '../api';
import { type FeedState, useLiveFeed } from '../live';
import type { BrandCounterparties, Names, NumberedPage, Order, Organization } from '../types';
import { useDomain } from '../i18n/domain';
import { Card, Empty, FeedBadge, Loading, ProblemBox, shortId, Status, useResource, useThrottled } from '../ui';
import { describeSpec, OrderDetail } from './OrderDetail';
import { OrderForm } from './OrderForm';
import { WebhooksCard } from '../webhooks/WebhooksCard';
import { PeopleCard } from '../people/PeopleCard';
import { useCan } from '../roles';
import { SpreadsheetImport } from '../imports/SpreadsheetImport';
import { FIRST_PAGE, type OrderQuery, OrderSearch, Pager, queryString } from '../lists/OrderSearch';

/** The brand's status filter: groups of statuses, as the API takes several at once. */
const STATUS_GROUPS = [
  { value: '', key: 'all' },
  { value: 'pending,matching,proposed,confirmed,in_production,awaiting_approval', key: 'active' },
  { value: 'unmatched,partial', key: 'unmatched' },
  { value: 'completed,cancelled,expired', key: 'done' },
] as const;

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
  const d = useDomain();
  const { t, f } = d;
  const [query, setQuery] = useState<OrderQuery>(FIRST_PAGE);
  const asked = queryString(query);
  const orders = useResource(() => api<NumberedPage<Order>>('GET', `/orders?${asked}`), [asked]);
  const parties = useResource(() => allCounterparties<BrandCounterparties>(), []);
  const names = useMemo<Names>(() => {
    const factories = new Map((parties.data?.factories ?? []).map((f) => [f.id, f.city ? `${f.name} (${f.city})` : f.name]));
    const lines = new Map((parties.data?.lines ?? []).map((l) => [l.id, l.name]));
    const contacts = new Map((parties.data?.factories ?? []).flatMap((f) => (f.contacts ? [[f.id, f.contacts] as const] : [])));
    return { factory: (id) => factories.get(id), line: (id) => lines.get(id), contacts: (id) => contacts.get(id) };
  }, [parties.data]);
  const reload = useThrottled(() => {
    orders.reload();
    parties.reload();
  }, 1000);
  const [selected, setSelected] = useState<string>();
  const [importing, setImporting] = useState(false);
  const feed = useLiveFeed(apiKey, reload);
  const can = useCan();
  usePollWhenOffline(feed, orders.reload);
  const items = orders.data?.items ?? [];
  const current = orders.data?.items.find((o) => o.id === selected);

  return (
    <div className="layout-brand">
      {can('postOrder') ? (
        <Card title={t('brand.newOrder')} className="new-order">
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
        title={t('brand.orders', { name: me.name })}
        actions={
          <div className="row">
            {can('postOrder') ? (
              <button type="button" className="ghost" aria-expanded={importing} onClick={() => setImporting(!importing)}>
                {t('imports.orders.title')}
              </button>
            ) : null}
            <FeedBadge state={feed} />
          </div>
        }
      >
        {importing ? <SpreadsheetImport target="orders" onImported={() => (asked === queryString(FIRST_PAGE) ? orders.reload() : setQuery(FIRST_PAGE))} /> : null}
        <OrderSearch value={query} onChange={setQuery} statuses={STATUS_GROUPS.map((g) => ({ value: g.value, label: t(`brand.filter.${g.key}`) }))} />
        {orders.error ? <ProblemBox problem={orders.error} onRetry={orders.reload} /> : null}
        {orders.loading && !orders.data ? <Loading rows={4} label={t('brand.loadingOrders')} /> : null}
        {orders.data && items.length === 0 ? (
          <Empty title={asked === queryString(FIRST_PAGE) ? t('brand.noOrders') : t('brand.noneInView')}>
            {asked === queryString(FIRST_PAGE) ? t('brand.noOrdersHint') : t('brand.noneInViewHint')}
          </Empty>
        ) : null}
        <ul className="order-list">
          {items.map((o) => (
            <li key={o.id} data-testid="order-row" data-order-id={o.id} data-status={o.status} className={o.id === selected ? 'selected' : ''}>
              <button type="button" className="order-summary" onClick={() => setSelected(o.id === selected ? undefined : o.id)} aria-expanded={o.id === selected}>
                <span className="order-main">
                  <strong>{d.quantity(o.quantity, o.kind)}</strong> {describeSpec(d, o)}
                  <span className="meta muted small">{t('common.due', { date: f.day(o.dueDate) })} · {t('common.posted', { at: f.dateTime(o.createdAt) })} · {shortId(o.id)}</span>
                </span>
                <span className="order-side">
                  {o.allocations.length > 0 ? <span className="muted small">{t('brand.linesHeld', { count: o.allocations.filter((a) => !['rejected', 'expired', 'cancelled'].includes(a.status)).length })}</span> : null}
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
