import { type ReactNode, useEffect, useState } from 'react';
import { LIST_TEXT as T } from './text';

/** What an order list asks the server for (GET /orders, GET /market/orders): words, filters, sort, page. */
export interface OrderQuery {
  q: string;
  /** One status or several, comma-separated, as the API takes them; '' for all. */
  status: string;
  kind: '' | 'fabric' | 'garment';
  dueFrom: string;
  dueTo: string;
  sort: string;
  page: number;
  pageSize: number;
  /** The operator's: one group of the unmatched orders. */
  reason?: string;
}

export const FIRST_PAGE: OrderQuery = { q: '', status: '', kind: '', dueFrom: '', dueTo: '', sort: '-created', page: 1, pageSize: 20 };

/** The query string the list's route takes: only what is set, so the server's defaults apply to the rest. */
export function queryString(query: OrderQuery): string {
  const params = new URLSearchParams();
  const set = (name: string, value: string | number | undefined): void => {
    if (value !== undefined && value !== '') params.set(name, String(value));
  };
  set('q', query.q.trim());
  set('status', query.status);
  set('kind', query.kind);
  set('dueFrom', query.dueFrom);
  set('dueTo', query.dueTo);
  set('reason', query.reason);
  if (query.sort !== '-created') set('sort', query.sort);
  set('page', query.page);
  set('pageSize', query.pageSize);
  return params.toString();
}

/** Words typed settle for this long before they are asked for: one request per pause, not per key. */
const TYPING_MS = 300;

/**
 * The search box, filters and sort above an order list. Any change goes back to the first page;
 * `statuses` are the choices of the status filter (a value may name several, comma-separated).
 */
export function OrderSearch({ value, onChange, statuses, operator = false }: { value: OrderQuery; onChange: (next: OrderQuery) => void; statuses: readonly { value: string; label: string }[]; operator?: boolean }): ReactNode {
  const [words, setWords] = useState(value.q);
  useEffect(() => setWords(value.q), [value.q]);
  useEffect(() => {
    if (words === value.q) return;
    const timer = setTimeout(() => onChange({ ...value, q: words, page: 1 }), TYPING_MS);
    return () => clearTimeout(timer);
  }, [words]);
  const change = (patch: Partial<OrderQuery>): void => onChange({ ...value, ...patch, page: 1 });
  const filtered = value.q !== '' || value.status !== '' || value.kind !== '' || value.dueFrom !== '' || value.dueTo !== '' || value.reason !== undefined;
  return (
    <div className="order-search" role="search">
      <label className="grow">
        <span className="muted small">{T.search}</span>
        <input type="search" aria-label={T.search} placeholder={operator ? T.searchHintOperator : T.searchHint} value={words} onChange={(e) => setWords(e.target.value)} maxLength={100} />
      </label>
      <label>
        <span className="muted small">{T.status}</span>
        <select aria-label={T.status} value={value.status} onChange={(e) => change({ status: e.target.value })}>
          {statuses.map((s) => <option key={s.value} value={s.value}>{s.label}</option>)}
        </select>
      </label>
      <label>
        <span className="muted small">{T.kind}</span>
        <select aria-label={T.kind} value={value.kind} onChange={(e) => change({ kind: e.target.value as OrderQuery['kind'] })}>
          {(['', 'fabric', 'garment'] as const).map((k) => <option key={k} value={k}>{T.kinds[k || 'all']}</option>)}
        </select>
      </label>
      <label>
        <span className="muted small">{T.dueFrom}</span>
        <input type="date" aria-label={T.dueFrom} value={value.dueFrom} onChange={(e) => change({ dueFrom: e.target.value })} />
      </label>
      <label>
        <span className="muted small">{T.dueTo}</span>
        <input type="date" aria-label={T.dueTo} value={value.dueTo} min={value.dueFrom || undefined} onChange={(e) => change({ dueTo: e.target.value })} />
      </label>
      <label>
        <span className="muted small">{T.sort}</span>
        <select aria-label={T.sort} value={value.sort} onChange={(e) => change({ sort: e.target.value })}>
          {Object.entries(T.sorts).map(([k, label]) => <option key={k} value={k}>{label}</option>)}
        </select>
      </label>
      {filtered ? (
        <button type="button" className="ghost small" onClick={() => onChange({ ...FIRST_PAGE, pageSize: value.pageSize, sort: value.sort })}>{T.clear}</button>
      ) : null}
    </div>
  );
}

/** Previous and next pages, and where this page is among all that match. */
export function Pager({ page, pageSize, total, onPage }: { page: number; pageSize: number; total: number; onPage: (page: number) => void }): ReactNode {
  const pages = Math.max(1, Math.ceil(total / pageSize));
  return (
    <nav className="pager row" aria-label="pages">
      <button type="button" className="ghost small" disabled={page <= 1} onClick={() => onPage(page - 1)}>{T.previous}</button>
      <span className="muted small" data-testid="page-of">{T.pageOf(Math.min(page, pages), pages, total)}</span>
      <button type="button" className="ghost small" disabled={page >= pages} onClick={() => onPage(page + 1)}>{T.next}</button>
    </nav>
  );
}
