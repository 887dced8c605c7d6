import { type ReactNode, useEffect, useState } from 'react';
import { useDomain } from '../i18n/domain';

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

/** The sorts the lists offer, as the API names them. */
const SORTS = ['-created', 'created', 'due', '-due', '-price', 'price'] as const;

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
  const { t } = useDomain();
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
        <span className="muted small">{t('lists.search')}</span>
        <input type="search" aria-label={t('lists.search')} placeholder={t(operator ? 'lists.searchHintOperator' : 'lists.searchHint')} value={words} onChange={(e) => setWords(e.target.value)} maxLength={100} />
      </label>
      <label>
        <span className="muted small">{t('lists.status')}</span>
        <select aria-label={t('lists.status')} value={value.status} onChange={(e) => change({ status: e.target.value })}>
          {statuses.map((s) => <option key={s.value} value={s.value}>{s.label}</option>)}
        </select>
      </label>
      <label>
        <span className="muted small">{t('lists.kind')}</span>
        <select aria-label={t('lists.kind')} value={value.kind} onChange={(e) => change({ kind: e.target.value as OrderQuery['kind'] })}>
          {(['', 'fabric', 'garment'] as const).map((k) => <option key={k} value={k}>{t(`lists.kinds.${k || 'all'}`)}</option>)}
        </select>
      </label>
      <label>
        <span className="muted small">{t('lists.dueFrom')}</span>
        <input type="date" aria-label={t('lists.dueFrom')} value={value.dueFrom} onChange={(e) => change({ dueFrom: e.target.value })} />
      </label>
      <label>
        <span className="muted small">{t('lists.dueTo')}</span>
        <input type="date" aria-label={t('lists.dueTo')} value={value.dueTo} min={value.dueFrom || undefined} onChange={(e) => change({ dueTo: e.target.value })} />
      </label>
      <label>
        <span className="muted small">{t('lists.sort')}</span>
        <select aria-label={t('lists.sort')} value={value.sort} onChange={(e) => change({ sort: e.target.value })}>
          {SORTS.map((k) => <option key={k} value={k}>{t(`lists.sorts.${k}`)}</option>)}
        </select>
      </label>
      {filtered ? (
        <button type="button" className="ghost small" onClick={() => onChange({ ...FIRST_PAGE, pageSize: value.pageSize, sort: value.sort })}>{t('lists.clear')}</button>
      ) : null}
    </div>
  );
}

/** Previous and next pages, and where this page is among all that match. */
export function Pager({ page, pageSize, total, onPage }: { page: number; pageSize: number; total: number; onPage: (page: number) => void }): ReactNode {
  const { t } = useDomain();
  const pages = Math.max(1, Math.ceil(total / pageSize));
  return (
    <nav className="pager row" aria-label={t('lists.pages')}>
      <button type="button" className="ghost small" disabled={page <= 1} onClick={() => onPage(page - 1)}>{t('lists.previous')}</button>
      <span className="muted small" data-testid="page-of">{t('lists.pageOf', { page: Math.min(page, pages), pages, total })}</span>
      <button type="button" className="ghost small" disabled={page >= pages} onClick={() => onPage(page + 1)}>{t('lists.next')}</button>
    </nav>
  );
}
