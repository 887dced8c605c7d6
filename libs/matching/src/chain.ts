import { priceAbove } from './explain';
import { planOrder } from './plan-order';
import type {
  CandidateLine, ClosestMiss, FabricSpec, FinishingProcess, GarmentSpec, ProductSpec, PlannedAllocation, PlanRequest, PlanResult,
  PriceCeiling, UnmatchedReason,
} from './types';

/**
 * The whole chain (DESIGN.md §8): a style order is weaving, then finishing when asked, then
 * sewing, each stage on its own kind of line at its own factories. The stages share no
 * capacity (a loom never sews), so the chain is planned stage by stage with the planner each
 * stage would get alone; what ties them is time: a stage starts no earlier than the last day of
 * the stage before it plus the transit days, and every stage lies in the order's window.
 *
 * Pure, like the rest of the planner: a stage planner in (a `MarketIndex` or `planOrder` over a
 * list), a plan for every stage or none out, with the failing stage explained.
 */

export type StageKind = 'weaving' | 'finishing' | 'sewing';

export function stageKindOf(order: ProductSpec): StageKind {
  switch (order.kind) {
    case 'fabric':
      return 'weaving';
    case 'finishing':
      return 'finishing';
    case 'garment':
      return 'sewing';
  }
}

/** One stage as the chain asks it: a plan request without its window, which the chain sets. */
export interface ChainStage {
  readonly order: ProductSpec;
  /** Meters (weaving, finishing) or pieces (sewing). */
  readonly quantity: number;
  readonly maxSplits: number;
  readonly minSplitQuantity?: number;
  readonly certifications?: readonly string[];
  readonly excludedLineIds?: readonly string[];
}

export interface ChainRequest {
  readonly stages: readonly ChainStage[];
  /** Inclusive day window of the whole chain [earliestStart, dueDate]. */
  readonly startDay: number;
  readonly endDay: number;
  /** Days between a stage's last day and the next stage's first day at the earliest (0 = the same day). */
  readonly transitDays: number;
  /**
   * What the stages may cost in all (CNY): a brand's target price, a hard ceiling on the chain's
   * first plan as on a single order's (§9). A continuation after a slip leaves it out: a dearer
   * one waits for the brand instead (`replanAfter`, `continueChain` with held work).
   */
  readonly priceCeiling?: PriceCeiling;
}

/** What the chain needs of a planner: the plan of one stage in one window, and a cheaper yes/no. */
export interface StagePlanner {
  plan(request: PlanRequest): PlanResult;
  fits(request: PlanRequest): boolean;
}

export interface PlannedStage {
  readonly kind: StageKind;
  readonly quantity: number;
  /** The day this stage's input is ready at the earliest (the previous stage's last day plus transit); the chain's start for the first. */
  readonly inputReadyDay: number;
  readonly allocations: readonly PlannedAllocation[];
  readonly startDay: number;
  readonly endDay: number;
  readonly totalPrice: number;
}

export type ChainResult =
  | {
      readonly ok: true;
      readonly stages: readonly PlannedStage[];
      /** The last stage's last day: when the goods are ready. */
      readonly completionDay: number;
      readonly totalPrice: number;
    }
  | {
      readonly ok: false;
      /** Index into the request's stages of the first stage no plan fits. */
      readonly failedStage: number;
      readonly failedKind: StageKind;
      /** The earliest day that stage could have started: its input's arrival. */
      readonly inputReadyDay: number;
      readonly reasons: readonly UnmatchedReason[];
      /** The failing stage's closest miss over [inputReadyDay, endDay]. */
      readonly closestMiss: ClosestMiss;
    };

function stageRequest(stage: ChainStage, startDay: number, endDay: number): PlanRequest {
  const { order, quantity, maxSplits, minSplitQuantity, certifications, excludedLineIds } = stage;
  return { order, quantity, maxSplits, minSplitQuantity, certifications, excludedLineIds, startDay, endDay };
}

/** The smallest `end` in [lo, hi] for which `ok(end)` holds, given that it holds at `hi`; `ok` must be monotone. */
function firstTrue(lo: number, hi: number, ok: (x: number) => boolean): number {
  while (lo < hi) {
    const mid = lo + Math.floor((hi - lo) / 2);
    if (ok(mid)) hi = mid;
    else lo = mid + 1;
  }
  return hi;
}

