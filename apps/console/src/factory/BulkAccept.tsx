import { type ReactNode, useState } from 'react';
import type { Allocation, BulkAccept } from '@cloudloom/contracts';
import { api } from '../api';
import { useDomain } from '../i18n/domain';
import { ProblemBox, shortId } from '../ui';
import { useAction } from '../useAction';

/**
 * The bar under a factory's queue for answering many offers with one thumb: pick all on the line
 * shown, then accept the picked at once (POST /offers/accept). What could not be taken is said
 * offer by offer, in words, and the picks of offers that were taken are dropped.
 */
export function BulkAcceptBar({ open, picked, onPick, lineName, onAccepted }: {
  open: readonly Allocation[];
  picked: ReadonlySet<string>;
  onPick: (ids: ReadonlySet<string>) => void;
  /** The line the queue is filtered to, if any: "all on this line" then means that line's. */
  lineName: string | undefined;
  onAccepted: () => void;
}): ReactNode {
  const { t } = useDomain();
  const { busy, problem, run } = useAction();
  // The answer, with the orders of the offers sent: a refused offer may have left the queue by the time it is read.
  const [result, setResult] = useState<{ answer: BulkAccept; orders: ReadonlyMap<string, string> }>();
  const shown = open.filter((o) => picked.has(o.id));
  const allPicked = open.length > 0 && shown.length === open.length;
  const accept = (): Promise<void> =>
    run(async () => {
      setResult(undefined);
      const orders = new Map(shown.map((o) => [o.id, shortId(o.orderId)]));
      const answer = await api<BulkAccept>('POST', '/offers/accept', { ids: shown.map((o) => o.id) });
      setResult({ answer, orders });
      onPick(new Set());
      onAccepted();
    });
  if (open.length < 2 && !result) return null;
  return (
    <div className="bulk-bar" data-testid="bulk-accept">
      {open.length >= 2 ? (
        <div className="row">
          <button type="button" className="ghost" onClick={() => onPick(allPicked ? new Set() : new Set(open.map((o) => o.id)))}>
            {allPicked ? t('bulkAccept.none') : lineName ? t('bulkAccept.allOnLine', { line: lineName, count: open.length }) : t('bulkAccept.all', { count: open.length })}
          </button>
          <button type="button" className="primary" disabled={busy || shown.length === 0} onClick={() => void accept()}>
            {busy ? t('bulkAccept.accepting') : t('bulkAccept.accept', { count: shown.length })}
          </button>
        </div>
      ) : null}
      {problem ? <ProblemBox problem={problem} /> : null}
      {result ? (
        <div className="saved" role="status" data-testid="bulk-result">
          {t('bulkAccept.done', { accepted: result.answer.accepted, refused: result.answer.refused })}
          {result.answer.refused > 0 ? (
            <ul>
              {result.answer.items.map((i) => (i.outcome === 'refused' ? <li key={i.id} data-reason={i.reason}>{t('bulkAccept.refusedOne', { order: result.orders.get(i.id) ?? shortId(i.id), why: t(`bulkAccept.reason.${i.reason}`) })}</li> : null))}
            </ul>
          ) : null}
        </div>
      ) : null}
    </div>
  );
}

/** The box on an offer that picks it for a bulk accept: the whole corner is the target, for a thumb. */
export function PickOffer({ id, picked, onPick, label }: { id: string; picked: ReadonlySet<string>; onPick: (ids: ReadonlySet<string>) => void; label: string }): ReactNode {
  const toggle = (): void => {
    const next = new Set(picked);
    if (next.has(id)) next.delete(id);
    else next.add(id);
    onPick(next);
  };
  return (
    <label className="pick">
      <input type="checkbox" checked={picked.has(id)} onChange={toggle} />
      <span className="visually-hidden">{label}</span>
    </label>
  );
}
