import type { ReactNode } from 'react';
import { api } from '../api';
import type { Order } from '../types';
import { money, ProblemBox } from '../ui';
import { useAction } from '../useAction';
import { dateTime, unitPrice } from './prices';
import { TERMS_TEXT } from './text';

const T = TERMS_TEXT.approval;

/**
 * An order waiting in `awaiting_approval` (DESIGN.md §9): the agreed and the new price, total and
 * per unit, when the new plan completes, why the price moved and until when the brand may answer;
 * one button to approve, one to decline.
 */
export function ApprovalPanel({ order, canAnswer, onChanged }: { order: Order; canAnswer: boolean; onChanged: () => void }): ReactNode {
  const { busy, problem, run } = useAction();
  const approval = order.approval;
  if (order.status !== 'awaiting_approval' || !approval) return null;
  const rise = approval.agreedPrice > 0 ? (approval.price / approval.agreedPrice - 1) * 100 : 0;

  const answer = async (verb: 'approve' | 'decline'): Promise<void> => {
    if (verb === 'decline' && !window.confirm(T.confirmDecline)) return;
    await run(async () => {
      await api('POST', `/orders/${order.id}/${verb}`, {});
      onChanged();
    });
  };

  return (
    <section className="explanation warn approval" data-testid="approval" aria-label={T.title}>
      <strong>{T.title}</strong>
      <dl className="approval-terms">
        <dt>{T.was}</dt>
        <dd data-testid="approval-agreed">{money(approval.agreedPrice)} · {unitPrice(approval.agreedPricePerUnit, order.unit)}</dd>
        <dt>{T.now}</dt>
        <dd data-testid="approval-price">
          <strong>{money(approval.price)}</strong> · {unitPrice(approval.pricePerUnit, order.unit)} <span className="muted small">({T.change(`${rise.toFixed(1)}%`)})</span>
        </dd>
        <dt>{T.completes}</dt>
        <dd>{approval.completes} <span className="muted small">(due {order.dueDate})</span></dd>
        <dt>{T.why}</dt>
        <dd data-testid="approval-reason">{approval.reason}</dd>
        <dt>{T.until}</dt>
        <dd data-testid="approval-until">{dateTime(approval.expiresAt)} <span className="muted small">{T.lapse}</span></dd>
      </dl>
      {problem ? <ProblemBox problem={problem} /> : null}
      {canAnswer ? (
        <div className="row end">
          <button type="button" className="danger" disabled={busy} onClick={() => void answer('decline')}>{busy ? T.declining : T.decline}</button>
          <button type="button" className="primary" disabled={busy} onClick={() => void answer('approve')}>{busy ? T.approving : T.approve}</button>
        </div>
      ) : null}
    </section>
  );
}