/** The largest `start` in [lo, hi] for which `ok(start)` holds, given that it holds at `lo`; `ok` must be monotone. */
function lastTrue(lo: number, hi: number, ok: (x: number) => boolean): number {
  while (lo < hi) {
    const mid = lo + Math.ceil((hi - lo) / 2);
    if (ok(mid)) lo = mid;
    else hi = mid - 1;
  }
  return lo;
}

/**
 * Plans every stage or none. First the roomy way (one plan per stage, see planRoomy); when that
 * misses, exactly:
 *
 * 1. Forward, each stage as early as it can finish: the smallest end day whose window (from its
 *    input's arrival) fits the stage. A stage that fits no window up to the due date fails the
 *    chain, and since finishing earlier never hurts a later stage, no other plan of the earlier
 *    stages could have saved it: the chain is rejected only when no chain fits (for a planner
 *    whose answer grows with its window, which more free days never shrink).
 * 2. Backward, each stage as late as it can start and still end by the next stage's latest
 *    start less transit: the room every stage really has.
 * 3. Forward again, each stage planned by the full planner (splits, slack, price, record,
 *    spread) over the widest window that keeps the rest of the chain feasible, rather than
 *    being squeezed to its earliest end.
 */
export function planChain(request: ChainRequest, planner: StagePlanner): ChainResult {
  const { stages, transitDays } = request;
  if (stages.length === 0) throw new RangeError('a chain has at least one stage');
  if (!Number.isInteger(transitDays) || transitDays < 0) throw new RangeError(`transitDays must be a whole number >= 0, got ${transitDays}`);
  const first = planRoomy(request, planner) ?? planTight(request, planner);
  const ceiling = request.priceCeiling;
  if (!first.ok || ceiling === undefined || first.totalPrice <= ceiling.price) return first;
  const cheap = planCheapest(request, planner, ceiling);
  const best = cheap !== null && cheap.ok && cheap.totalPrice < first.totalPrice ? cheap : first;
  return best.ok && best.totalPrice <= ceiling.price ? best : priceMiss(ceiling, best.ok ? best : first);
}

/**
 * The chain with each stage at its cheapest in the roomy windows (see planRoomy), for when the
 * chain planned for time costs more than the ceiling: the stages share no capacity and each
 * roomy window leaves every later stage its room, so choosing per stage is sound. A stage's
 * cheapest plan comes from the planner's own price search: asked under a low ceiling it
 * names the cheapest plan it finds, and asked under that price it plans it. Null when a stage
 * misses there (the time-first chain stands).
 */
function planCheapest(request: ChainRequest, planner: StagePlanner, ceiling: PriceCeiling): ChainResult | null {
  const { stages, startDay, endDay, transitDays } = request;
  const planned: PlannedStage[] = [];
  let ready = startDay;
  for (let i = 0; i < stages.length; i++) {
    const stage = stages[i] as ChainStage;
    const until = endDay - (stages.length - 1 - i) * (transitDays + 1);
    if (ready > until) return null;
    const asked = stageRequest(stage, ready, until);
    const fastest = planner.plan(asked);
    if (!fastest.ok) return null;
    // The planner's price search looks from the ceiling's rate up to five times it: a fifth of the
    // fastest plan's price spans every line from free to as dear as the fastest plan's.
    const probe = planner.plan({ ...asked, priceCeiling: { price: Math.round((fastest.totalPrice / 5) * 100) / 100, source: ceiling.source } });
    const cheapest = probe.ok ? undefined : probe.closestMiss.cheapestPrice;
    let result = probe.ok && probe.totalPrice < fastest.totalPrice ? probe : fastest;
    if (cheapest !== undefined && cheapest < fastest.totalPrice) {
      const cheaper = planner.plan({ ...asked, priceCeiling: { price: cheapest, source: ceiling.source } });
      if (cheaper.ok && cheaper.totalPrice < fastest.totalPrice) result = cheaper;
    }
    planned.push(plannedStage(stage, ready, result));
    ready = result.completionDay + transitDays;
  }
  return chainPlanned(planned);
}

