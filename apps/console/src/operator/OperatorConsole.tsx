import { type ReactNode, useCallback, useEffect, useRef, useState } from 'react';
import { api } from '../api';
import { usePollWhenOffline } from '../brand/BrandConsole';
import { useLiveFeed } from '../live';
import type { FactoryLoad, MarketEvent, MarketOrder, Match, NumberedPage, Page, Stats } from '../types';
import { type Domain, useDomain } from '../i18n/domain';
import { Card, Empty, FeedBadge, Loading, ProblemBox, seconds, shortId, Status, useResource, useThrottled } from '../ui';
import { FIRST_FACTORIES, type FactoryQuery, factoryQueryString, Heatmap, HeatmapFilters } from './Heatmap';
import { Kpis } from './Kpis';
import { Radar } from './Radar';
import { useAction } from '../useAction';
import { useCan } from '../roles';
import { FIRST_PAGE, type OrderQuery, OrderSearch, Pager, queryString } from '../lists/OrderSearch';
import { HistoryToggle } from '../lists/OrderHistory';
import { UnmatchedGroups } from './UnmatchedGroups';
import { RejectReasonSums } from '../terms/RejectReasonSums';

const TABS = ['live', 'orders', 'factories', 'radar'] as const;
type Tab = (typeof TABS)[number];
const STATUS_FILTERS = ['all', 'unmatched', 'partial', 'pending', 'proposed', 'confirmed', 'in_production', 'completed', 'cancelled', 'expired'];

const tabFromHash = (): Tab => {
  const h = window.location.hash.slice(1);
  return (TABS as readonly string[]).includes(h) ? (h as Tab) : 'live';
};

/** The operator opens the queue board with a cookie scoped to /admin, exchanged for the key (never put in a URL). */
async function openQueueBoard(key: string): Promise<void> {
  const board = window.open('about:blank', '_blank');
  // Without the cookie the board asks for the operator key itself (HTTP Basic, key as password).
  await fetch('/admin/session', { method: 'POST', headers: { authorization: `Bearer ${key}` }, credentials: 'same-origin' }).catch(() => undefined);
  if (board) board.location.href = '/admin/queues';
}

const text = (v: unknown): string => (typeof v === 'string' || typeof v === 'number' ? String(v) : '');

function describeEvent(d: Domain, e: MarketEvent): string {
  const { t } = d;
  const p = e.payload;
  const order = p.orderId ? t('common.order', { id: shortId(String(p.orderId)) }) : '';
  switch (e.type) {
    case 'order.posted':
      return t('operator.event.posted', { order, quantity: d.quantity(Number(text(p.quantity) || 0), text(p.kind)), due: d.f.day(text(p.dueDate)) });
    case 'order.matched':
      return t('operator.event.matched', { order, lines: Array.isArray(p.allocations) ? p.allocations.length : '?' });
    case 'order.unmatched': {
      const first = Array.isArray(p.reasons) ? (p.reasons[0] as { code: string; lines?: number; message?: string } | undefined) : undefined;
      return `${t('operator.event.unmatched', { order })}${first ? ` · ${d.reason({ code: first.code, lines: first.lines ?? 0, message: first.message ?? first.code })}` : ''}`;
    }
    case 'offer.rejected':
      return `${t('operator.event.rejected', { order })}${typeof p.reasonCode === 'string' ? ` · ${d.word('rejectReason', p.reasonCode)}` : ''}${text(p.note ?? p.reason) ? ` · “${text(p.note ?? p.reason)}”` : ''}`;
    case 'order.stage_moved': {
      const to = (p.to ?? {}) as { startDate?: string; endDate?: string };
      return t('operator.event.stageMoved', {
        order, stage: d.word('lineKind', text(p.stage)), after: d.word('lineKind', text(p.after)), start: d.f.day(text(to.startDate)), end: d.f.day(text(to.endDate)),
      });
    }
    default:
      return t('operator.event.other', { order, type: d.word('eventType', e.type) });
  }
}

function LiveMatches({ matches, fresh }: { matches: Match[]; fresh: Set<string> }): ReactNode {
  const d = useDomain();
  const { t, f } = d;
  if (matches.length === 0) return <Empty title={t('operator.noMatches')}>{t('operator.noMatchesHint')}</Empty>;
  return (
    <ul className="matches" data-testid="matches">
      {matches.map((m) => (
        <li key={m.allocationId} data-testid="match" data-order-id={m.orderId} className={fresh.has(m.allocationId) ? 'fresh' : ''}>
          <div className="match-main">
            <strong>{m.brandName}</strong> → <strong>{m.factoryName}</strong>
            <span className="muted small"> {m.factoryCity ?? ''} · {m.lineName}</span>
          </div>
          <div className="match-side">
            <span>{d.quantity(m.quantity, m.orderKind)}</span>
            <span className="muted small">{t('operator.matchedIn', { price: f.cny(m.price), time: seconds(m.secondsToMatch) })}</span>
            <Status value={m.status} />
          </div>
        </li>
      ))}
    </ul>
  );
}

