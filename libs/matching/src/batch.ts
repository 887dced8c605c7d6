import { BatchJournal, Budget, type BatchMarket } from './batch-journal';
import { FLEX_WAYS, FlexBatch, withYieldNotes } from './batch-flex';
import { unitsPerQuantity } from './capacity';
import type { PlanRequest, PlanResult } from './types';

/** Planned orders a repair takes back one or two at a time, and at most, to make room for one unmatched order. */
const TAKE_BACK = 4;
const MAX_TAKE_BACK = 8;
/** Trials (each a few plans) per unmatched order, rounds over the orders still out, other orders tried. */
const TRIALS_PER_ORDER = 10;
const REPAIR_ROUNDS = 3;
const SHUFFLES = 4;
/**
 * Work the batch may spend past its first pass, per order of the batch, in lines visited (or
 * the first pass's own work if that is more). A plan visits about as many lines as its market
 * offers it, so a small market affords hundreds of plans per order and the reference market a
 * few split plans: the budget scales with the batch and, through each plan's cost, the market.
 */
const WORK_PER_ORDER = 1_000;

/**
 * Plans a batch of orders together and reserves every plan on the market. Results come in input
 * order; an order left unmatched is explained as `plan` would explain it after the batch.
 *
 * 1. The batch is planned one order at a time in input order, as sequential matching would.
 *    An order left out is worth more work only if planned orders of the batch hold lines it
 *    could use inside its window, and giving those units back could cover it; if none is,
 *    the batch is done.
 * 2. Repair: for each order still out, planned orders on lines it could use are taken back one
 *    or two at a time (then all of the few found), the order is planned first and they are
 *    planned again after it; a change is kept only if the matched quantity rises. Orders
 *    planned again may get more splits than before: that is what lets both fit.
 * 3. While the budget affords a whole pass, the batch is planned again in other orders (the
 *    orders still out first, most capacity per day of the window first, largest first, a few
 *    seeded shuffles), keeping whichever matches most, and repaired again.
 * 4. If orders are still out that batch plans hold lines for, the improvement phase
 *    (batch-flex.ts, ADR 0002) moves shares to other days, lines and splits, trades orders and
 *    re-packs them exactly; it runs each of its ways from the same batch and the one that
 *    matches most is kept. Then a seeded ruin-and-recreate search walks from it (dropping a few
 *    orders in a left-out order's way and fitting them all again, also on the few roomiest lines
 *    of the market the batch holds no share on), and the batch takes its best if it matches more.
 * 5. Orders still out try again on the final numbers if capacity they could use moved since
 *    their last plan; that also gives their reasons.
 *
 * Steps 2 and 3 stop when the batch has spent its budget (`WORK_PER_ORDER`), counted in lines
 * the plans visit, never in time: the same batch on the same market gets the same plans.
 * Step 4 has its own budget, counted in line measurements. In steps 1–3 every plan comes from
 * `plan`, so every hard rule holds and the batch only chooses the order in which orders claim
 * capacity; step 4 builds plans from shares whose room it measured exactly, under the same
 * rules. It never matches less than step 1, and it is deterministic.
 */
export function planBatch(market: BatchMarket, requests: readonly PlanRequest[]): PlanResult[] {
  const journal = new BatchJournal(market);
  const inInputOrder = requests.map((_, i) => i);
  const before = journal.work();
  let results = sequential(journal, requests, inInputOrder);
  const first = [...results];
  const pass = journal.work() - before;
  const hopeful = (): boolean => inInputOrder.some((i) => !results[i]?.ok && holdersFor(journal, requests, results, i).length > 0);
  if (!hopeful()) return withYieldNotes(requests, first, finish(journal, requests, results));
  const budget = new Budget(journal, Math.max(pass, requests.length * WORK_PER_ORDER));
  repairAll(journal, requests, results, budget);
  let order = inInputOrder;
  for (const other of otherOrders(requests, results)) {
    if (budget.left() < pass || !hopeful()) break;
    releaseAll(journal, results);
    const trial = sequential(journal, requests, other);
    if (matched(requests, trial) > matched(requests, results)) {
      results = trial;
      order = other;
      repairAll(journal, requests, results, budget);
      continue;
    }
    releaseAll(journal, trial);
    reserveAll(journal, results, order);
  }
  if (hopeful()) {
    let best: FlexBatch | undefined;
    let most = -1;
    for (const way of FLEX_WAYS) {
      const flex = new FlexBatch(journal, requests, results, way);
      const gain = flex.improve() - flex.start;
      if (gain > most) {
        best = flex;
        most = gain;
      }
    }
    // The search starts from the way that matched most (the first if none gained) and keeps its best.
    if (best !== undefined && best.search() > best.start) best.commit();
  }
  return withYieldNotes(requests, first, finish(journal, requests, results));
}