/**
 * Every chain found costs more than the ceiling: the chain is not used, and the miss names the
 * cheapest chain's price and the stage at which its running price first passes the ceiling.
 */
function priceMiss(ceiling: PriceCeiling, cheapest: Extract<ChainResult, { ok: true }>): ChainResult {
  let spent = 0;
  let index = cheapest.stages.length - 1;
  for (let i = 0; i < cheapest.stages.length; i++) {
    spent += (cheapest.stages[i] as PlannedStage).totalPrice;
    if (spent > ceiling.price) {
      index = i;
      break;
    }
  }
  const stage = cheapest.stages[index] as PlannedStage;
  const price = Math.round(cheapest.totalPrice * 100) / 100;
  const reason = priceAbove(ceiling, price);
  return {
    ok: false, failedStage: index, failedKind: stage.kind, inputReadyDay: stage.inputReadyDay,
    reasons: [{ ...reason, message: reason.message.replace('the cheapest plan found', 'the cheapest chain found') }],
    // Within the price no chain covers anything; what it would take is the cheapest chain's price.
    closestMiss: { coveredFraction: 0, coveredQuantity: 0, linesConsidered: 0, cheapestPrice: price },
  };
}

/**
 * The common case in one plan per stage: each stage over its input's arrival to the latest day
 * that still leaves every later stage one day and its transit. Null when any stage misses there,
 * which proves nothing (an earlier stage may have ended later than it had to): the exact passes decide.
 */
function planRoomy(request: ChainRequest, planner: StagePlanner): ChainResult | null {
  const { stages, startDay, endDay, transitDays } = request;
  const planned: PlannedStage[] = [];
  let ready = startDay;
  for (let i = 0; i < stages.length; i++) {
    const stage = stages[i] as ChainStage;
    const until = endDay - (stages.length - 1 - i) * (transitDays + 1);
    if (ready > until) return null;
    const result = planner.plan(stageRequest(stage, ready, until));
    if (!result.ok) return null;
    planned.push(plannedStage(stage, ready, result));
    ready = result.completionDay + transitDays;
  }
  return chainPlanned(planned);
}

/**
 * The chain with every stage before the last ended as early as it can be (the exact forward
 * pass below), and the last stage over the rest of the window. Upstream work done soonest leaves
 * the stages after it, and the stages of other chains planned after this one, the most room,
 * at the cost of the cheaper but slower upstream lines `planChain` would keep when the chain
 * alone still fits: `planChainBatch` weighs the two over a whole batch. Rejects exactly when
 * `planChain` does, with the same explanation; a price ceiling is `planChain`'s to hold.
 */
export function planChainEarly(request: ChainRequest, planner: StagePlanner): ChainResult {
  if (request.priceCeiling !== undefined) return planChain(request, planner);
  const { stages, startDay, endDay, transitDays } = request;
  const planned: PlannedStage[] = [];
  let ready = startDay;
  for (let i = 0; i < stages.length; i++) {
    const stage = stages[i] as ChainStage;
    if (ready > endDay || !planner.fits(stageRequest(stage, ready, endDay))) return failed(request, planner, i, ready);
    const from = ready;
    const until = i === stages.length - 1 ? endDay : firstTrue(from, endDay, (e) => planner.fits(stageRequest(stage, from, e)));
    const result = planner.plan(stageRequest(stage, from, until));
    if (!result.ok) throw new Error(`stage ${i} fitted [${from}, ${until}] but its plan did not`);
    planned.push(plannedStage(stage, from, result));
    ready = result.completionDay + transitDays;
  }
  return chainPlanned(planned);
}

function plannedStage(stage: ChainStage, ready: number, result: Extract<PlanResult, { ok: true }>): PlannedStage {
  return {
    kind: stageKindOf(stage.order), quantity: stage.quantity, inputReadyDay: ready, allocations: result.allocations,
    startDay: Math.min(...result.allocations.map((a) => a.startDay)), endDay: result.completionDay, totalPrice: result.totalPrice,
  };
}

