import type { ReactNode } from 'react';
import type { EventPayloads, OrderStage } from '@cloudloom/contracts';
import { api } from '../api';
import { type Domain, useDomain } from '../i18n/domain';
import { unitPrice } from '../terms/prices';
import { CounterPanel, OfferMessages } from '../terms/OfferTerms';
import type { Names, Order, OrderEvent } from '../types';
import { ProblemBox, shortId, Status, useResource } from '../ui';
import { stageMoved, stageQuantity } from './stage-words';

/** Work a stage no longer holds: declined, lapsed, or given back when the stage was planned again. */
const ENDED = new Set(['rejected', 'expired', 'cancelled']);

/** A stage's price per unit: what its held work costs over the stage's whole quantity; undefined while it holds none. */
function stagePerUnit(d: Domain, s: OrderStage): string | undefined {
  const live = s.allocations.filter((a) => !ENDED.has(a.status));
  if (live.length === 0 || s.quantity === 0) return undefined;
  return unitPrice(d, live.reduce((sum, a) => sum + a.price, 0) / s.quantity, s.unit === 'meters' ? 'meter' : 'piece');
}

/** Where a later stage's input comes from: the cities its allocations name, once each. */
function inputFrom(s: OrderStage): string {
  const places = s.allocations.filter((a) => !ENDED.has(a.status)).flatMap((a) => a.input?.from ?? []).map((p) => p.city ?? p.province).filter((p): p is string => Boolean(p));
  return [...new Set(places)].join(', ');
}

/**
 * A style order's chain as its brand follows it (DESIGN.md §8): each stage, weaving → finishing →
 * sewing, with its factories, days, offers, progress and price, and every time a later stage moved
 * after an earlier one slipped.
 */
export function OrderStages({ order, names, onChanged }: { order: Order; names: Names; onChanged: () => void }): ReactNode {
  const d = useDomain();
  const { t, f, word } = d;
  const stages = order.stages ?? [];
  const failed = order.explanation?.failedStage;
  return (
    <>
      <ol className="stages" data-testid="stages" aria-label={t('stages.title')}>
        {stages.map((s, i) => {
          const perUnit = stagePerUnit(d, s);
          const from = inputFrom(s);
          const live = s.allocations.filter((a) => !ENDED.has(a.status));
          const ended = s.allocations.filter((a) => ENDED.has(a.status));
          return (
            <li key={s.kind} className={`stage stage-${s.status} ${failed?.kind === s.kind ? 'failed' : ''}`} data-testid="stage" data-stage={s.kind} data-status={s.status}>
              <div className="stage-head">
                <strong>{t('stages.name', { n: i + 1, stage: word('lineKind', s.kind) })}</strong>
                <span className={`status stage-status-${s.status}`} data-testid="stage-status">{t(`stages.status.${s.status}`)}</span>
              </div>
              <div className="stage-figures">
                <span>{stageQuantity(d, s.quantity, s.unit)}</span>
                <span data-testid="stage-dates">{s.startDate && s.endDate ? `${f.day(s.startDate)} → ${f.day(s.endDate)}` : t('stages.noDates')}</span>
                {perUnit ? <span data-testid="stage-price">{perUnit}</span> : null}
                {i > 0 && s.inputReadyDate ? <span>{from ? t('stages.inputFrom', { date: f.day(s.inputReadyDate), from }) : t('stages.input', { date: f.day(s.inputReadyDate) })}</span> : null}
              </div>
              <div className="stage-figures muted small">
                <span data-testid="stage-offers">{t('stages.offers', { open: s.offers.open, accepted: s.offers.accepted, rejected: s.offers.rejected, expired: s.offers.expired })}</span>
                <span className="stage-progress">
                  <span className="progress" role="img" aria-label={t('stages.progress', { done: stageQuantity(d, s.progress.producedQuantity, s.unit), all: stageQuantity(d, s.progress.quantity, s.unit) })}>
                    <span style={{ width: `${Math.min(100, s.progress.quantity ? (s.progress.producedQuantity / s.progress.quantity) * 100 : 0)}%` }} />
                  </span>{' '}
                  {t('order.ofQuantity', { done: f.num(s.progress.producedQuantity), all: stageQuantity(d, s.progress.quantity, s.unit) })}
                </span>
              </div>
              <ul className="stage-work">
                {[...live, ...ended].map((a) => (
                  <li key={a.id} data-testid="stage-allocation" data-status={a.status}>
                    <span>
                      <strong>{names.factory(a.factoryId) ?? <code>{shortId(a.factoryId)}</code>}</strong>
                      <span className="muted small"> · {names.line(a.lineId) ?? shortId(a.lineId)} · {stageQuantity(d, a.quantity, s.unit)} · {f.day(a.startDate)} → {f.day(a.endDate)} · {f.cny(a.price)}</span>
                    </span>
                    <Status value={a.status} />
                    <CounterPanel offer={a} side="brand" onChanged={onChanged} />
                    <OfferMessages offer={a} side="brand" />
                  </li>
                ))}
              </ul>
            </li>
          );
        })}
      </ol>
      <StageMoves order={order} />
    </>
  );
}

/** The chain's `order.stage_moved` events, oldest first, in words; read again whenever the order changes. */
function StageMoves({ order }: { order: Order }): ReactNode {
  const d = useDomain();
  const history = useResource(() => api<{ items: OrderEvent[] }>('GET', `/orders/${order.id}/history`), [order.id, order.updatedAt, order.lastChange?.at]);
  if (history.error) return <ProblemBox problem={history.error} onRetry={history.reload} />;
  const moves = (history.data?.items ?? []).filter((e) => e.type === 'order.stage_moved');
  if (moves.length === 0) return null;
  return (
    <div className="explanation warn">
      <strong>{d.t('stages.movesTitle')}</strong>
      <ul className="stage-moves" data-testid="stage-moves">
        {moves.map((e) => {
          // The history's payloads are untyped JSON; this type's are the ones the matcher writes (libs/contracts events).
          const moved = e.payload as unknown as EventPayloads['order.stage_moved'];
          return (
            <li key={e.id} data-testid="stage-move" data-stage={moved.stage}>
              <time className="muted small" dateTime={e.at}>{d.f.dateTime(e.at)}</time> {stageMoved(d, moved)}
            </li>
          );
        })}
      </ul>
    </div>
  );
}