function sequential(journal: BatchJournal, requests: readonly PlanRequest[], order: readonly number[]): PlanResult[] {
  const results = new Array<PlanResult>(requests.length);
  for (const i of order) {
    const result = journal.plan(requests[i] as PlanRequest);
    journal.reserve(result);
    results[i] = result;
  }
  return results;
}

/** Repair rounds over the orders still out, largest first, until none gains or the budget ends. */
function repairAll(journal: BatchJournal, requests: readonly PlanRequest[], results: PlanResult[], budget: Budget): void {
  for (let round = 0; round < REPAIR_ROUNDS; round++) {
    const stillOut = requests.map((_, i) => i).filter((i) => !results[i]?.ok)
      .sort((a, b) => quantity(requests, b) - quantity(requests, a) || a - b);
    let improved = false;
    for (const u of stillOut) {
      if (budget.left() <= 0) return;
      if (!results[u]?.ok && repair(journal, requests, results, u, budget)) improved = true;
    }
    if (!improved) return;
  }
}

/**
 * Other orders to plan the batch in: the orders still out first (largest first), most capacity
 * per day of the window first (the orders with the fewest ways to fit), largest first, and a
 * few shuffles from fixed seeds (deterministic).
 */
function otherOrders(requests: readonly PlanRequest[], results: readonly PlanResult[]): number[][] {
  const all = requests.map((_, i) => i);
  const by = (key: (r: PlanRequest) => number): number[] =>
    [...all].sort((a, b) => key(requests[b] as PlanRequest) - key(requests[a] as PlanRequest) || a - b);
  const shuffled = Array.from({ length: SHUFFLES }, (_, s) => {
    let seed = 0x9e3779b9 ^ (s + 1);
    const random = (): number => ((seed = (Math.imul(seed, 1664525) + 1013904223) >>> 0) / 2 ** 32);
    const order = [...all];
    for (let i = order.length - 1; i > 0; i--) {
      const j = Math.floor(random() * (i + 1));
      [order[i], order[j]] = [order[j] ?? 0, order[i] ?? 0];
    }
    return order;
  });
  const largestOutFirst = all.filter((i) => !results[i]?.ok).sort((a, b) => quantity(requests, b) - quantity(requests, a) || a - b);
  return [
    [...largestOutFirst, ...all.filter((i) => results[i]?.ok)],
    by((r) => (r.quantity * unitsPerQuantity(r.order)) / Math.max(1, r.endDay - r.startDay + 1)),
    by((r) => r.quantity * unitsPerQuantity(r.order)),
    ...shuffled,
  ];
}

/**
 * Tries to fit order `u` by taking back planned orders that hold lines it could use inside its
 * window, most overlapping first: one at a time, then the fewest of the most overlapping that
 * make room for it, then two at a time. Keeps the first trial that raises the matched quantity.
 */
function repair(journal: BatchJournal, requests: readonly PlanRequest[], results: PlanResult[], u: number, budget: Budget): boolean {
  const holders = holdersFor(journal, requests, results, u);
  const fewest = fewestToTakeBack(journal, requests, results, u, holders);
  // If the order does not fit with all of them taken back, no smaller take-back helps.
  if (fewest === 0) return false;
  const near = holders.slice(0, TAKE_BACK);
  const few = fewest <= near.length;
  const trials: number[][] = few ? near.map((p) => [p]) : [];
  trials.push(holders.slice(0, Math.max(fewest, near.length)));
  if (few) for (let a = 0; a < near.length; a++) for (let b = a + 1; b < near.length; b++) trials.push([near[a] ?? 0, near[b] ?? 0]);
  return trials.slice(0, TRIALS_PER_ORDER).some((takeBack) => budget.left() > 0 && tryTakeBack(journal, requests, results, u, takeBack));
}

/**
 * How many of `holders`, taken back in turn, it takes before `u` fits alone; 0 if it never does.
 * First all of them are taken back: if `u` does not fit then, fewer cannot help. Then the
 * fewest, asking only once the units given back could cover what its own plan missed.
 */
function fewestToTakeBack(journal: BatchJournal, requests: readonly PlanRequest[], results: readonly PlanResult[], u: number, holders: readonly number[]): number {
  const want = requests[u] as PlanRequest;
  const held = holders.map((p) => results[p] as PlanResult);
  releaseAll(journal, held);
  const fitsAll = journal.fits(want);
  reserveAll(journal, results, holders);
  if (!fitsAll || holders.length === 1) return fitsAll ? holders.length : 0;
  const own = results[u];
  const missing = own === undefined || own.ok ? 0 : want.quantity - own.closestMiss.coveredQuantity;
  const perItem = unitsPerQuantity(want.order);
  const givenBack = new Map<string, number>();
  let taken = 0;
  let fits = false;
  while (taken < holders.length - 1 && !fits) {
    const result = held[taken++] as PlanResult;
    journal.release(result);
    for (const [lineId, units] of unitsInWindow(journal, result, want)) givenBack.set(lineId, (givenBack.get(lineId) ?? 0) + units);
    fits = coverBound(givenBack, perItem) >= missing && journal.fits(want);
  }
  reserveAll(journal, results, holders.slice(0, taken));
  return fits ? taken : holders.length;
}