function chainPlanned(planned: readonly PlannedStage[]): ChainResult {
  const last = planned[planned.length - 1] as PlannedStage;
  return { ok: true, stages: planned, completionDay: last.endDay, totalPrice: planned.reduce((s, p) => s + p.totalPrice, 0) };
}

/** The three passes above: decides feasibility exactly and plans each stage in the room the others leave it. */
function planTight(request: ChainRequest, planner: StagePlanner): ChainResult {
  const { stages, startDay, endDay, transitDays } = request;

  const earliestEnd: number[] = [];
  const readyDay: number[] = [];
  let ready = startDay;
  for (let i = 0; i < stages.length; i++) {
    const stage = stages[i] as ChainStage;
    readyDay.push(ready);
    if (ready > endDay || !planner.fits(stageRequest(stage, ready, endDay))) return failed(request, planner, i, ready);
    const from = ready;
    const end = firstTrue(from, endDay, (e) => planner.fits(stageRequest(stage, from, e)));
    earliestEnd.push(end);
    ready = end + transitDays;
  }

  const latestEnd = new Array<number>(stages.length).fill(endDay);
  for (let i = stages.length - 1; i > 0; i--) {
    const stage = stages[i] as ChainStage;
    const until = latestEnd[i] ?? endDay;
    const start = lastTrue(readyDay[i] ?? startDay, until, (s) => planner.fits(stageRequest(stage, s, until)));
    latestEnd[i - 1] = start - transitDays;
  }

  const planned: PlannedStage[] = [];
  ready = startDay;
  for (let i = 0; i < stages.length; i++) {
    const stage = stages[i] as ChainStage;
    const result = planner.plan(stageRequest(stage, ready, latestEnd[i] ?? endDay));
    // The window holds [readyDay[i], latestEnd[i]] which fitted above; a planner that now says no broke its own monotony.
    if (!result.ok) throw new Error(`stage ${i} fitted [${readyDay[i]}, ${latestEnd[i]}] but its plan over [${ready}, ${latestEnd[i]}] did not`);
    planned.push(plannedStage(stage, ready, result));
    ready = result.completionDay + transitDays;
  }
  return chainPlanned(planned);
}

function failed(request: ChainRequest, planner: StagePlanner, index: number, ready: number): ChainResult {
  const stage = request.stages[index] as ChainStage;
  const kind = stageKindOf(stage.order);
  if (ready > request.endDay) return arrivesTooLate(index, kind, ready, request.endDay);
  const result = planner.plan(stageRequest(stage, ready, request.endDay));
  if (result.ok) throw new Error(`stage ${index} did not fit [${ready}, ${request.endDay}] but its plan did`);
  return {
    ok: false, failedStage: index, failedKind: kind, inputReadyDay: ready,
    reasons: result.reasons.map((r) => ({ ...r, message: `${kind}: ${r.message}` })),
    closestMiss: result.closestMiss,
  };
}

function arrivesTooLate(index: number, kind: StageKind, ready: number, endDay: number): ChainResult {
  return {
    ok: false, failedStage: index, failedKind: kind, inputReadyDay: ready,
    reasons: [{ code: 'INSUFFICIENT_CAPACITY_BEFORE_DUE', lines: 0, message: `the ${kind} stage's input arrives on day ${ready}, after the due date (day ${endDay})` }],
    closestMiss: { coveredFraction: 0, coveredQuantity: 0, linesConsidered: 0 },
  };
}

/** A style order's product (DESIGN.md §8) as the planner sees it; samMinutes already settled (given or estimated). */
export interface StyleSpec {
  readonly garment: GarmentSpec;
  readonly fabric: FabricSpec;
  /** Meters of fabric per piece. */
  readonly fabricPerPieceM: number;
  /** Fabric lost in cutting and finishing, percent (default 3 at the API). */
  readonly wastagePct: number;
  readonly finishing?: { readonly process: FinishingProcess };
}

/** Meters to weave (and finish) for `pieces`: pieces × fabricPerPieceM × (1 + wastagePct/100), rounded up to a whole meter. */
export function fabricMetersFor(style: Pick<StyleSpec, 'fabricPerPieceM' | 'wastagePct'>, pieces: number): number {
  // Rounded to a thousandth first, so that float noise (1.1 × 100 = 110.00000000000001) does not add a meter.
  return Math.ceil(Math.round(pieces * style.fabricPerPieceM * (1 + style.wastagePct / 100) * 1000) / 1000);
}

