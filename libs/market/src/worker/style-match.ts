import { type ChainRequest, type HeldStage, type MarketIndex, type PlannedStage, stageKindOf } from '@cloudloom/matching';
import type { AllocationStage, AllocationStatus } from '@cloudloom/persistence';
import { addDays, daysBetween } from '../core/clock';
import type { LedgerCell } from '../allocations/ledger';
import { LIVE_ALLOCATION } from '../lifecycle/lifecycle';
import type { EarlierAllocation } from '../orders/orders.repository';

/** Work not started yet: a re-plan of a later stage may give it back. Running or produced work is never moved. */
export const MOVABLE_WORK: ReadonlySet<AllocationStatus> = new Set(['offered', 'accepted']);

/** The index in the chain of the stage of this kind (kinds are unique within a chain). */
export function stageIndexOf(chain: ChainRequest, stage: AllocationStage): number {
  return chain.stages.findIndex((s) => stageKindOf(s.order) === stage);
}

/** What each stage holds from the order's live allocations (`today` is day 0 of the chain). */
export function heldStagesOf(chain: ChainRequest, earlier: readonly EarlierAllocation[], today: string): HeldStage[] {
  return chain.stages.map((s) => {
    const mine = earlier.filter((a) => a.stage === stageKindOf(s.order) && LIVE_ALLOCATION.has(a.status));
    if (mine.length === 0) return { quantity: 0, splits: 0, startDay: null, endDay: null };
    return {
      quantity: mine.reduce((sum, a) => sum + a.quantity, 0),
      splits: mine.length,
      startDay: Math.min(...mine.map((a) => daysBetween(today, a.startDate))),
      endDay: Math.max(...mine.map((a) => daysBetween(today, a.endDate))),
    };
  });
}

/**
 * Gives cells back to the in-memory market (`sign` 1) or takes them again (-1), for the lines and
 * days the index knows: the matcher re-plans a style's later stages on the capacity they held.
 */
export function shiftCells(index: MarketIndex, cells: readonly LedgerCell[], today: string, sign: 1 | -1): void {
  const byLine = new Map<string, { day: number; units: number }[]>();
  for (const c of cells) {
    const day = daysBetween(today, c.day);
    if (day < 0 || day >= index.horizon || !index.has(c.lineId)) continue;
    let days = byLine.get(c.lineId);
    if (!days) byLine.set(c.lineId, (days = []));
    days.push({ day, units: c.units });
  }
  for (const [lineId, days] of byLine) {
    if (sign === 1) index.release(lineId, days);
    else index.reserve(lineId, days);
  }
}

/** A stage's days, first to last, as dates. */
export function stageWindow(stage: Pick<PlannedStage, 'startDay' | 'endDay'>, today: string): { startDate: string; endDate: string } {
  return { startDate: addDays(today, stage.startDay), endDate: addDays(today, stage.endDay) };
}

/** The days a set of allocations spans; null when there are none. */
export function windowOf(allocations: readonly Pick<EarlierAllocation, 'startDate' | 'endDate'>[]): { startDate: string; endDate: string } | null {
  if (allocations.length === 0) return null;
  return { startDate: allocations.map((a) => a.startDate).sort()[0]!, endDate: allocations.map((a) => a.endDate).sort().at(-1)! };
}

/** Why a style's stage came short, in the brand's words, from what became of its allocations. */
export function whyTheStageSlipped(earlier: readonly EarlierAllocation[], stage: AllocationStage): string {
  const mine = earlier.filter((a) => a.stage === stage);
  const n = (status: AllocationStatus): number => mine.filter((a) => a.status === status).length;
  const parts = [
    n('rejected') > 0 ? `the ${stage} offer was declined` : '',
    n('expired') > 0 ? `the ${stage} offer expired unanswered` : '',
    n('cancelled') > 0 ? `${stage} capacity was cut (a breakdown or a line change)` : '',
  ].filter((p) => p !== '');
  return parts.length > 0 ? parts.join('; ') : `the ${stage} stage was planned again`;
}
