import type { ChainStageKind, EventPayloads } from '@cloudloom/contracts';
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

/**
 * Why an earlier stage slipped, in the person's language. The event carries the server's English
 * sentence (whyTheStageSlipped in libs/market): one clause per cause, joined by "; ". Each cause it
 * writes is recognised here; a clause it does not know yet is shown as sent rather than dropped.
 */
const CAUSES: readonly { test: RegExp; key: string }[] = [
  { test: /^the (?<stage>\w+) offer was declined$/, key: 'stages.why.declined' },
  { test: /^the (?<stage>\w+) offer expired unanswered$/, key: 'stages.why.expired' },
  { test: /^(?<stage>\w+) capacity was cut/, key: 'stages.why.cut' },
  { test: /^the (?<stage>\w+) stage was planned again$/, key: 'stages.why.replanned' },
];

export function slipReason(d: Domain, reason: string): string {
  return reason.split('; ').map((clause) => {
    for (const cause of CAUSES) {
      const stage = cause.test.exec(clause)?.groups?.['stage'];
      if (stage) return d.t(cause.key, { stage: d.word('lineKind', stage) });
    }
    return clause;
  }).join(d.t('stages.why.joiner'));
}

type StageMoved = EventPayloads['order.stage_moved'];

/** "The sewing stage moved to 2026-12-20 – 2026-12-25 (was …) because the weaving offer was declined." */
export function stageMoved(d: Domain, moved: StageMoved): string {
  const window = (w: { startDate: string; endDate: string }): string => `${d.f.day(w.startDate)} – ${d.f.day(w.endDate)}`;
  return d.t(moved.from ? 'stages.moved' : 'stages.movedNew', {
    stage: d.word('lineKind', moved.stage),
    to: window(moved.to),
    ...(moved.from ? { from: window(moved.from) } : {}),
    why: slipReason(d, moved.reason),
  });
}