/** The stages of a style: weaving, finishing when asked, sewing, each with the order's split and certification terms. */
export function styleStages(
  style: StyleSpec, pieces: number, terms: Pick<ChainStage, 'maxSplits' | 'minSplitQuantity' | 'certifications'>,
): ChainStage[] {
  const meters = fabricMetersFor(style, pieces);
  // A minimum split is written in pieces; for fabric it is the same share of the meters.
  const metersMin = terms.minSplitQuantity === undefined ? undefined : Math.ceil((terms.minSplitQuantity * meters) / pieces);
  const fabricTerms = { maxSplits: terms.maxSplits, minSplitQuantity: metersMin, certifications: terms.certifications };
  const stages: ChainStage[] = [{ order: { kind: 'fabric', fabric: style.fabric }, quantity: meters, ...fabricTerms }];
  if (style.finishing !== undefined) {
    stages.push({ order: { kind: 'finishing', finishing: { process: style.finishing.process, widthCm: style.fabric.widthCm } }, quantity: meters, ...fabricTerms });
  }
  stages.push({ order: { kind: 'garment', garment: style.garment }, quantity: pieces, ...terms });
  return stages;
}

/** The chain over an explicit list of candidate lines (tests, small markets): `planOrder` per stage. */
export function listStagePlanner(candidates: readonly CandidateLine[]): StagePlanner & { candidatesFor(order: ProductSpec): readonly CandidateLine[] } {
  return { plan: (r) => planOrder(r, candidates), fits: (r) => planOrder(r, candidates).ok, candidatesFor: () => candidates };
}

/**
 * The chain follows its slowest link: stage `slipped` now ends on `slippedEnd` (a breakdown, a
 * forecast past its end, its rejected part planned again), so the stages after it are planned
 * again to start no earlier than that day plus transit, still by the chain's due date. Stages up
 * to `slipped` keep what they hold (never the produced part); the planner must already have the
 * later stages' old reservations given back. A miss names the later stage no plan reaches, with
 * stage indexes as in `request`, so the order can say so before its due date.
 */
export function replanAfter(request: ChainRequest, slipped: number, slippedEnd: number, planner: StagePlanner): ChainResult {
  if (!Number.isInteger(slipped) || slipped < 0 || slipped >= request.stages.length) throw new RangeError(`no stage ${slipped} in a chain of ${request.stages.length}`);
  if (slipped === request.stages.length - 1) throw new RangeError('the last stage has no stage after it to re-plan');
  // A continuation is held to the agreed price by the brand's approval (§9), not by a ceiling.
  const later: ChainRequest = {
    stages: request.stages.slice(slipped + 1), startDay: Math.max(request.startDay, slippedEnd + request.transitDays), endDay: request.endDay, transitDays: request.transitDays,
  };
  if (later.startDay > request.endDay) return arrivesTooLate(slipped + 1, stageKindOf((later.stages[0] as ChainStage).order), later.startDay, request.endDay);
  const result = planChain(later, planner);
  return result.ok ? result : { ...result, failedStage: result.failedStage + slipped + 1 };
}

/**
 * What one stage of a chain holds already and keeps through a re-plan: its live work's quantity,
 * splits and days (day indexes; null when it holds nothing).
 */
export interface HeldStage {
  readonly quantity: number;
  readonly splits: number;
  readonly startDay: number | null;
  readonly endDay: number | null;
}

/** The first stage whose held work does not cover its quantity (a reject, an expiry, a breakdown took part of it); null when every stage is covered. */
export function firstShortStage(request: ChainRequest, held: readonly HeldStage[]): number | null {
  const i = request.stages.findIndex((stage, k) => (held[k]?.quantity ?? 0) < stage.quantity);
  return i < 0 ? null : i;
}

/** The day stage `index`'s input is ready: the previous stage's held work's last day plus transit, never before the chain's start. */
function inputReady(request: ChainRequest, held: readonly HeldStage[], index: number): number {
  const before = index === 0 ? null : (held[index - 1]?.endDay ?? null);
  return before === null ? request.startDay : Math.max(request.startDay, before + request.transitDays);
}

