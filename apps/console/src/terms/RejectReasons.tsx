import type { ReactNode } from 'react';
import { useDomain } from '../i18n/domain';
import type { Names, Order } from '../types';
import { shortId } from '../ui';

/** Why factories said no to this order's offers: the code as a sentence, and the factory's note. */
export function RejectReasons({ order, names }: { order: Order; names: Names }): ReactNode {
  const { t, word } = useDomain();
  const rejected = order.allocations.flatMap((a) => (a.rejectReason ? [{ id: a.id, factoryId: a.factoryId, ...a.rejectReason }] : []));
  if (rejected.length === 0) return null;
  return (
    <div className="reject-reasons" data-testid="reject-reasons">
      <strong>{t('terms.reasons.title')}</strong>
      <ul className="reasons">
        {rejected.map((r) => (
          <li key={r.id} data-testid="reject-reason" data-code={r.code}>
            <span>{names.factory(r.factoryId) ?? shortId(r.factoryId)}: </span>
            <strong>{word('rejectReason', r.code)}</strong>
            {r.note ? <span className="muted"> · {t('terms.reasons.note', { note: r.note })}</span> : null}
          </li>
        ))}
      </ul>
    </div>
  );
}