/**
 * Planned orders with an allocation on a line `u` could use, on a day of its window; most units
 * first, at most `MAX_TAKE_BACK`. None when even all of their units there could not make up
 * what `u`'s own plan missed.
 */
function holdersFor(journal: BatchJournal, requests: readonly PlanRequest[], results: readonly PlanResult[], u: number): number[] {
  const want = requests[u] as PlanRequest;
  const overlap: { p: number; units: number }[] = [];
  const givenBack = new Map<string, number>();
  results.forEach((r, p) => {
    if (!r.ok || p === u) return;
    let units = 0;
    for (const [lineId, onLine] of unitsInWindow(journal, r, want)) {
      units += onLine;
      givenBack.set(lineId, (givenBack.get(lineId) ?? 0) + onLine);
    }
    if (units > 0) overlap.push({ p, units });
  });
  const own = results[u];
  if (own !== undefined && !own.ok && own.closestMiss.coveredQuantity + coverBound(givenBack, unitsPerQuantity(want.order)) < want.quantity) return [];
  return overlap.sort((a, b) => b.units - a.units || a.p - b.p).slice(0, MAX_TAKE_BACK).map((o) => o.p);
}

/** Units a plan holds on lines `want` could use, inside its window, per line. */
function unitsInWindow(journal: BatchJournal, r: PlanResult, want: PlanRequest): Map<string, number> {
  const units = new Map<string, number>();
  if (!r.ok) return units;
  for (const a of r.allocations) {
    if (!journal.canServe(a.lineId, want)) continue;
    let onLine = 0;
    for (const d of a.days) if (d.day >= want.startDay && d.day <= want.endDay) onLine += d.units;
    if (onLine > 0) units.set(a.lineId, (units.get(a.lineId) ?? 0) + onLine);
  }
  return units;
}

/**
 * The most an order could gain from units given back: the largest lines' capacities (its
 * closest miss) grow by at most ⌊r / units per item⌋ + 1 on a line given back r units.
 */
function coverBound(givenBack: ReadonlyMap<string, number>, perItem: number): number {
  let more = 0;
  for (const units of givenBack.values()) more += Math.floor(units / perItem) + 1;
  return more;
}

/** Takes back `takeBack`, plans `u` first and them after it; keeps the change if the matched quantity rises. */
function tryTakeBack(journal: BatchJournal, requests: readonly PlanRequest[], results: PlanResult[], u: number, takeBack: readonly number[]): boolean {
  releaseAll(journal, takeBack.map((p) => results[p] as PlanResult));
  const trial = new Map<number, PlanResult>();
  for (const i of [u, ...[...takeBack].sort((a, b) => quantity(requests, b) - quantity(requests, a) || a - b)]) {
    const result = journal.plan(requests[i] as PlanRequest);
    journal.reserve(result);
    trial.set(i, result);
  }
  let gain = 0;
  for (const [i, r] of trial) gain += (r.ok ? quantity(requests, i) : 0) - (results[i]?.ok ? quantity(requests, i) : 0);
  if (gain > 0) {
    for (const [i, r] of trial) results[i] = r;
    return true;
  }
  releaseAll(journal, [...trial.values()]);
  reserveAll(journal, results, takeBack);
  return false;
}

/**
 * Orders still out try once more on the final numbers, until none fits; a miss is then
 * explained on the numbers the batch leaves. An order whose lines nothing touched since its
 * last plan would get that plan again, so it keeps it.
 */
function finish(journal: BatchJournal, requests: readonly PlanRequest[], results: PlanResult[]): PlanResult[] {
  for (let changed = true; changed; ) {
    changed = false;
    results.forEach((r, i) => {
      const request = requests[i] as PlanRequest;
      if (r.ok || !journal.movedSince(r, request)) return;
      const again = journal.plan(request);
      journal.reserve(again);
      results[i] = again;
      if (again.ok) changed = true;
    });
  }
  return results;
}

function releaseAll(journal: BatchJournal, results: readonly PlanResult[]): void {
  for (let i = results.length - 1; i >= 0; i--) {
    const r = results[i];
    if (r !== undefined) journal.release(r);
  }
}

function reserveAll(journal: BatchJournal, results: readonly PlanResult[], order: readonly number[]): void {
  for (const i of order) {
    const r = results[i];
    if (r !== undefined) journal.reserve(r);
  }
}

const quantity = (requests: readonly PlanRequest[], i: number): number => requests[i]?.quantity ?? 0;

export function matched(requests: readonly PlanRequest[], results: readonly PlanResult[]): number {
  return results.reduce((s, r, i) => s + (r.ok ? quantity(requests, i) : 0), 0);
}
