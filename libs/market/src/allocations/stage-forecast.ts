import { type ChainRequest, type HeldStage, stageKindOf } from '@cloudloom/matching';
import type { AllocationStage, AllocationStatus, OrderEntity, OrderStatus } from '@cloudloom/persistence';
import type { EntityManager } from 'typeorm';
import { addDays, daysBetween } from '../core/clock';
import { canMoveOrder, LIVE_ALLOCATION, moveOrder } from '../lifecycle/lifecycle';
import type { EarlierAllocation } from '../orders/orders.repository';
import { chainRequestOf, termsOfStored } from '../orders/style-terms';
import { forecastWork } from './forecast';

/*
 * A style order's stages as their work runs (DESIGN.md §8): what each holds, ending when its
 * forecast says where that is later than planned, and whether one now ends too late for the next.
 * A progress report asks it (does the order go back to the matcher?) and so does the matcher
 * (which stages does it plan again?): both decide on the same rule.
 */

/** Work not started yet: a re-plan of a later stage may give it back. Running or produced work is never moved. */
export const MOVABLE_WORK: ReadonlySet<AllocationStatus> = new Set(['offered', 'accepted']);

/**
 * What each stage holds from the order's live allocations (`today` is day 0 of the chain). A
 * stage's last day is its work's planned end, or later where a forecast says so (`forecasts`,
 * allocation id to date): the stages after it follow when it will really be done, never earlier.
 */
export function heldStagesOf(chain: ChainRequest, earlier: readonly EarlierAllocation[], today: string, forecasts: ReadonlyMap<string, string> = new Map()): HeldStage[] {
  return chain.stages.map((s) => {
    const mine = earlier.filter((a) => a.stage === stageKindOf(s.order) && LIVE_ALLOCATION.has(a.status));
    if (mine.length === 0) return { quantity: 0, splits: 0, startDay: null, endDay: null };
    return {
      quantity: mine.reduce((sum, a) => sum + a.quantity, 0),
      splits: mine.length,
      startDay: Math.min(...mine.map((a) => daysBetween(today, a.startDate))),
      endDay: Math.max(...mine.map((a) => daysBetween(today, a.endDate)), ...mine.map((a) => daysBetween(today, forecasts.get(a.id) ?? a.endDate))),
    };
  });
}

/** A stage whose forecast end leaves the next stage's work not started without its input in time. */
export interface LateStage {
  readonly index: number;
  readonly kind: AllocationStage;
  /** Its work's planned last day and the forecast one, as dates. */
  readonly plannedEnd: string;
  readonly forecastEnd: string;
}

/**
 * The first stage forecast to end after its planned end so late that the next stage's work not
 * started yet would begin before its input arrives (forecast end plus transit); null when every
 * stage is on time for the next. `held` carries the forecasts (`heldStagesOf`). Work already
 * running after it is not a reason: it cannot be moved.
 */
export function lateStageOf(chain: ChainRequest, live: readonly EarlierAllocation[], held: readonly HeldStage[], today: string): LateStage | null {
  for (let k = 0; k + 1 < chain.stages.length; k++) {
    const kind = stageKindOf(chain.stages[k]!.order);
    const next = stageKindOf(chain.stages[k + 1]!.order);
    const movable = live.filter((a) => a.stage === next && MOVABLE_WORK.has(a.status));
    const end = held[k]?.endDay ?? null;
    if (movable.length === 0 || end === null) continue;
    const plannedEnd = live.filter((a) => a.stage === kind && LIVE_ALLOCATION.has(a.status)).map((a) => a.endDate).sort().at(-1)!;
    const nextStart = Math.min(...movable.map((a) => daysBetween(today, a.startDate)));
    if (end > daysBetween(today, plannedEnd) && end + chain.transitDays > nextStart) return { index: k, kind, plannedEnd, forecastEnd: addDays(today, end) };
  }
  return null;
}

/**
 * The first stage before `before` whose work is forecast to end after its planned end, whatever
 * the stages after it hold; null when none is. A pass that finds a stage late gives the later
 * work back, so the passes after it find that work short, not late: this is how they still say
 * the stage before it is why no plan reaches the due date.
 */
export function overrunStageOf(chain: ChainRequest, live: readonly EarlierAllocation[], held: readonly HeldStage[], today: string, before: number): LateStage | null {
  for (let k = 0; k < before && k < chain.stages.length; k++) {
    const kind = stageKindOf(chain.stages[k]!.order);
    const end = held[k]?.endDay ?? null;
    const ends = live.filter((a) => a.stage === kind && LIVE_ALLOCATION.has(a.status)).map((a) => a.endDate).sort();
    if (end === null || ends.length === 0) continue;
    const plannedEnd = ends.at(-1)!;
    if (end > daysBetween(today, plannedEnd)) return { index: k, kind, plannedEnd, forecastEnd: addDays(today, end) };
  }
  return null;
}

/**
 * Whether a style order's chain now runs late (`lateStageOf` on its live work with the forecasts
 * of what runs), read in the caller's transaction: a progress report asks it, the matcher re-plans.
 */
export async function styleRunsLate(
  m: EntityManager, order: Pick<OrderEntity, 'spec' | 'quantity' | 'earliestStart' | 'dueDate' | 'style'>, live: readonly EarlierAllocation[], today: string, now: Date,
): Promise<LateStage | null> {
  if (order.style === null) return null;
  const chain = chainRequestOf(termsOfStored({ ...order, style: order.style }), today);
  const held = heldStagesOf(chain, live, today, await forecastWork(m, live, today, now));
  return lateStageOf(chain, live, held, today);
}

/**
 * The one place a style order goes back to the matcher because a stage runs late: the order
 * (locked by the caller, `status` as it stands now) moves to `pending` when its chain runs late
 * and it may; the matcher then re-plans the stages after the late one and tells who is concerned.
 * Answers whether it moved: the caller queues the match after commit (a lost enqueue is found by
 * the sweep, as for any pending order).
 */
export async function sendBackIfLate(
  m: EntityManager, order: Pick<OrderEntity, 'id' | 'spec' | 'quantity' | 'earliestStart' | 'dueDate' | 'style'> & { readonly status: OrderStatus },
  live: readonly EarlierAllocation[], today: string, now: Date,
): Promise<boolean> {
  if (order.style === null || !canMoveOrder(order.status, 'pending')) return false;
  if ((await styleRunsLate(m, order, live, today, now)) === null) return false;
  await moveOrder(m, order, 'pending', 're-planned after a late stage');
  return true;
}
