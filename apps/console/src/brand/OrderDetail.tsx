import { type ReactNode, useState } from 'react';
import { api } from '../api';
import type { Names, Order } from '../types';
import { money, num, pct, ProblemBox, shortId, Status } from '../ui';
import { useAction } from '../useAction';
import { useCan } from '../roles';
import { OrderAttachments } from './OrderAttachments';
import { LotsPanel } from '../lots/LotsPanel';
import { LOT_TEXT } from '../lots/text';
import { ApprovalPanel } from '../terms/ApprovalPanel';
import { RejectReasons } from '../terms/RejectReasons';
import { unitPrice } from '../terms/prices';
import { TERMS_TEXT } from '../terms/text';

/** Allocations that can hold lots: taken work, running or done. */
const MAKING = new Set(['accepted', 'in_production', 'produced']);

const CANCELLABLE = new Set(['pending', 'matching', 'unmatched', 'partial', 'proposed', 'confirmed']);
const SHORT = new Set(['unmatched', 'partial']);
const unitOf = (o: Order): string => (o.kind === 'fabric' ? 'm' : 'pcs');
const day = (iso: string): string => new Date(`${iso}T00:00:00Z`).toLocaleDateString('en-GB', { day: 'numeric', month: 'short', timeZone: 'UTC' });

export function describeSpec(o: Order): string {
  if (o.fabric) return `${o.fabric.fiber} ${o.fabric.weave}, ${o.fabric.widthCm} cm, ${o.fabric.picksPerCm} picks/cm`;
  if (o.garment) {
    const range = o.garment.samEstimate ? ` (estimated ${o.garment.samEstimate.range[0]}–${o.garment.samEstimate.range[1]})` : '';
    const sizes = o.sizes?.length ? ` · sizes ${o.sizes.map((x) => `${x.size} ${x.quantity}`).join(', ')}` : '';
    return `${o.garment.category}, ${o.garment.fabricType}, ${o.garment.samMinutes} SAM${range}${sizes}`;
  }
  return o.kind;
}

