import { type ChainRequest, type MarketIndex, type PlannedStage, stageKindOf } from '@cloudloom/matching';
import type { StageMoveCause } from '@cloudloom/contracts';
import type { AllocationStage, AllocationStatus } from '@cloudloom/persistence';
import { addDays, daysBetween } from '../core/clock';
import type { LedgerCell } from '../allocations/ledger';
import type { LateStage } from '../allocations/stage-forecast';
import type { EarlierAllocation } from '../orders/orders.repository';

/** The index in the chain of the stage of this kind (kinds are unique within a chain). */
export function stageIndexOf(chain: ChainRequest, stage: AllocationStage): number {
  return chain.stages.findIndex((s) => stageKindOf(s.order) === stage);
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

/** Why a stage moved: for software (`cause`, every cause in `causes`, a late forecast's dates) and in English words (`reason`). */
export interface StageSlip {
  readonly cause: StageMoveCause;
  readonly causes: readonly StageMoveCause[];
  readonly forecast: { readonly plannedEnd: string; readonly forecastEnd: string } | null;
  readonly reason: string;
}

/** Why a style's stage came short. */
export function whyTheStageSlipped(earlier: readonly EarlierAllocation[], stage: AllocationStage): StageSlip {
  const mine = earlier.filter((a) => a.stage === stage);
  const n = (status: AllocationStatus): number => mine.filter((a) => a.status === status).length;
  const parts: [StageMoveCause, string][] = [
    ['declined', n('rejected') > 0 ? `the ${stage} offer was declined` : ''],
    ['expired', n('expired') > 0 ? `the ${stage} offer expired unanswered` : ''],
    ['capacity_cut', n('cancelled') > 0 ? `${stage} capacity was cut (a breakdown or a line change)` : ''],
  ].filter((p): p is [StageMoveCause, string] => p[1] !== '');
  if (parts.length === 0) return { cause: 'replanned', causes: ['replanned'], forecast: null, reason: `the ${stage} stage was planned again` };
  return { cause: parts[0]![0], causes: parts.map((p) => p[0]), forecast: null, reason: parts.map((p) => p[1]).join('; ') };
}

/** Why the stages after a late one move, in the brand's words. */
export function whyTheStageIsLate(late: LateStage): StageSlip {
  return {
    cause: 'forecast_late',
    causes: ['forecast_late'],
    forecast: { plannedEnd: late.plannedEnd, forecastEnd: late.forecastEnd },
    reason: `the ${late.kind} stage's production forecast ends ${late.forecastEnd}, after its planned end ${late.plannedEnd}`,
  };
}
