import { type ReactNode, useState } from 'react';
import { api } from '../api';
import type { Allocation, Names, Order } from '../types';
import { FactoryContactLine } from '../profile/FactoryContactLine';
import { type Domain, useDomain } from '../i18n/domain';
import { ProblemBox, shortId, Status } from '../ui';
import { useAction } from '../useAction';
import { useCan } from '../roles';
import { OrderAttachments } from './OrderAttachments';
import { LotsPanel } from '../lots/LotsPanel';
import { HistoryToggle } from '../lists/OrderHistory';
import { CounterPanel, OfferMessages } from '../terms/OfferTerms';
import { ApprovalPanel } from '../terms/ApprovalPanel';
import { RejectReasons } from '../terms/RejectReasons';
import { unitPrice } from '../terms/prices';
import { OrderStages } from './OrderStages';
import { stageMiss } from './stage-words';

/** Allocations that can hold lots: taken work, running or done. */
const MAKING = new Set(['accepted', 'in_production', 'produced']);

const CANCELLABLE = new Set(['pending', 'matching', 'unmatched', 'partial', 'proposed', 'confirmed']);
const SHORT = new Set(['unmatched', 'partial']);
/** An allocation's unit as its lots count it: meters of fabric (a style's weaving and finishing too), pieces of garments. */
const unitOf = (d: Domain, a: Allocation): string => d.t(a.unit === 'meter' ? 'units.m' : 'units.pcs');

export function describeSpec(d: Domain, o: Order): string {
  const spec = d.spec(o, o.kind);
  if (!o.garment) return spec;
  const range = o.garment.samEstimate ? d.t('spec.estimatedRange', { low: o.garment.samEstimate.range[0], high: o.garment.samEstimate.range[1] }) : '';
  const sizes = o.sizes?.length ? d.t('spec.sizesList', { sizes: o.sizes.map((x) => `${x.size} ${x.quantity}`).join(', ') }) : '';
  const style = o.style
    ? d.t('spec.styleFabric', { fabric: d.spec({ fabric: o.style.fabric }, 'fabric'), perPiece: d.f.num(o.style.fabricPerPieceM, 2) }) + (o.style.finishing ? d.t('spec.styleFinishing', { process: d.word('process', o.style.finishing.process) }) : '')
    : '';
  return `${spec}${range}${sizes}${style}`;
}

/** What the order's status means now, in the person's language (the API's `outlook` is English). */
function outlookOf(d: Domain, o: Order): string {
  return d.t(`outlook.${o.status}`, { due: d.f.day(o.dueDate), produced: d.f.num(o.progress?.producedQuantity ?? 0), quantity: d.f.num(o.quantity), defaultValue: o.outlook });
}

