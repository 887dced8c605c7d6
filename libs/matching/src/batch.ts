import { unitsPerQuantity } from './capacity';
import type { PlanRequest, PlanResult } from './types';

/** What batch planning needs of a market: plan one order, take a plan's capacity, give it back. */
export interface BatchMarket {
  plan(request: PlanRequest): PlanResult;
  reservePlan(result: PlanResult): void;
  releasePlan(result: PlanResult): void;
  /** Whether the line may serve this order at all (capability, certification, factory, exclusion). */
  canServe(lineId: string, request: PlanRequest): boolean;
}

/** Planned orders a repair may take back to make room for one unmatched order. */
const TAKE_BACK = 4;
/** Trials (each a few plans) per unmatched order, rounds over the orders still out, other orders tried: bounded time. */
const TRIALS_PER_ORDER = 10;
const REPAIR_ROUNDS = 3;
const SHUFFLES = 4;

/**
 * Plans a batch of orders together and reserves every plan on the market. Results come in input
 * order; an order left unmatched is explained as `plan` would explain it after the batch.
 *
 * 1. The batch is planned one order at a time in input order, as sequential matching would.
 * 2. If some order is left out that could be matched on the market before the batch, the batch
 *    is planned again in other orders (most capacity per day of the window first, largest
 *    first, a few seeded shuffles) and the one matching the most is kept.
 * 3. Repair: for each order still out, planned orders on lines it could use are taken back one
 *    or two at a time (then all of the few found), the order is planned first and they are
 *    planned again after it; a change is kept only if the matched quantity rises. Orders
 *    planned again may get more splits than before: that is what lets both fit.
 * 4. Orders still out get one more try on the final numbers, which also gives their reasons.
 *
 * Every plan comes from `plan`, so every hard rule holds; the batch only chooses the order in
 * which orders claim capacity. It never matches less than step 1, and it is deterministic.
 */
export function planBatch(market: BatchMarket, requests: readonly PlanRequest[]): PlanResult[] {
  const inInputOrder = requests.map((_, i) => i);
  let results = sequential(market, requests, inInputOrder);
  const out = inInputOrder.filter((i) => !results[i]?.ok);
  if (out.length === 0) return results;
  releaseAll(market, results);
  const hopeful = out.filter((i) => market.plan(requests[i] as PlanRequest).ok);
  if (hopeful.length === 0) {
    reserveAll(market, results, inInputOrder);
    return finish(market, requests, results);
  }
  let bestOrder = inInputOrder;
  for (const order of otherOrders(requests)) {
    const other = sequential(market, requests, order);
    releaseAll(market, other);
    if (matched(requests, other) > matched(requests, results)) {
      results = other;
      bestOrder = order;
    }
  }
  reserveAll(market, results, bestOrder);
  for (let round = 0; round < REPAIR_ROUNDS; round++) {
    const stillOut = hopeful.filter((i) => !results[i]?.ok).sort((a, b) => quantity(requests, b) - quantity(requests, a) || a - b);
    let improved = false;
    for (const u of stillOut) if (!results[u]?.ok && repair(market, requests, results, u)) improved = true;
    if (!improved) break;
  }
  return finish(market, requests, results);
}

function sequential(market: BatchMarket, requests: readonly PlanRequest[], order: readonly number[]): PlanResult[] {
  const results = new Array<PlanResult>(requests.length);
  for (const i of order) {
    const result = market.plan(requests[i] as PlanRequest);
    market.reservePlan(result);
    results[i] = result;
  }
  return results;
}

/**
 * Other orders to plan the batch in: most capacity per day of the window first (the orders with
 * the fewest ways to fit), largest first, and a few shuffles from fixed seeds (deterministic).
 */
function otherOrders(requests: readonly PlanRequest[]): number[][] {
  const by = (key: (r: PlanRequest) => number): number[] =>
    requests.map((_, i) => i).sort((a, b) => key(requests[b] as PlanRequest) - key(requests[a] as PlanRequest) || a - b);
  const shuffled = Array.from({ length: SHUFFLES }, (_, s) => {
    let seed = 0x9e3779b9 ^ (s + 1);
    const random = (): number => ((seed = (Math.imul(seed, 1664525) + 1013904223) >>> 0) / 2 ** 32);
    const order = requests.map((_, i) => i);
    for (let i = order.length - 1; i > 0; i--) {
      const j = Math.floor(random() * (i + 1));
      [order[i], order[j]] = [order[j] ?? 0, order[i] ?? 0];
    }
    return order;
  });
  return [
    by((r) => (r.quantity * unitsPerQuantity(r.order)) / Math.max(1, r.endDay - r.startDay + 1)),
    by((r) => r.quantity * unitsPerQuantity(r.order)),
    ...shuffled,
  ];
}

