import { planChain, planChainEarly, type ChainRequest, type ChainResult, type ChainStage, type StagePlanner } from './chain';
import type { DayReservation, PlanRequest } from './types';

/** Planned chains considered for making room for one chain left out: each alone, the first `PAIRED` also two at a time. */
const TRIALS_PER_CHAIN = 8;
/** Holders, fewest pieces first, taken back two at a time. */
const PAIRED = 5;
/** Passes over the chains still out: a chain dropped for a larger one may find room in the next. */
const REPAIR_ROUNDS = 3;

/** What a batch of chains needs of the market: plans per stage, and holding and giving back line-days. */
export interface ChainMarket extends StagePlanner {
  reserve(lineId: string, days: readonly DayReservation[]): void;
  release(lineId: string, days: readonly DayReservation[]): void;
  /** Whether the line may serve the request at all (capability, certifications, not excluded), whatever its free days. */
  canServe(lineId: string, request: PlanRequest): boolean;
}

type Planned = Extract<ChainResult, { ok: true }>;

type ChainPlanning = (request: ChainRequest, planner: StagePlanner) => ChainResult;

/**
 * Plans a batch of style chains together and holds every plan on the market; results come in
 * input order. It never serves fewer pieces than `planChain` then a hold per chain in input
 * order, and it is deterministic.
 *
 * Chain by chain, soonest due first, two things lose pieces. A chain keeps a cheap, slow loom
 * or range when its own sewing still fits after it, and its sewing then starts days later on a
 * line a chain due soon after needed; and an early small chain takes the sewing days a later,
 * larger chain alone could use, while it could have gone elsewhere in its own window. So:
 *
 * 1. The batch is planned twice in input order, each chain held before the next: once by
 *    `planChain`, once by `planChainEarly` (every stage before the last ended as early as it
 *    can be); the pass that serves more pieces is kept (the first on a tie).
 * 2. Repair: each chain left out, most pieces first, tries to take the place of a planned chain
 *    that holds a line it could use inside its window, fewest pieces first: that chain is given
 *    back, the chain left out is planned, and the one given back is planned again after it. The
 *    change is kept when both fit, or when the chain left out has more pieces than the one it
 *    displaced; otherwise the plans before are restored exactly.
 *
 * Every plan comes from the stage planner through the chain planners, so every rule of every
 * stage holds; the batch only chooses how each chain is planned and which claims capacity first.
 */
export function planChainBatch(market: ChainMarket, requests: readonly ChainRequest[]): ChainResult[] {
  const served = (results: readonly ChainResult[]): number => results.reduce((sum, r, i) => sum + (r.ok ? piecesOf(requests[i] as ChainRequest) : 0), 0);
  const roomy = inTurn(market, requests, planChain);
  let planning: ChainPlanning = planChain;
  let results = roomy;
  if (roomy.some((r) => !r.ok)) {
    for (const r of roomy) drop(market, r);
    const early = inTurn(market, requests, planChainEarly);
    if (served(early) > served(roomy)) {
      results = early;
      planning = planChainEarly;
    } else {
      for (const r of early) drop(market, r);
      for (const r of roomy) hold(market, r);
    }
  }
  const pieces = (i: number): number => piecesOf(requests[i] as ChainRequest);
  for (let round = 0; round < REPAIR_ROUNDS; round++) {
    const out = requests.map((_, i) => i).filter((i) => !results[i]?.ok).sort((a, b) => pieces(b) - pieces(a) || a - b);
    let gained = false;
    for (const i of out) {
      if (results[i]?.ok) continue;
      const holders = holdersFor(market, requests, results, i).slice(0, TRIALS_PER_CHAIN);
      if (victimSets(holders).some((victims) => trySwap(market, planning, requests, results, i, victims))) gained = true;
    }
    if (!gained) break;
  }
  return results;
}