/** Stage `index` asked for what it lacks: the remainder, the splits left, in [startDay, endDay]. */
function remainderRequest(request: ChainRequest, held: readonly HeldStage[], index: number, startDay: number, endDay: number): PlanRequest {
  const stage = request.stages[index] as ChainStage;
  const h = held[index];
  return stageRequest({ ...stage, quantity: stage.quantity - (h?.quantity ?? 0), maxSplits: Math.max(stage.maxSplits - (h?.splits ?? 0), 1) }, startDay, endDay);
}

/**
 * The short stage's remainder planned so that the later stages keep what they hold: it must end
 * by the first day of the next stage's work less transit. Null when the later stages do not hold
 * all of their work, or no such plan exists: then they move (`continueChain`).
 */
export function fitBeforeLater(request: ChainRequest, held: readonly HeldStage[], short: number, planner: StagePlanner): PlannedStage | null {
  const later = request.stages.slice(short + 1);
  if (later.length === 0 || later.some((stage, k) => (held[short + 1 + k]?.quantity ?? 0) < stage.quantity)) return null;
  const nextStart = held[short + 1]?.startDay ?? null;
  if (nextStart === null) return null;
  const ready = inputReady(request, held, short);
  const until = nextStart - request.transitDays;
  if (ready > until) return null;
  const result = planner.plan(remainderRequest(request, held, short, ready, until));
  return result.ok ? plannedStage({ ...(request.stages[short] as ChainStage), quantity: result.allocations.reduce((s, a) => s + a.quantity, 0) }, ready, result) : null;
}

/**
 * The chain continued from its first short stage after a slip: that stage's remainder, then every
 * later stage's remainder (what the later stages still hold after the caller released their work
 * not yet started), each after the one before plus transit, by the due date. Stages before the
 * short one and the held work are never moved; a later stage starts no earlier than the short
 * stage's held work's last day plus transit, as well as its new part's. Stage indexes in the
 * result (`failedStage`) are the request's; planned stages name their kind. Stages with nothing
 * left to plan are left out.
 */
export function continueChain(request: ChainRequest, held: readonly HeldStage[], short: number, planner: StagePlanner): ChainResult {
  const indexes: number[] = [];
  for (let i = short; i < request.stages.length; i++) {
    if (i === short || (held[i]?.quantity ?? 0) < (request.stages[i] as ChainStage).quantity) indexes.push(i);
  }
  const stages = indexes.map((i) => {
    const stage = request.stages[i] as ChainStage;
    const h = held[i];
    return { ...stage, quantity: stage.quantity - (h?.quantity ?? 0), maxSplits: Math.max(stage.maxSplits - (h?.splits ?? 0), 1) };
  });
  // The ceiling is on a whole chain's first plan; with work held, a dearer continuation waits for the brand (§9).
  const { priceCeiling, endDay, transitDays } = request;
  const holds = held.some((h) => h.quantity > 0);
  const sub: ChainRequest = { stages, startDay: inputReady(request, held, short), endDay, transitDays, ...(priceCeiling !== undefined && !holds ? { priceCeiling } : {}) };
  const renumber = (r: ChainResult): ChainResult => (r.ok ? r : { ...r, failedStage: indexes[r.failedStage] ?? r.failedStage });
  if (sub.startDay > request.endDay) return renumber(arrivesTooLate(0, stageKindOf((stages[0] as ChainStage).order), sub.startDay, request.endDay));
  const first = planChain(sub, planner);
  const keptEnd = held[short]?.endDay ?? null;
  if (!first.ok || stages.length === 1 || keptEnd === null) return renumber(first);
  const shortPlan = first.stages[0] as PlannedStage;
  const slippedEnd = Math.max(keptEnd, shortPlan.endDay);
  const next = first.stages[1] as PlannedStage;
  if (next.startDay >= slippedEnd + request.transitDays) return first;
  // The held part of the short stage ends after its new part: the later stages follow the held part.
  const rest = replanAfter(sub, 0, slippedEnd, planner);
  if (!rest.ok) return renumber(rest);
  return chainPlanned([shortPlan, ...rest.stages]);
}