/**
 * Tries to fit order `u` by taking back planned orders that hold lines it could use inside its
 * window, most overlapping first. Keeps the first trial that raises the matched quantity.
 */
function repair(market: BatchMarket, requests: readonly PlanRequest[], results: PlanResult[], u: number): boolean {
  const want = requests[u] as PlanRequest;
  const holders = holdersFor(market, requests, results, u);
  if (holders.length === 0) return false;
  // If the order does not fit with all of them taken back, no smaller take-back helps.
  releaseAll(market, holders.map((p) => results[p] as PlanResult));
  const fits = market.plan(want).ok;
  reserveAll(market, results, holders);
  if (!fits) return false;
  const trials: number[][] = holders.map((p) => [p]);
  for (let a = 0; a < holders.length; a++) for (let b = a + 1; b < holders.length; b++) trials.push([holders[a] ?? 0, holders[b] ?? 0]);
  if (holders.length > 2) trials.push(holders);
  return trials.slice(0, TRIALS_PER_ORDER).some((takeBack) => tryTakeBack(market, requests, results, u, takeBack));
}

/** Planned orders with an allocation on a line `u` could use, on a day of its window; most units first. */
function holdersFor(market: BatchMarket, requests: readonly PlanRequest[], results: readonly PlanResult[], u: number): number[] {
  const want = requests[u] as PlanRequest;
  const overlap: { p: number; units: number }[] = [];
  results.forEach((r, p) => {
    if (!r.ok || p === u) return;
    let units = 0;
    for (const a of r.allocations) {
      if (!market.canServe(a.lineId, want)) continue;
      for (const d of a.days) if (d.day >= want.startDay && d.day <= want.endDay) units += d.units;
    }
    if (units > 0) overlap.push({ p, units });
  });
  return overlap.sort((a, b) => b.units - a.units || a.p - b.p).slice(0, TAKE_BACK).map((o) => o.p);
}

function tryTakeBack(market: BatchMarket, requests: readonly PlanRequest[], results: PlanResult[], u: number, takeBack: readonly number[]): boolean {
  const before = takeBack.map((p) => results[p] as PlanResult);
  releaseAll(market, before);
  const trial = new Map<number, PlanResult>();
  for (const i of [u, ...[...takeBack].sort((a, b) => quantity(requests, b) - quantity(requests, a) || a - b)]) {
    const result = market.plan(requests[i] as PlanRequest);
    market.reservePlan(result);
    trial.set(i, result);
  }
  let gain = 0;
  for (const [i, r] of trial) gain += (r.ok ? quantity(requests, i) : 0) - (results[i]?.ok ? quantity(requests, i) : 0);
  if (gain > 0) {
    for (const [i, r] of trial) results[i] = r;
    return true;
  }
  releaseAll(market, [...trial.values()]);
  reserveAll(market, results, takeBack);
  return false;
}

/**
 * Orders still out try once more on the final numbers, until none fits; a miss is then
 * explained on the numbers the batch leaves.
 */
function finish(market: BatchMarket, requests: readonly PlanRequest[], results: PlanResult[]): PlanResult[] {
  for (let changed = true; changed; ) {
    changed = false;
    results.forEach((r, i) => {
      if (r.ok) return;
      const again = market.plan(requests[i] as PlanRequest);
      market.reservePlan(again);
      results[i] = again;
      if (again.ok) changed = true;
    });
  }
  return results;
}

function releaseAll(market: BatchMarket, results: readonly PlanResult[]): void {
  for (let i = results.length - 1; i >= 0; i--) {
    const r = results[i];
    if (r !== undefined) market.releasePlan(r);
  }
}

function reserveAll(market: BatchMarket, results: readonly PlanResult[], order: readonly number[]): void {
  for (const i of order) {
    const r = results[i];
    if (r !== undefined) market.reservePlan(r);
  }
}

const quantity = (requests: readonly PlanRequest[], i: number): number => requests[i]?.quantity ?? 0;

export function matched(requests: readonly PlanRequest[], results: readonly PlanResult[]): number {
  return results.reduce((s, r, i) => s + (r.ok ? quantity(requests, i) : 0), 0);
}
