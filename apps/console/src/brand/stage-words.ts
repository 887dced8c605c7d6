import type { ChainStageKind, EventPayloads, StageMoveCause } from '@cloudloom/contracts';
import type { Domain } from '../i18n/domain';

/** A stage's quantity in its own unit: meters woven or finished, pieces sewn. */
export const stageQuantity = (d: Domain, n: number, unit: 'meters' | 'pieces'): string => d.t(unit === 'pieces' ? 'units.pieces' : 'units.meters', { n: d.f.num(n) });

/** The unit of a stage's work: the chain's fabric stages count meters, sewing counts pieces. */
export const stageUnit = (kind: ChainStageKind): 'meters' | 'pieces' => (kind === 'sewing' ? 'pieces' : 'meters');

/** A style with no chain in time, in words: which stage no plan reaches, when its input arrives, and how close that stage comes. */
export function stageMiss(d: Domain, failed: { kind: ChainStageKind; inputReadyDate: string }, miss: { coveredFraction: number; coveredQuantity: number }): string {
  return d.t('stages.miss', {
    stage: d.word('lineKind', failed.kind),
    date: d.f.day(failed.inputReadyDate),
    covered: d.f.pct(miss.coveredFraction),
    quantity: stageQuantity(d, miss.coveredQuantity, stageUnit(failed.kind)),
  });
}

type StageMoved = EventPayloads['order.stage_moved'];

const CAUSE_KEYS: Readonly<Record<StageMoveCause, string>> = {
  declined: 'stages.why.declined',
  expired: 'stages.why.expired',
  capacity_cut: 'stages.why.cut',
  forecast_late: 'stages.why.late',
  replanned: 'stages.why.replanned',
};

/**
 * Why an earlier stage slipped, in the person's language: from the event's causes (and a late
 * forecast's dates), never from the server's English `reason`, which is for API users.
 */
export function slipReason(d: Domain, moved: Pick<StageMoved, 'after' | 'causes' | 'forecast'>): string {
  const stage = d.word('lineKind', moved.after);
  return moved.causes.map((cause) => d.t(CAUSE_KEYS[cause], {
    stage,
    ...(cause === 'forecast_late' && moved.forecast ? { forecastEnd: d.f.day(moved.forecast.forecastEnd), plannedEnd: d.f.day(moved.forecast.plannedEnd) } : {}),
  })).join(d.t('stages.why.joiner'));
}

/** "The sewing stage moved to 2026-12-20 – 2026-12-25 (was …) because the weaving offer was declined." */
export function stageMoved(d: Domain, moved: StageMoved): string {
  const window = (w: { startDate: string; endDate: string }): string => `${d.f.day(w.startDate)} – ${d.f.day(w.endDate)}`;
  return d.t(moved.from ? 'stages.moved' : 'stages.movedNew', {
    stage: d.word('lineKind', moved.stage),
    to: window(moved.to),
    ...(moved.from ? { from: window(moved.from) } : {}),
    why: slipReason(d, moved),
  });
}