function OrderRow({ order, onChanged }: { order: MarketOrder; onChanged: () => void }): ReactNode {
  const d = useDomain();
  const { t, f } = d;
  const { busy, problem, run } = useAction();
  const can = useCan();
  const rematch = async (): Promise<void> => {
    await run(async () => {
      await api('POST', `/orders/${order.id}/rematch`, {});
      onChanged();
    });
  };
  return (
    <li className="op-order" data-testid="op-order" data-status={order.status}>
      <div className="order-summary static">
        <span className="order-main">
          <strong>{d.quantity(order.quantity, order.kind)}</strong> {d.spec(order.spec, order.kind)}
          <span className="meta muted small">{t('operator.orderMeta', { brand: order.brandName, due: f.day(order.dueDate), posted: f.dateTime(order.createdAt), allocations: order.allocations, id: shortId(order.id) })}</span>
        </span>
        <span className="order-side">
          {can('rematch') && (order.status === 'unmatched' || order.status === 'pending') ? (
            <button type="button" className="ghost small" disabled={busy} onClick={() => void rematch()}>{busy ? t('operator.queued') : t('operator.rematch')}</button>
          ) : null}
          <Status value={order.status} />
        </span>
      </div>
      {order.status === 'unmatched' && order.explanation ? (
        <div className="explanation warn">
          <ul className="reasons">
            {(order.explanation.reasons ?? []).map((r) => (
              <li key={r.code} data-code={r.code}>{d.reason(r)}</li>
            ))}
          </ul>
          {order.explanation.closestMiss ? <div className="muted small">{t('operator.closestMiss', { covered: f.pct(order.explanation.closestMiss.coveredFraction), lines: f.num(order.explanation.closestMiss.linesConsidered) })}</div> : null}
        </div>
      ) : null}
      <HistoryToggle orderId={order.id} />
      {problem ? <ProblemBox problem={problem} /> : null}
    </li>
  );
}