/** One order: what was asked, how it was planned and why, and each allocation's progress. */
export function OrderDetail({ order, names, onChanged }: { order: Order; names: Names; onChanged: () => void }): ReactNode {
  const d = useDomain();
  const { t, f, reason } = d;
  const { busy, problem, run } = useAction();
  const can = useCan();
  // A style delivers what its sewing stage sews; its fabric stages' meters are followed per stage.
  const produced = order.stages ? (order.stages.find((s) => s.kind === 'sewing')?.progress.producedQuantity ?? 0) : order.allocations.reduce((s, a) => s + a.producedQuantity, 0);
  const failed = order.explanation?.failedStage;

  const cancel = async (): Promise<void> => {
    if (!window.confirm(t('order.confirmCancel'))) return;
    await run(async () => {
      await api('POST', `/orders/${order.id}/cancel`, {});
      onChanged();
    });
  };

  return (
    <div className="order-detail" data-testid="order-detail">
      <div className="detail-head">
        <div className="muted small">
          {t('order.meta', { id: shortId(order.id), posted: f.dateTime(order.createdAt), start: f.day(order.earliestStart), due: f.day(order.dueDate), splits: order.maxSplits })}
          {order.certifications.length ? ` · ${order.certifications.join(', ')}` : ''}
          {order.targetPrice !== undefined && order.targetPricePerUnit !== undefined ? t('order.target', { price: f.cny(order.targetPrice), perUnit: unitPrice(d, order.targetPricePerUnit, order.unit) }) : ''}
          {order.agreedPrice !== undefined && order.agreedPricePerUnit !== undefined ? <span data-testid="agreed-price"> · {t('terms.agreed', { price: f.cny(order.agreedPrice), perUnit: unitPrice(d, order.agreedPricePerUnit, order.unit) })}</span> : null}
        </div>
      </div>
      <ApprovalPanel order={order} canAnswer={can('changeOrder')} onChanged={onChanged} />
      {order.explanation ? (
        <div className={`explanation ${SHORT.has(order.status) ? 'warn' : ''}`}>
          <strong>{order.status === 'unmatched' ? t('order.waiting') : order.status === 'partial' ? t('order.partly') : t('order.plan')}</strong>{' '}
          {order.explanation.reasons?.length ? null : <span title={order.explanation.summary}>{t('order.planSummary', { lines: order.allocations.filter((a) => a.status !== 'rejected' && a.status !== 'expired' && a.status !== 'cancelled').length, price: f.cny(order.allocations.filter((a) => !['rejected', 'expired', 'cancelled'].includes(a.status)).reduce((s, a) => s + a.price, 0)) })}</span>}
          {order.explanation.reasons?.length ? (
            <ul className="reasons">
              {order.explanation.reasons.map((r) => (
                <li key={r.code} data-code={r.code} title={r.message}>{reason(r)}</li>
              ))}
            </ul>
          ) : null}
          {order.explanation.notes?.length ? (
            <ul className="notes">
              {order.explanation.notes.map((n) => (
                <li key={n.code} data-code={n.code} title={n.message}>{t(`domain.planNote.${n.code}`)}</li>
              ))}
            </ul>
          ) : null}
          {order.explanation.closestMiss && failed ? (
            <div className="muted small" data-testid="stage-miss">{stageMiss(d, failed, order.explanation.closestMiss)}</div>
          ) : order.explanation.closestMiss ? (
            <div className="muted small">
              {t('order.closestMiss', { covered: f.pct(order.explanation.closestMiss.coveredFraction), quantity: d.quantity(order.explanation.closestMiss.coveredQuantity, order.kind), lines: f.num(order.explanation.closestMiss.linesConsidered) })}
            </div>
          ) : null}
          <div className="muted small" data-testid="outlook">{outlookOf(d, order)}</div>
        </div>
      ) : order.status === 'pending' || order.status === 'matching' ? (
        <div className="explanation"><span className="spinner" aria-hidden="true" /> {t('order.matching')}</div>
      ) : null}
      {order.stages ? <OrderStages order={order} names={names} onChanged={onChanged} /> : order.allocations.length > 0 ? (
        <div className="table-wrap">
          <table className="allocations">
            <thead>
              <tr>
                <th>{t('order.factoryLine')}</th>
                <th className="num">{t('order.quantity')}</th>
                <th>{t('order.dates')}</th>
                <th className="num">{t('order.price')}</th>
                <th>{t('order.progress')}</th>
                <th>{t('order.status')}</th>
              </tr>
            </thead>
            <tbody>
              {order.allocations.map((a) => (
                <tr key={a.id} data-testid="allocation" data-status={a.status}>
                  <td data-label={t('order.factoryLine')} title={`allocation ${a.id}\nscore ${a.score.toFixed(3)}: ${(Object.entries(a.scoreParts) as [string, number][]).map(([k, v]) => `${k} ${v.toFixed(2)}`).join(', ')}`}>
                    <strong>{names.factory(a.factoryId) ?? <code>{shortId(a.factoryId)}</code>}</strong>
                    <span className="muted small"> · {names.line(a.lineId) ?? shortId(a.lineId)}</span>
                    <FactoryContactLine contacts={names.contacts?.(a.factoryId)} />
                  </td>
                  <td data-label={t('order.quantity')} className="num nowrap" title={a.sizes?.map((x) => `${x.size} ${x.quantity}`).join(', ')}>{d.quantity(a.quantity, order.kind)}{a.sizes ? <div className="muted small">{a.sizes.map((x) => `${x.size} ${x.quantity}`).join(' · ')}</div> : null}</td>
                  <td data-label={t('order.dates')} className="nowrap">{f.day(a.startDate)} → {f.day(a.endDate)}</td>
                  <td data-label={t('order.price')} className="num" data-testid="allocation-price">
                    {f.cny(a.price)}
                    <div className="muted small nowrap">{unitPrice(d, a.pricePerUnit, a.unit)} · {t(`terms.covers.${a.priceCovers}`)}</div>
                  </td>
                  <td data-label={t('order.progress')}>
                    <span className="progress" role="img" aria-label={t('order.ofQuantity', { done: f.num(a.producedQuantity), all: f.num(a.quantity) })} title={t('order.ofQuantity', { done: f.num(a.producedQuantity), all: f.num(a.quantity) })}>
                      <span style={{ width: `${Math.min(100, a.quantity ? (a.producedQuantity / a.quantity) * 100 : 0)}%` }} />
                    </span>
                  </td>
                  <td data-label={t('order.status')}>
                    <Status value={a.status} />
                    <CounterPanel offer={a} side="brand" onChanged={onChanged} />
                    <OfferMessages offer={a} side="brand" />
                  </td>
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
          {order.progress.forecastCompletion ? <span>{t('order.forecast', { date: f.day(order.progress.forecastCompletion), due: f.day(order.dueDate) })}</span> : <span>{t('order.stopped')}</span>}
          <span className="risk">{t(`order.risk.${order.progress.onTimeRisk}`)}</span>
        </div>
      ) : null}
      {order.allocations.length > 0 ? (
        <div className="muted small">
          {t('order.produced', { done: f.num(produced), all: d.quantity(order.quantity, order.kind), price: f.cny(order.allocations.filter((a) => !['rejected', 'expired', 'cancelled'].includes(a.status)).reduce((s, a) => s + a.price, 0)) })}
        </div>
      ) : null}
      <OrderAttachments orderId={order.id} />
      <HistoryToggle orderId={order.id} />
      {problem ? <ProblemBox problem={problem} /> : null}
      {can('changeOrder') && CANCELLABLE.has(order.status) && !order.allocations.some((a) => a.status === 'in_production' || a.status === 'produced') ? (
        <div className="row end">
          <button type="button" className="danger" disabled={busy} onClick={() => void cancel()}>
            {busy ? t('order.cancelling') : t('order.cancel')}
          </button>
        </div>
      ) : null}
    </div>
  );
}

/** The order's lots, per allocation, each opening its chain back to the looms. */
function OrderLots({ order, names }: { order: Order; names: Names }): ReactNode {
  const d = useDomain();
  const { t } = d;
  const [open, setOpen] = useState<string>();
  const making = order.allocations.filter((a) => MAKING.has(a.status));
  if (making.length === 0) return null;
  return (
    <div className="order-lots">
      <strong>{t('lots.lots')}</strong>
      {making.map((a) => (
        <div key={a.id}>
          <button type="button" className="ghost small" aria-expanded={open === a.id} onClick={() => setOpen(open === a.id ? undefined : a.id)}>
            {names.factory(a.factoryId) ?? shortId(a.factoryId)} · {names.line(a.lineId) ?? shortId(a.lineId)}: {open === a.id ? t('lots.hideLots') : t('lots.showLots')}
          </button>
          {open === a.id ? <LotsPanel allocationId={a.id} quantity={a.quantity} unit={unitOf(d, a)} lineKind={undefined} canRecord={false} /> : null}
        </div>
      ))}
    </div>
  );
}
