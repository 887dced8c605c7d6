import type { ReactNode } from 'react';
import { api } from '../api';
import type { UnmatchedByReason } from '../types';
import { useDomain } from '../i18n/domain';
import { Card, Empty, Loading, ProblemBox, useResource } from '../ui';

/**
 * The orders without a plan grouped by the planner's reason, the most first: one reason behind
 * most of them is one problem to solve. Picking a group lists its orders below; picking it again
 * lists all orders.
 */
export function UnmatchedGroups({ active, onPick }: { active: string | undefined; onPick: (reason: string | undefined) => void }): ReactNode {
  const { t, f, reason } = useDomain();
  const groups = useResource(() => api<UnmatchedByReason>('GET', '/market/unmatched'), []);
  return (
    <Card title={groups.data ? `${t('lists.unmatched.title')} · ${t('lists.unmatched.total', { count: groups.data.total })}` : t('lists.unmatched.title')}>
      {groups.error ? <ProblemBox problem={groups.error} onRetry={groups.reload} /> : null}
      {!groups.data && groups.loading ? <Loading rows={2} label={t('lists.unmatched.title')} /> : null}
      {groups.data && groups.data.items.length === 0 ? <Empty title={t('lists.unmatched.none')} /> : null}
      <ul className="reason-groups" data-testid="unmatched-groups">
        {groups.data?.items.map((g) => (
          <li key={g.code}>
            <button type="button" className={`ghost${active === g.code ? ' selected' : ''}`} aria-pressed={active === g.code} onClick={() => onPick(active === g.code ? undefined : g.code)} title={t('lists.unmatched.show')}>
              <span>{reason({ code: g.code, message: g.code, lines: 0 })}</span> <strong data-testid="group-count">{t('lists.unmatched.orders', { count: g.orders })}</strong>
              <span className="muted small"> · {t('lists.unmatched.soonest', { date: f.day(g.soonestDue) })}</span>
              <span className="bar" aria-hidden="true" style={{ width: `${Math.round((g.orders / Math.max(1, groups.data!.total)) * 100)}%` }} />
            </button>
          </li>
        ))}
      </ul>
    </Card>
  );
}
