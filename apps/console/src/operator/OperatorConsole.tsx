import { type ReactNode, useCallback, useEffect, useRef, useState } from 'react';
import { api } from '../api';
import { usePollWhenOffline } from '../brand/BrandConsole';
import { useLiveFeed } from '../live';
import type { FactoryLoad, MarketEvent, MarketOrder, Match, Page, Stats } from '../types';
import { Card, Empty, FeedBadge, Loading, money, num, pct, ProblemBox, seconds, shortId, Status, useResource, useThrottled, when } from '../ui';
import { Heatmap } from './Heatmap';
import { Kpis } from './Kpis';
import { Radar } from './Radar';
import { useAction } from '../useAction';
import { useCan } from '../roles';
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

function describeEvent(e: MarketEvent): string {
  const p = e.payload;
  const order = p.orderId ? `order ${shortId(String(p.orderId))}` : '';
  switch (e.type) {
    case 'order.posted':
      return `${order} posted · ${num(Number(text(p.quantity) || 0))} ${p.kind === 'garment' ? 'pcs' : 'm'}, due ${text(p.dueDate)}`;
    case 'order.matched':
      return `${order} matched to ${Array.isArray(p.allocations) ? p.allocations.length : '?'} line(s)`;
    case 'order.unmatched':
      return `${order} unmatched${Array.isArray(p.reasons) && p.reasons[0] ? ` · ${(p.reasons[0] as { code: string }).code}` : ''}`;
    case 'offer.rejected':
      return `${order} offer rejected${text(p.reason) ? ` · “${text(p.reason)}”` : ''}`;
    default:
      return `${order} ${e.type.replace('.', ' ')}`;
  }
}

function LiveMatches({ matches, fresh }: { matches: Match[]; fresh: Set<string> }): ReactNode {
  if (matches.length === 0) return <Empty title="No matches yet">Matches appear here the moment the scheduler dispatches an order.</Empty>;
  return (
    <ul className="matches" data-testid="matches">
      {matches.map((m) => (
        <li key={m.allocationId} data-testid="match" data-order-id={m.orderId} className={fresh.has(m.allocationId) ? 'fresh' : ''}>
          <div className="match-main">
            <strong>{m.brandName}</strong> → <strong>{m.factoryName}</strong>
            <span className="muted small"> {m.factoryCity ?? ''} · {m.lineName}</span>
          </div>
          <div className="match-side">
            <span>{num(m.quantity)} {m.orderKind === 'fabric' ? 'm' : 'pcs'}</span>
            <span className="muted small">{money(m.price)} · matched in {seconds(m.secondsToMatch)}</span>
            <Status value={m.status} />
          </div>
        </li>
      ))}
    </ul>
  );
}

function specOf(o: MarketOrder): string {
  const f = o.spec.fabric;
  const g = o.spec.garment;
  return f ? `${f.fiber} ${f.weave}, ${f.widthCm} cm, ${f.picksPerCm} picks/cm` : g ? `${g.category}, ${g.fabricType}, ${g.samMinutes} SAM` : o.kind;
}

function OrderRow({ order, onChanged }: { order: MarketOrder; onChanged: () => void }): ReactNode {
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
          <strong>{num(order.quantity)} {order.kind === 'fabric' ? 'm' : 'pcs'}</strong> {specOf(order)}
          <span className="meta muted small">{order.brandName} · due {order.dueDate} · posted {when(order.createdAt)} · {order.allocations} allocation{order.allocations === 1 ? '' : 's'} · {shortId(order.id)}</span>
        </span>
        <span className="order-side">
          {can('rematch') && (order.status === 'unmatched' || order.status === 'pending') ? (
            <button type="button" className="ghost small" disabled={busy} onClick={() => void rematch()}>{busy ? 'Queued…' : 'Re-match'}</button>
          ) : null}
          <Status value={order.status} />
        </span>
      </div>
      {order.status === 'unmatched' && order.explanation ? (
        <div className="explanation warn">
          <ul className="reasons">
            {(order.explanation.reasons ?? []).map((r) => (
              <li key={r.code}><code>{r.code}</code> {r.message}</li>
            ))}
          </ul>
          {order.explanation.closestMiss ? <div className="muted small">Closest miss: {pct(order.explanation.closestMiss.coveredFraction)} covered by the due date ({order.explanation.closestMiss.linesConsidered} lines considered).</div> : null}
        </div>
      ) : null}
      {problem ? <ProblemBox problem={problem} /> : null}
    </li>
  );
}

