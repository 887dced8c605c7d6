import type { ReactNode } from 'react';
import { api } from '../api';
import { type Domain, useDomain } from '../i18n/domain';
import type { Order } from '../types';
import { ProblemBox } from '../ui';
import { useAction } from '../useAction';
import { unitPrice } from './prices';

/** Why the price moved, in the person's language; an approval asked before the API gave its code keeps the English words. */
function approvalReason(d: Domain, approval: NonNullable<Order['approval']>): string {
  const { reasonCode: code, reasonParams: counts } = approval;
  if (code === 'MARKET_CHANGED') return d.t('terms.approval.reason.marketChanged');
  if (code !== 'WORK_LOST' || !counts) return approval.reason;
  return (['declined', 'expired', 'released'] as const)
    .filter((part) => counts[part] > 0)
    .map((part) => d.t(`terms.approval.reason.${part}`, { count: counts[part] }))
    .join(d.t('common.clauseSeparator'));
}

/**
 * An order waiting in `awaiting_approval` (DESIGN.md §9): the agreed and the new price, total and
 * per unit, when the new plan completes, why the price moved and until when the brand may answer;
 * one button to approve, one to decline.
 */
export function ApprovalPanel({ order, canAnswer, onChanged }: { order: Order; canAnswer: boolean; onChanged: () => void }): ReactNode {
  const d = useDomain();
  const { t, f } = d;
  const { busy, problem, run } = useAction();
  const approval = order.approval;
  if (order.status !== 'awaiting_approval' || !approval) return null;
  const rise = approval.agreedPrice > 0 ? approval.price / approval.agreedPrice - 1 : 0;

  const answer = async (verb: 'approve' | 'decline'): Promise<void> => {
    if (verb === 'decline' && !window.confirm(t('terms.approval.confirmDecline'))) return;
    await run(async () => {
      await api('POST', `/orders/${order.id}/${verb}`, {});
      onChanged();
    });
  };

  return (
    <section className="explanation warn approval" data-testid="approval" aria-label={t('terms.approval.title')}>
      <strong>{t('terms.approval.title')}</strong>
      <dl className="approval-terms">
        <dt>{t('terms.approval.was')}</dt>
        <dd data-testid="approval-agreed">{f.cny(approval.agreedPrice)} · {unitPrice(d, approval.agreedPricePerUnit, order.unit)}</dd>
        <dt>{t('terms.approval.now')}</dt>
        <dd data-testid="approval-price">
          <strong>{f.cny(approval.price)}</strong> · {unitPrice(d, approval.pricePerUnit, order.unit)} <span className="muted small">({t('terms.approval.change', { pct: f.pct(rise) })})</span>
        </dd>
        <dt>{t('terms.approval.completes')}</dt>
        <dd>{f.day(approval.completes)} <span className="muted small">({t('terms.approval.due', { date: f.day(order.dueDate) })})</span></dd>
        <dt>{t('terms.approval.why')}</dt>
        <dd data-testid="approval-reason">{approvalReason(d, approval)}</dd>
        <dt>{t('terms.approval.until')}</dt>
        <dd data-testid="approval-until">{f.dateTime(approval.expiresAt)} <span className="muted small">{t('terms.approval.lapse')}</span></dd>
      </dl>
      {problem ? <ProblemBox problem={problem} /> : null}
      {canAnswer ? (
        <div className="row end">
          <button type="button" className="danger" disabled={busy} onClick={() => void answer('decline')}>{busy ? t('terms.approval.declining') : t('terms.approval.decline')}</button>
          <button type="button" className="primary" disabled={busy} onClick={() => void answer('approve')}>{busy ? t('terms.approval.approving') : t('terms.approval.approve')}</button>
        </div>
      ) : null}
    </section>
  );
}