/** The operator's console: the market live, orders and why they wait, factories and their load. */
export function OperatorConsole({ operatorKey }: { operatorKey: string | undefined }): ReactNode {
  const d = useDomain();
  const { t, f } = d;
  const [tab, setTab] = useState<Tab>(tabFromHash);
  const [query, setQuery] = useState<OrderQuery>(FIRST_PAGE);
  const asked = queryString(query);
  const stats = useResource(() => api<Stats>('GET', '/stats'), []);
  const matches = useResource(() => api<Page<Match>>('GET', '/matches?limit=50'), []);
  const orders = useResource(() => api<NumberedPage<MarketOrder>>('GET', `/market/orders?${asked}`), [asked]);
  const [factoryQuery, setFactoryQuery] = useState<FactoryQuery>(FIRST_FACTORIES);
  const askedFactories = factoryQueryString(factoryQuery);
  const factories = useResource(
    () => api<{ days: string[]; cities: string[]; items: FactoryLoad[]; nextCursor?: string }>('GET', `/factories?${askedFactories}`),
    [askedFactories],
  );
  const [events, setEvents] = useState<MarketEvent[]>([]);
  const seen = useRef<Set<string> | undefined>(undefined);
  const [fresh, setFresh] = useState<Set<string>>(new Set());

  useEffect(() => {
    const onHash = (): void => setTab(tabFromHash());
    window.addEventListener('hashchange', onHash);
    return () => window.removeEventListener('hashchange', onHash);
  }, []);

  // Matches not in the first load are new since the page opened: they are highlighted.
  useEffect(() => {
    if (!matches.data) return;
    const ids = matches.data.items.map((m) => m.allocationId);
    if (!seen.current) seen.current = new Set(ids);
    else setFresh(new Set(ids.filter((id) => !seen.current!.has(id))));
  }, [matches.data]);

  // Figures and matches always; the other views only while they are on screen (they load when opened).
  const tabRef = useRef(tab);
  tabRef.current = tab;
  const refresh = useThrottled(
    useCallback(() => {
      stats.reload();
      matches.reload();
      if (tabRef.current === 'orders') orders.reload();
      if (tabRef.current === 'factories') factories.reload();
    }, [stats.reload, matches.reload, orders.reload, factories.reload]),
    1500,
  );

  const feed = useLiveFeed(operatorKey, (e) => {
    setEvents((list) => [e, ...list].slice(0, 60));
    refresh();
  });
  usePollWhenOffline(feed, refresh);

  const visible = orders.data?.items ?? [];
  const countOf = (status: string): number | undefined => (status === 'all' ? stats.data?.orders.total : (stats.data?.orders.byStatus[status] ?? 0));
  const go = (to: Tab): void => {
    window.location.hash = to;
    setTab(to);
    if (to === 'orders') orders.reload();
    if (to === 'factories') factories.reload();
  };

  return (
    <div className="layout-operator">
      <nav className="subnav">
        <div className="chips" role="tablist" aria-label={t('operator.views')}>
          {TABS.map((x) => (
            <button key={x} type="button" role="tab" aria-selected={tab === x} onClick={() => go(x)}>
              {t(`operator.tabs.${x}`)}{x === 'orders' && stats.data ? ` (${f.num(stats.data.orders.total)})` : ''}
            </button>
          ))}
        </div>
        <div className="row">
          <FeedBadge state={feed} />
          {/* The board's cookie is exchanged for the operator key; a person's session (cookie path /api) does not reach /admin. */}
          {operatorKey ? <button type="button" className="ghost small" onClick={() => void openQueueBoard(operatorKey)}>{t('operator.queueBoard')}</button> : null}
        </div>
      </nav>

      {tab === 'live' ? (
        <>
          {stats.error ? <ProblemBox problem={stats.error} onRetry={stats.reload} /> : null}
          {stats.data ? <Kpis stats={stats.data} /> : stats.loading ? <Loading rows={2} label={t('operator.loadingFigures')} /> : null}
          <div className="live-grid">
            <Card title={t('operator.liveMatches')}>
              {matches.error ? <ProblemBox problem={matches.error} onRetry={matches.reload} /> : null}
              {matches.data ? <LiveMatches matches={matches.data.items} fresh={fresh} /> : matches.loading ? <Loading rows={3} label={t('operator.loadingMatches')} /> : null}
            </Card>
            <Card title={t('operator.eventFeed')}>
              {events.length === 0 ? (
                <Empty title={feed === 'live' ? t('operator.listening') : t('operator.waitingFeed')}>{t('operator.eventsHint')}</Empty>
              ) : (
                <ol className="events" data-testid="events">
                  {events.map((e) => (
                    <li key={e.id || `${e.type}-${e.receivedAt}`} className={`ev ev-${e.type.split('.')[0]}`}>
                      <span className="ev-type">{e.type}</span>
                      <span className="ev-text">{describeEvent(d, e)}</span>
                      <time className="muted small">{f.time(e.receivedAt)}</time>
                    </li>
                  ))}
                </ol>
              )}
            </Card>
          </div>
        </>
      ) : null}

      {tab === 'orders' ? (
        <>
          <UnmatchedGroups active={query.reason} onPick={(reason) => setQuery({ ...FIRST_PAGE, pageSize: query.pageSize, ...(reason ? { reason } : {}) })} />
          <Card title={t('operator.orders')}>
            <OrderSearch
              value={query}
              onChange={setQuery}
              operator
              statuses={STATUS_FILTERS.map((s) => ({ value: s === 'all' ? '' : s, label: `${s === 'all' ? t('operator.all') : d.word('status', s)}${countOf(s) !== undefined ? ` (${countOf(s)})` : ''}` }))}
            />
            {query.reason ? <div className="muted small" data-testid="reason-filter">{d.reason({ code: query.reason, message: query.reason, lines: 0 })}</div> : null}
            {orders.error ? <ProblemBox problem={orders.error} onRetry={orders.reload} /> : null}
            {orders.loading && !orders.data ? <Loading rows={4} label={t('operator.loadingOrders')} /> : null}
            {orders.data && !orders.loading && visible.length === 0 ? (
              <Empty title={asked === queryString(FIRST_PAGE) ? t('operator.noOrders') : asked === queryString({ ...FIRST_PAGE, status: query.status }) ? t('operator.noOrdersOf', { status: d.word('status', query.status) }) : t('lists.none')} />
            ) : null}
            <ul className="order-list">{visible.map((o) => <OrderRow key={o.id} order={o} onChanged={orders.reload} />)}</ul>
            {orders.data && orders.data.total > orders.data.pageSize ? <Pager page={query.page} pageSize={query.pageSize} total={orders.data.total} onPage={(page) => setQuery({ ...query, page })} /> : null}
          </Card>
        </>
      ) : null}

      {tab === 'radar' ? <Radar /> : null}

      {tab === 'factories' ? (
        <Card
          title={t('operator.factoriesTitle')}
          actions={
            <div className="chips" role="tablist" aria-label={t('operator.filterFactories')}>
              {(['all', 'false'] as const).map((v) => (
                <button key={v} type="button" role="tab" aria-selected={factoryQuery.verified === v} onClick={() => setFactoryQuery({ ...factoryQuery, verified: v, limit: FIRST_FACTORIES.limit })}>
                  {v === 'all' ? t('operator.all') : t('operator.unverified')}
                </button>
              ))}
            </div>
          }
        >
          <HeatmapFilters value={factoryQuery} cities={factories.data?.cities ?? []} onChange={setFactoryQuery} />
          {factories.error ? <ProblemBox problem={factories.error} onRetry={factories.reload} /> : null}
          {factories.data ? <Heatmap data={factories.data} filtered={askedFactories !== factoryQueryString({ ...FIRST_FACTORIES, limit: factoryQuery.limit })} onChanged={factories.reload} /> : factories.loading ? <Loading rows={4} label={t('operator.loadingFactories')} /> : null}
          {factories.data?.nextCursor && factoryQuery.limit < 500 ? (
            <div className="row end">
              <button type="button" className="ghost" disabled={factories.loading} onClick={() => setFactoryQuery({ ...factoryQuery, limit: Math.min(500, factoryQuery.limit + 50) })}>{t('operator.moreFactories')}</button>
            </div>
          ) : null}
        </Card>
      ) : null}
      {tab === 'factories' ? <RejectReasonSums /> : null}
    </div>
  );
}