/** The operator's console: the market live, orders and why they wait, factories and their load. */
export function OperatorConsole({ operatorKey }: { operatorKey: string | undefined }): ReactNode {
  const [tab, setTab] = useState<Tab>(tabFromHash);
  const [filter, setFilter] = useState('all');
  const stats = useResource(() => api<Stats>('GET', '/stats'), []);
  const matches = useResource(() => api<Page<Match>>('GET', '/matches?limit=50'), []);
  const orders = useResource(() => api<Page<MarketOrder>>('GET', `/market/orders?limit=200${filter === 'all' ? '' : `&status=${filter}`}`), [filter]);
  const [factoryFilter, setFactoryFilter] = useState<'all' | 'false'>('all');
  const [factoryLimit, setFactoryLimit] = useState(50);
  const factories = useResource(
    () => api<{ days: string[]; items: FactoryLoad[]; nextCursor?: string }>('GET', `/factories?limit=${factoryLimit}${factoryFilter === 'all' ? '' : '&verified=false'}`),
    [factoryFilter, factoryLimit],
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
  const go = (t: Tab): void => {
    window.location.hash = t;
    setTab(t);
    if (t === 'orders') orders.reload();
    if (t === 'factories') factories.reload();
  };

  return (
    <div className="layout-operator">
      <nav className="subnav">
        <div className="chips" role="tablist" aria-label="Operator views">
          {TABS.map((t) => (
            <button key={t} type="button" role="tab" aria-selected={tab === t} onClick={() => go(t)}>
              {t === 'live' ? 'Live market' : t === 'orders' ? `Orders${stats.data ? ` (${stats.data.orders.total})` : ''}` : t === 'factories' ? 'Factories & load' : 'Radar · 雷达'}
            </button>
          ))}
        </div>
        <div className="row">
          <FeedBadge state={feed} />
          {/* The board's cookie is exchanged for the operator key; a person's session (cookie path /api) does not reach /admin. */}
          {operatorKey ? <button type="button" className="ghost small" onClick={() => void openQueueBoard(operatorKey)}>Queue board ↗</button> : null}
        </div>
      </nav>

      {tab === 'live' ? (
        <>
          {stats.error ? <ProblemBox problem={stats.error} onRetry={stats.reload} /> : null}
          {stats.data ? <Kpis stats={stats.data} /> : stats.loading ? <Loading rows={2} label="Loading figures" /> : null}
          <div className="live-grid">
            <Card title="Live matches">
              {matches.error ? <ProblemBox problem={matches.error} onRetry={matches.reload} /> : null}
              {matches.data ? <LiveMatches matches={matches.data.items} fresh={fresh} /> : matches.loading ? <Loading rows={3} label="Loading matches" /> : null}
            </Card>
            <Card title="Event feed">
              {events.length === 0 ? (
                <Empty title={feed === 'live' ? 'Listening…' : 'Waiting for the feed'}>Every posting, match, offer and answer shows here as it happens.</Empty>
              ) : (
                <ol className="events" data-testid="events">
                  {events.map((e) => (
                    <li key={e.id || `${e.type}-${e.receivedAt}`} className={`ev ev-${e.type.split('.')[0]}`}>
                      <span className="ev-type">{e.type}</span>
                      <span className="ev-text">{describeEvent(e)}</span>
                      <time className="muted small">{new Date(e.receivedAt).toLocaleTimeString()}</time>
                    </li>
                  ))}
                </ol>
              )}
            </Card>
          </div>
        </>
      ) : null}

      {tab === 'orders' ? (
        <Card
          title="Orders"
          actions={
            <label className="inline">
              <span className="muted small">status</span>
              <select aria-label="Filter by status" value={filter} onChange={(e) => setFilter(e.target.value)}>
                {STATUS_FILTERS.map((s) => (
                  <option key={s} value={s}>
                    {s.replace('_', ' ')}
                    {countOf(s) !== undefined ? ` (${countOf(s)})` : ''}
                  </option>
                ))}
              </select>
            </label>
          }
        >
          {orders.error ? <ProblemBox problem={orders.error} onRetry={orders.reload} /> : null}
          {orders.loading && !orders.data ? <Loading rows={4} label="Loading orders" /> : null}
          {orders.data && !orders.loading && visible.length === 0 ? <Empty title={filter === 'all' ? 'No orders yet' : `No ${filter.replace('_', ' ')} orders`} /> : null}
          <ul className="order-list">{visible.map((o) => <OrderRow key={o.id} order={o} onChanged={orders.reload} />)}</ul>
        </Card>
      ) : null}

      {tab === 'radar' ? <Radar /> : null}

      {tab === 'factories' ? (
        <Card
          title="Factories and their next 30 days"
          actions={
            <div className="chips" role="tablist" aria-label="Filter factories">
              <button type="button" role="tab" aria-selected={factoryFilter === 'all'} onClick={() => setFactoryFilter('all')}>all</button>
              <button type="button" role="tab" aria-selected={factoryFilter === 'false'} onClick={() => setFactoryFilter('false')}>waiting for verification</button>
            </div>
          }
        >
          {factories.error ? <ProblemBox problem={factories.error} onRetry={factories.reload} /> : null}
          {factories.data ? <Heatmap data={factories.data} onChanged={factories.reload} /> : factories.loading ? <Loading rows={4} label="Loading factories" /> : null}
          {factories.data?.nextCursor && factoryLimit < 500 ? (
            <div className="row end">
              <button type="button" className="ghost" disabled={factories.loading} onClick={() => setFactoryLimit(Math.min(500, factoryLimit + 50))}>Show more factories</button>
            </div>
          ) : null}
        </Card>
      ) : null}
      {tab === 'factories' ? <RejectReasonSums /> : null}
    </div>
  );
}