/** Each chain planned and held before the next, in input order. */
function inTurn(market: ChainMarket, requests: readonly ChainRequest[], planning: ChainPlanning): ChainResult[] {
  return requests.map((request) => {
    const result = planning(request, market);
    hold(market, result);
    return result;
  });
}

/** Each holder alone, then pairs of the first few: a larger chain may need the days of two smaller ones. */
function victimSets(holders: readonly number[]): number[][] {
  const sets = holders.map((k) => [k]);
  const few = holders.slice(0, PAIRED);
  for (let a = 0; a < few.length; a++) for (let b = a + 1; b < few.length; b++) sets.push([few[a] as number, few[b] as number]);
  return sets;
}

/** Pieces a chain delivers: its last stage's quantity. */
function piecesOf(request: ChainRequest): number {
  return request.stages[request.stages.length - 1]?.quantity ?? 0;
}

/**
 * Planned chains holding a line that could serve the failed stage of chain `i` on a day of its window,
 * fewest pieces first (then input order): the cheapest to lose, and the likeliest to fit again.
 */
function holdersFor(market: ChainMarket, requests: readonly ChainRequest[], results: readonly ChainResult[], i: number): number[] {
  const request = requests[i] as ChainRequest;
  const miss = results[i];
  // The stage that found no plan is where the chain lost; lines of its other stages are seldom short.
  const failed = miss !== undefined && !miss.ok ? request.stages[miss.failedStage] : undefined;
  const asked = (failed === undefined ? request.stages : [failed]).map((stage) => stageOver(stage, request));
  const holders: number[] = [];
  results.forEach((result, k) => {
    if (k === i || !result.ok) return;
    const holds = result.stages.some((s) => s.allocations.some((a) =>
      a.endDay >= request.startDay && a.startDay <= request.endDay && asked.some((r) => market.canServe(a.lineId, r))));
    if (holds) holders.push(k);
  });
  return holders.sort((a, b) => piecesOf(requests[a] as ChainRequest) - piecesOf(requests[b] as ChainRequest) || a - b);
}

function stageOver(stage: ChainStage, request: ChainRequest): PlanRequest {
  const { order, quantity, maxSplits, minSplitQuantity, certifications, excludedLineIds } = stage;
  return { order, quantity, maxSplits, minSplitQuantity, certifications, excludedLineIds, startDay: request.startDay, endDay: request.endDay };
}

/**
 * Chain `i` (left out) in place of the planned chains `victims`, which are then planned again
 * after it in input order; kept if the batch serves more pieces, else undone exactly.
 */
function trySwap(market: ChainMarket, planning: ChainPlanning, requests: readonly ChainRequest[], results: ChainResult[], i: number, victims: readonly number[]): boolean {
  const before = victims.map((k) => results[k] as Planned);
  for (const plan of before) drop(market, plan);
  const placed = planning(requests[i] as ChainRequest, market);
  if (!placed.ok) {
    for (const plan of before) hold(market, plan);
    return false;
  }
  hold(market, placed);
  const again = victims.map((k) => {
    const result = planning(requests[k] as ChainRequest, market);
    hold(market, result);
    return result;
  });
  const lost = victims.reduce((sum, k, v) => sum + (again[v]?.ok ? 0 : piecesOf(requests[k] as ChainRequest)), 0);
  if (piecesOf(requests[i] as ChainRequest) > lost) {
    results[i] = placed;
    victims.forEach((k, v) => (results[k] = again[v] as ChainResult));
    return true;
  }
  for (const plan of [...again, placed]) drop(market, plan);
  for (const plan of before) hold(market, plan);
  return false;
}

function hold(market: ChainMarket, result: ChainResult): void {
  if (!result.ok) return;
  for (const stage of result.stages) for (const a of stage.allocations) market.reserve(a.lineId, a.days);
}

function drop(market: ChainMarket, result: ChainResult): void {
  if (!result.ok) return;
  for (const stage of result.stages) for (const a of stage.allocations) market.release(a.lineId, a.days);
}