/** One order: what was asked, how it was planned and why, and each allocation's progress. */
export function OrderDetail({ order, names, onChanged }: { order: Order; names: Names; onChanged: () => void }): ReactNode {
  const { busy, problem, run } = useAction();
  const can = useCan();
  const produced = order.allocations.reduce((s, a) => s + a.producedQuantity, 0);

  const cancel = async (): Promise<void> => {
    if (!window.confirm('Cancel this order? Capacity held for it is released.')) return;
    await run(async () => {
      await api('POST', `/orders/${order.id}/cancel`, {});
      onChanged();
    });
  };

  return (
    <div className="order-detail" data-testid="order-detail">
      <div className="detail-head">
        <div className="muted small">
          order <code>{shortId(order.id)}</code> · posted {new Date(order.createdAt).toLocaleString()} · start ≥ {order.earliestStart} · due {order.dueDate} · up to {order.maxSplits} split{order.maxSplits === 1 ? '' : 's'}
          {order.certifications.length ? ` · ${order.certifications.join(', ')}` : ''}
          {order.targetPrice !== undefined && order.targetPricePerUnit !== undefined ? ` · ${TERMS_TEXT.target} ${money(order.targetPrice)} (${unitPrice(order.targetPricePerUnit, order.unit)})` : ''}
          {order.agreedPrice !== undefined && order.agreedPricePerUnit !== undefined ? <span data-testid="agreed-price"> · {TERMS_TEXT.agreed} {money(order.agreedPrice)} ({unitPrice(order.agreedPricePerUnit, order.unit)})</span> : null}
        </div>
      </div>
      <ApprovalPanel order={order} canAnswer={can('changeOrder')} onChanged={onChanged} />
      {order.explanation ? (
        <div className={`explanation ${SHORT.has(order.status) ? 'warn' : ''}`}>
          <strong>{order.status === 'unmatched' ? 'Why it is waiting' : order.status === 'partial' ? 'Partly placed' : 'Plan'}</strong> {order.explanation.summary}
          {order.explanation.reasons?.length ? (
            <ul className="reasons">
              {order.explanation.reasons.map((r) => (
                <li key={r.code}>
                  <code>{r.code}</code> {r.message}
                </li>
              ))}
            </ul>
          ) : null}
          {order.explanation.closestMiss ? (
            <div className="muted small">
              Closest miss: the best plan covers {pct(order.explanation.closestMiss.coveredFraction)} ({num(order.explanation.closestMiss.coveredQuantity)} {unitOf(order)}) by the due date, across {order.explanation.closestMiss.linesConsidered} lines.
            </div>
          ) : null}
          <div className="muted small" data-testid="outlook">{order.outlook}</div>
        </div>
      ) : order.status === 'pending' || order.status === 'matching' ? (
        <div className="explanation"><span className="spinner" aria-hidden="true" /> Matching against every registered line…</div>
      ) : null}
      {order.allocations.length > 0 ? (
        <div className="table-wrap">
          <table className="allocations">
            <thead>
              <tr>
                <th>Factory · line</th>
                <th className="num">Quantity</th>
                <th>Dates</th>
                <th className="num">{TERMS_TEXT.priceColumn}</th>
                <th>Progress</th>
                <th>Status</th>
              </tr>
            </thead>
            <tbody>
              {order.allocations.map((a) => (
                <tr key={a.id} data-testid="allocation" data-status={a.status}>
                  <td data-label="Factory · line" title={`allocation ${a.id}\nscore ${a.score.toFixed(3)}: ${(Object.entries(a.scoreParts) as [string, number][]).map(([k, v]) => `${k} ${v.toFixed(2)}`).join(', ')}`}>
                    <strong>{names.factory(a.factoryId) ?? <code>{shortId(a.factoryId)}</code>}</strong>
                    <span className="muted small"> · {names.line(a.lineId) ?? shortId(a.lineId)}</span>
                  </td>
                  <td data-label="Quantity" className="num nowrap" title={a.sizes?.map((x) => `${x.size} ${x.quantity}`).join(', ')}>{num(a.quantity)} {unitOf(order)}{a.sizes ? <div className="muted small">{a.sizes.map((x) => `${x.size} ${x.quantity}`).join(' · ')}</div> : null}</td>
                  <td data-label="Dates" className="nowrap">{day(a.startDate)} → {day(a.endDate)}</td>
                  <td data-label={TERMS_TEXT.priceColumn} className="num" data-testid="allocation-price">
                    {money(a.price)}
                    <div className="muted small nowrap">{unitPrice(a.pricePerUnit, a.unit)} · {TERMS_TEXT.covers[a.priceCovers]}</div>
                  </td>
                  <td data-label="Progress">
                    <span className="progress" title={`${num(a.producedQuantity)} of ${num(a.quantity)}`}>
                      <span style={{ width: pct(a.quantity ? a.producedQuantity / a.quantity : 0) }} />
                    </span>
                  </td>
                  <td data-label="Status"><Status value={a.status} /></td>
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      ) : null}
      <RejectReasons order={order} names={names} />
      <OrderLots order={order} names={names} />
      {order.progress?.onTimeRisk ? (
        <div className={`forecast risk-${order.progress.onTimeRisk}`} data-testid="forecast">
          {order.progress.forecastCompletion ? <span>Forecast to finish <strong>{order.progress.forecastCompletion}</strong> (due {order.dueDate})</span> : <span>Production has stopped</span>}
          <span className="risk">{order.progress.onTimeRisk} risk of being late</span>
        </div>
      ) : null}
      {order.allocations.length > 0 ? (
        <div className="muted small">
          Produced {num(produced)} of {num(order.quantity)} {unitOf(order)} · total {money(order.allocations.filter((a) => !['rejected', 'expired', 'cancelled'].includes(a.status)).reduce((s, a) => s + a.price, 0))}
        </div>
      ) : null}
      <OrderAttachments orderId={order.id} />
      {problem ? <ProblemBox problem={problem} /> : null}
      {can('changeOrder') && CANCELLABLE.has(order.status) && !order.allocations.some((a) => a.status === 'in_production' || a.status === 'produced') ? (
        <div className="row end">
          <button type="button" className="danger" disabled={busy} onClick={() => void cancel()}>
            {busy ? 'Cancelling…' : 'Cancel order'}
          </button>
        </div>
      ) : null}
    </div>
  );
}

/** The order's lots, per allocation, each opening its chain back to the looms. */
function OrderLots({ order, names }: { order: Order; names: Names }): ReactNode {
  const [open, setOpen] = useState<string>();
  const making = order.allocations.filter((a) => MAKING.has(a.status));
  if (making.length === 0) return null;
  return (
    <div className="order-lots">
      <strong>{LOT_TEXT.lots}</strong>
      {making.map((a) => (
        <div key={a.id}>
          <button type="button" className="ghost small" aria-expanded={open === a.id} onClick={() => setOpen(open === a.id ? undefined : a.id)}>
            {names.factory(a.factoryId) ?? shortId(a.factoryId)} · {names.line(a.lineId) ?? shortId(a.lineId)}: {open === a.id ? LOT_TEXT.hideLots : LOT_TEXT.showLots}
          </button>
          {open === a.id ? <LotsPanel allocationId={a.id} quantity={a.quantity} unit={unitOf(order)} lineKind={undefined} canRecord={false} /> : null}
        </div>
      ))}
    </div>
  );
}
