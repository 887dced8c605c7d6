import type { ReactNode } from 'react';
import type { Names, Order } from '../types';
import { shortId } from '../ui';
import { TERMS_TEXT } from './text';

const T = TERMS_TEXT.reasons;

/** Why factories said no to this order's offers: the code as a sentence, and the factory's note. */
export function RejectReasons({ order, names }: { order: Order; names: Names }): ReactNode {
  const rejected = order.allocations.filter((a) => a.rejectReason);
  if (rejected.length === 0) return null;
  return (
    <div className="reject-reasons" data-testid="reject-reasons">
      <strong>{T.title}</strong>
      <ul className="reasons">
        {rejected.map((a) => (
          <li key={a.id} data-testid="reject-reason" data-code={a.rejectReason!.code}>
            <span>{names.factory(a.factoryId) ?? shortId(a.factoryId)}: </span>
            <strong>{T.code[a.rejectReason!.code] ?? a.rejectReason!.code}</strong>
            {a.rejectReason!.note ? <span className="muted"> · {T.note}: {a.rejectReason!.note}</span> : null}
          </li>
        ))}
      </ul>
    </div>
  );
}
