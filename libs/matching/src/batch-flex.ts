import type { BatchJournal } from './batch-journal';
import { bestPacking, combinations, placements, type LineRoom, type PackSpace, type Share } from './batch-repack';
import { demandFor, maxQuantityWithin, unitsPerQuantity } from './capacity';
import { yieldedToBatch } from './explain';
import { planned } from './plan-context';
import { SeedRng } from './seed-rng';
import { scoreParts, slackPart, weightedScore } from './scoring';
import type { DayReservation, PlanRequest, PlanResult, PlannedAllocation } from './types';

/** Orders tried as the one to drop for a larger one, per order still out; pairs come from the first few. */
const VICTIMS = 8;
const PAIR_VICTIMS = 4;
/** Lines beyond maxSplits among which the lines to clear for an order are chosen. */
const CLEAR_EXTRA = 2;
/** Seeded draws of orders to drop, per order still out and round, and the most orders one draw drops. */
const DRAWS = 40;
const DRAW_MOST = 5;
const DRAW_SEED = 0x5eed;
/** Rounds over the orders still out. */
const ROUNDS = 4;
/** Line measurements (each a few passes of the line's days) the phase may spend per order of the batch. */
const MEASURES_PER_ORDER = 4_000;
/** Matched orders in an order's way among which the exact re-pack drops one, two or three. */
const REPACK_VICTIMS = 6;
const REPACK_MOST = 3;
/** Nodes of one re-pack's search; lines beyond those the trade touches that each of its orders may also use. */
const REPACK_NODES = 200;
const REPACK_SPARE_LINES = 2;
/** Line measurements the re-packs may spend per order of the batch, apart from the rest of the phase. */
const REPACK_MEASURES_PER_ORDER = 4_000;
/** The ruin-and-recreate search: line measurements and steps per order of the batch, orders it may drop from those most in the way. */
const SEARCH_MEASURES_PER_ORDER = 20_000;
const SEARCH_STEPS_PER_ORDER = 100;
const SEARCH_POOL = 12;
const SEARCH_MOST = 6;
const SEARCH_SEED = 0x5ea4c4;
const SEARCH_WIDE = 4;

/**
 * A way through the phase. `repack`: 'after' — rounds of trades, then rounds of exact re-packs
 * over the orders the trades could not fit; 'within' — each order tries the re-pack as soon as
 * its trades fail. `alsoOut`: how many other orders still out may join a re-pack.
 */
export interface FlexWay {
  readonly repack: 'after' | 'within';
  readonly alsoOut: number;
}

/**
 * The ways `planBatch` runs the phase, each from the same batch, keeping the one that matches
 * most (the first on a tie). Which ends with more depends on the batch: each step keeps only a
 * gain, and an early gain can close off a larger one.
 */
export const FLEX_WAYS: readonly FlexWay[] = [
  { repack: 'after', alsoOut: 0 }, { repack: 'within', alsoOut: 0 }, { repack: 'after', alsoOut: 2 }, { repack: 'within', alsoOut: 2 },
];

/** One order's share on one line: quantity, its demand in units, and the order's window clipped to the horizon. */
interface Job {
  readonly order: number;
  readonly lineId: string;
  readonly quantity: number;
  readonly demand: number;
  readonly from: number;
  readonly to: number;
  /** The allocation as planned before this phase; kept as it is unless its line's jobs change. */
  readonly kept?: PlannedAllocation;
}

/**
 * The batch's improvement phase (ADR 0002). Plans from `plan` lay each order on its line's
 * earliest free days with the fewest splits; here an order's share of a line is only a quantity
 * on that line inside the order's window, and which days it takes is decided per line, for all
 * the batch's shares there together, earliest due first. That schedule is exact for shares that
 * may spread over any free days of their window: a line can take a set of shares if and only if
 * laying them out earliest due first never leaves a share short at its due day.
 *
 * With that, an order still out is fitted onto up to `maxSplits` lines with room for it (fewest
 * lines first, each split at least its minimum) — the batch's orders on those lines may move to
 * other days of their windows — or, failing that, one or two smaller matched orders are dropped
 * to fit it and planned again where they still fit; a change is kept only if the matched quantity
 * rises. Deterministic (no clock, no randomness), bounded by a count of line measurements.
 * Orders with a price ceiling are neither moved to other lines nor fitted here (their own plan
 * prices them); their shares may move to other days of the same line, which costs the same.
 */
export class FlexBatch {
  private readonly byLine = new Map<string, Job[]>();
  private readonly byOrder = new Map<number, Job[]>();
  /** Per line: its free units per day with every share the batch held there given back. */
  private readonly base = new Map<string, number[]>();
  private readonly held = new Map<string, DayReservation[]>();
  private readonly sums = new Map<string, number[]>();
  private readonly changed = new Set<string>();
  private readonly moved = new Set<number>();
  private readonly widePools = new Map<number, readonly string[]>();
  private readonly pools = new Map<number, { lineIds: readonly string[]; minRate: number }>();
  private measures: number;
  private repackMeasures: number;
  /** The quantity the batch matched before the phase. */
  readonly start: number;

  constructor(
    private readonly journal: BatchJournal, private readonly requests: readonly PlanRequest[], private readonly results: PlanResult[],
    private readonly way: FlexWay = FLEX_WAYS[0] as FlexWay,
  ) {
    this.measures = requests.length * MEASURES_PER_ORDER;
    this.repackMeasures = requests.length * REPACK_MEASURES_PER_ORDER;
    results.forEach((r, order) => {
      if (!r.ok) return;
      const { from, to } = this.window(order);
      for (const a of r.allocations) {
        this.add({ order, lineId: a.lineId, quantity: a.quantity, demand: a.demand, from, to, kept: a });
        this.held.set(a.lineId, [...(this.held.get(a.lineId) ?? []), ...a.days]);
      }
    });
    this.changed.clear();
    this.start = this.matchedNow();
  }

  /**
   * Rounds over the orders still out, largest first, fitting each, trading for it or re-packing
   * it exactly, in the order of the phase's way. Each step keeps only a gain. Returns the
   * quantity the batch matches now.
   */
  improve(): number {
    if (this.way.repack === 'within') {
      this.rounds((u) => this.fit(u) || this.trade(u) || this.repack(u), () => this.measures > 0 || this.repackMeasures > 0);
    } else {
      this.rounds((u) => this.fit(u) || this.trade(u), () => this.measures > 0);
      this.rounds((u) => this.fit(u) || this.repack(u), () => this.repackMeasures > 0);
    }
    return this.matchedNow();
  }

  private rounds(step: (u: number) => boolean, affordable: () => boolean): void {
    for (let round = 0; round < ROUNDS; round++) {
      let improved = false;
      for (const u of this.stillOut()) {
        if (!affordable()) return;
        if (this.byOrder.has(u) || !this.couldFit(u)) continue;
        if (step(u)) improved = true;
      }
      if (!improved) break;
    }
  }

  /** Writes the phase's plans back: every order with a share on a line whose shares changed gets its plan again. */
  commit(): Set<number> {
    const touched = new Set<number>(this.moved);
    for (const lineId of this.changed) for (const j of this.byLine.get(lineId) ?? []) touched.add(j.order);
    const layouts = new Map<Job, DayReservation[]>();
    for (const lineId of this.changed) {
      const jobs = this.byLine.get(lineId) ?? [];
      const laid = schedule(this.baseOf(lineId), jobs);
      // Every change was measured before it was made, so this cannot fail; if it did, keep the batch as it was.
      if (laid === null) return new Set();
      jobs.forEach((j, k) => layouts.set(j, laid[k] ?? []));
    }
    for (const o of touched) this.journal.release(this.results[o] as PlanResult);
    for (const o of touched) {
      const jobs = this.byOrder.get(o) ?? [];
      if (jobs.length === 0) {
        // Dropped for a larger order: planned again (and explained) when the batch finishes.
        this.results[o] = DROPPED;
        continue;
      }
      const allocations = jobs.map((j) => (this.changed.has(j.lineId) || j.kept === undefined ? this.allocation(j, jobs.length, layouts.get(j) ?? []) : j.kept));
      const plan = planned(allocations);
      this.journal.reserve(plan);
      this.results[o] = plan;
    }
    return touched;
  }

  /**
   * Whether the order could fit on the batch's lines even with every share there given back:
   * if not, no fit or trade here can help (the rest of the market is what its own plan found
   * short), and it costs nothing more.
   */
  private couldFit(u: number, lineIds: readonly string[] = this.poolOf(u).lineIds): boolean {
    const req = this.requests[u] as PlanRequest;
    const perItem = unitsPerQuantity(req.order);
    const { from, to } = this.window(u);
    const most = lineIds.map((lineId) => {
      const sums = this.sumsOf(lineId);
      return maxQuantityWithin((sums[to + 1] ?? 0) - (sums[from] ?? 0), perItem, req.quantity);
    }).sort((a, b) => b - a).slice(0, req.maxSplits);
    return most.reduce((sum, q) => sum + q, 0) >= req.quantity;
  }

  private stillOut(): number[] {
    return this.requests.map((_, i) => i)
      .filter((i) => !this.byOrder.has(i) && this.requests[i]?.priceCeiling === undefined)
      .sort((a, b) => this.quantity(b) - this.quantity(a) || a - b);
  }

  /** Fits `u` on lines with room for it as the batch stands; true if it now has shares. */
  private fit(u: number): boolean {
    const jobs = this.place(u);
    if (jobs === null) return false;
    for (const j of jobs) this.add(j);
    this.moved.add(u);
    return true;
  }

  /**
   * Makes room for `u` by dropping matched orders, fits `u`, and fits the dropped orders again
   * wherever they still fit (other lines, other days, more splits), largest first. What is
   * dropped: one or two orders smaller than `u` holding shares on lines it could use, most units
   * there first; or every share on the few lines that could hold `u` with the batch's shares
   * there given back. Kept only if the matched quantity rises; otherwise all goes back as it was.
   */
  private trade(u: number): boolean {
    if (this.measures <= 0) return false;
    for (const drop of this.dropSets(u)) {
      if (this.measures <= 0) return false;
      if (this.tryTrade(u, drop)) return true;
    }
    return false;
  }

  private dropSets(u: number): number[][] {
    const req = this.requests[u] as PlanRequest;
    const { from, to } = this.window(u);
    const pool = this.poolOf(u).lineIds;
    const size = this.quantity(u);
    const movable = (o: number): boolean => this.requests[o]?.priceCeiling === undefined;
    const weight = new Map<number, number>();
    for (const lineId of pool) {
      for (const j of this.byLine.get(lineId) ?? []) {
        if (!movable(j.order) || this.quantity(j.order) >= size) continue;
        weight.set(j.order, (weight.get(j.order) ?? 0) + j.demand);
      }
    }
    const victims = [...weight].sort((a, b) => b[1] - a[1] || a[0] - b[0]).slice(0, VICTIMS).map(([o]) => o);
    const sets: number[][] = victims.map((v) => [v]);
    const few = victims.slice(0, PAIR_VICTIMS);
    for (let a = 0; a < few.length; a++) {
      for (let b = a + 1; b < few.length; b++) {
        const pair = [few[a] ?? 0, few[b] ?? 0];
        if (this.quantity(pair[0] ?? 0) + this.quantity(pair[1] ?? 0) < size) sets.push(pair);
      }
    }
    // Whole lines cleared: the k roomiest lines for u with the batch's shares given back, k up to maxSplits.
    const roomy = pool.map((lineId) => {
      const base = this.baseOf(lineId);
      let units = 0;
      for (let d = from; d <= to; d++) units += base[d] ?? 0;
      return { lineId, units };
    }).sort((a, b) => b.units - a.units || (a.lineId < b.lineId ? -1 : 1)).slice(0, req.maxSplits + CLEAR_EXTRA);
    const demand = demandFor(req.quantity, unitsPerQuantity(req.order));
    const overlapping = (j: Job): boolean => movable(j.order) && j.from <= to && j.to >= from;
    for (const lines of subsets(roomy, req.maxSplits)) {
      if (lines.reduce((s, x) => s + x.units, 0) < demand) continue;
      const drop = new Set<number>();
      for (const { lineId } of lines) for (const j of this.byLine.get(lineId) ?? []) if (overlapping(j)) drop.add(j.order);
      if (drop.size > 0) sets.push([...drop].sort((a, b) => a - b));
    }
    // Then seeded draws of a few of the orders in its way, of any size: deterministic, and wider than the rules above.
    const inWay = [...new Set(pool.flatMap((lineId) => (this.byLine.get(lineId) ?? []).filter(overlapping).map((j) => j.order)))].sort((a, b) => a - b);
    const rng = new SeedRng(DRAW_SEED + u);
    for (let n = 0; n < DRAWS && inWay.length > 0; n++) {
      const drop = new Set<number>();
      for (let k = rng.int(1, Math.min(DRAW_MOST, inWay.length)); k > 0; k--) drop.add(inWay[rng.int(0, inWay.length - 1)] ?? 0);
      sets.push([...drop].sort((a, b) => a - b));
    }
    return sets;
  }

  /**
   * The exact re-pack: one, two or three matched orders in `u`'s way (most units on its lines
   * first, of any size) are dropped and packed again together with `u` by a small branch and
   * bound (batch-repack.ts) over the lines the trade touches — theirs, and `u`'s roomiest — and
   * a couple of other lines with room each may use. Kept only if more quantity fits than the
   * dropped orders held; the rest of the batch stays where it is.
   */
  private repack(u: number): boolean {
    let best: { drop: readonly number[]; plan: Map<number, readonly Share[]>; gain: number } | null = null;
    for (const drop of this.repackSets(u)) {
      if (this.repackMeasures <= 0) break;
      const found = this.searchRepack(u, drop);
      if (found !== null && (best === null || found.gain > best.gain)) best = { drop, ...found };
    }
    if (best === null) return false;
    for (const v of best.drop) for (const j of this.byOrder.get(v) ?? []) this.remove(j);
    for (const [o, shares] of best.plan) this.putShares(o, shares);
    for (const o of [u, ...best.drop, ...best.plan.keys()]) this.moved.add(o);
    return true;
  }

  /**
   * What a re-pack drops for `u`: one, two or three of the matched orders most in its way; then
   * every movable share on one, two or three of its roomiest lines, inside its window.
   */
  private repackSets(u: number): number[][] {
    const victims = this.inWayOf(u).slice(0, REPACK_VICTIMS);
    const sets: number[][] = [];
    for (let k = 1; k <= REPACK_MOST; k++) sets.push(...combinations(victims, k));
    const { from, to } = this.window(u);
    const req = this.requests[u] as PlanRequest;
    for (const lines of subsets(this.roomiest(u, req.maxSplits), Math.min(REPACK_MOST, req.maxSplits))) {
      const drop = new Set<number>();
      for (const lineId of lines) {
        for (const j of this.byLine.get(lineId) ?? []) {
          if (this.requests[j.order]?.priceCeiling === undefined && j.from <= to && j.to >= from) drop.add(j.order);
        }
      }
      if (drop.size > REPACK_MOST) sets.push([...drop].sort((a, b) => a - b));
    }
    return sets;
  }

  /** Movable matched orders with shares on lines `u` could use, overlapping its window; most units there first. */
  private inWayOf(u: number): number[] {
    const { from, to } = this.window(u);
    const units = new Map<number, number>();
    for (const lineId of this.poolOf(u).lineIds) {
      for (const j of this.byLine.get(lineId) ?? []) {
        if (this.requests[j.order]?.priceCeiling !== undefined || j.from > to || j.to < from) continue;
        units.set(j.order, (units.get(j.order) ?? 0) + j.demand);
      }
    }
    return [...units].sort((a, b) => b[1] - a[1] || a[0] - b[0]).map(([o]) => o);
  }

  /** The best re-pack of `u` with `drop`, and how much more it matches; the shares are left as they were. */
  private searchRepack(u: number, drop: readonly number[]): { plan: Map<number, readonly Share[]>; gain: number } | null {
    const saved = this.snapshot();
    const touched = new Set<string>(this.roomiest(u, this.requests[u]?.maxSplits ?? 1));
    for (const v of drop) for (const j of this.byOrder.get(v) ?? []) touched.add(j.lineId);
    // Orders still out that could use the lines the trade touches join it: one out may make way for two.
    const alsoOut = this.stillOut().filter((o) => o !== u && this.poolOf(o).lineIds.some((lineId) => touched.has(lineId))).slice(0, this.way.alsoOut);
    const orders = [u, ...drop, ...alsoOut];
    let floor = 0;
    for (const v of drop) {
      floor += this.quantity(v);
      for (const j of this.byOrder.get(v) ?? []) this.remove(j);
    }
    const phaseBudget = this.measures;
    this.measures = this.repackMeasures;
    const linesOf = new Map(orders.map((o) => [o, this.searchLines(o, touched)]));
    let nodes = REPACK_NODES;
    const space: PackSpace = {
      quantity: (o) => this.quantity(o),
      maxSplits: (o) => this.requests[o]?.maxSplits ?? 1,
      rooms: (o) => (linesOf.get(o) ?? []).map((lineId) => this.lineRoom(o, lineId)).filter((r): r is LineRoom => r !== null),
      put: (o, shares) => this.putShares(o, shares),
      take: (o) => {
        for (const j of this.byOrder.get(o) ?? []) this.remove(j);
      },
      spend: () => nodes-- > 0 && this.measures > 0,
    };
    const plan = bestPacking(space, orders, floor);
    this.repackMeasures = this.measures;
    this.measures = phaseBudget;
    this.restore(saved);
    if (plan === null) return null;
    let matched = 0;
    for (const o of plan.keys()) matched += this.quantity(o);
    return { plan, gain: matched - floor };
  }

  /** The lines the search may give order `o`: those the trade touches, and the few roomiest others it may use. */
  private searchLines(o: number, touched: ReadonlySet<string>): string[] {
    const pool = this.poolOf(o).lineIds;
    const inTrade = pool.filter((lineId) => touched.has(lineId));
    const { from, to } = this.window(o);
    const others = pool.filter((lineId) => !touched.has(lineId))
      .map((lineId) => ({ lineId, units: this.room(lineId, o, from, to) }))
      .filter((x) => x.units > 0)
      .sort((a, b) => b.units - a.units || (a.lineId < b.lineId ? -1 : 1))
      .slice(0, REPACK_SPARE_LINES).map((x) => x.lineId);
    return [...inTrade, ...others];
  }

  /** The order's pool lines with the most free units in its window with the batch's shares given back. */
  private roomiest(o: number, k: number): string[] {
    const { from, to } = this.window(o);
    return this.poolOf(o).lineIds.map((lineId) => {
      const sums = this.sumsOf(lineId);
      return { lineId, units: (sums[to + 1] ?? 0) - (sums[from] ?? 0) };
    }).sort((a, b) => b.units - a.units || (a.lineId < b.lineId ? -1 : 1)).slice(0, k + CLEAR_EXTRA).map((x) => x.lineId);
  }

  private putShares(o: number, shares: readonly Share[]): void {
    const req = this.requests[o] as PlanRequest;
    const perItem = unitsPerQuantity(req.order);
    const { from, to } = this.window(o);
    for (const s of shares) this.add({ order: o, lineId: s.lineId, quantity: s.quantity, demand: demandFor(s.quantity, perItem), from, to });
  }

  /** What the line can take of order `o` as the shares stand: the most, and the least one split may take there; null if it cannot serve it. */
  private lineRoom(o: number, lineId: string): LineRoom | null {
    const facts = this.journal.lineFacts(lineId);
    if (facts === undefined) return null;
    const req = this.requests[o] as PlanRequest;
    const { from, to } = this.window(o);
    const most = maxQuantityWithin(this.room(lineId, o, from, to), unitsPerQuantity(req.order), req.quantity);
    return { lineId, most, least: Math.min(req.quantity, Math.max(1, req.minSplitQuantity ?? 1, facts.minimum)) };
  }

  private snapshot(): { byLine: Map<string, Job[]>; byOrder: Map<number, Job[]>; changed: Set<string>; moved: Set<number> } {
    return { byLine: new Map(this.byLine), byOrder: new Map(this.byOrder), changed: new Set(this.changed), moved: new Set(this.moved) };
  }

  private tryTrade(u: number, drop: readonly number[]): boolean {
    const saved = { byLine: new Map(this.byLine), byOrder: new Map(this.byOrder), changed: new Set(this.changed), moved: new Set(this.moved) };
    const before = this.matchedNow();
    for (const v of drop) for (const j of this.byOrder.get(v) ?? []) this.remove(j);
    const cleared = { byLine: new Map(this.byLine), byOrder: new Map(this.byOrder), changed: new Set(this.changed), moved: new Set(this.moved) };
    // Two ways back: the order with the least room to spare first, or the largest first.
    for (const leastSpareFirst of [true, false]) {
      const fitted = this.refit([u, ...drop], u, leastSpareFirst);
      if (fitted && this.matchedNow() > before) return true;
      this.restore(cleared);
    }
    this.restore(saved);
    return false;
  }

  /**
   * Fits the orders again, the one with the least room to spare first (its roomiest lines against
   * its quantity) or the largest first, each on the tightest lines that take it; orders no line set can take stay out.
   * False if `must` does not fit.
   */
  private refit(orders: readonly number[], must: number, leastSpareFirst: boolean): boolean {
    let left = [...orders];
    while (left.length > 0) {
      // Measured again after each fit: the order with the least room to spare now goes next.
      let best = -1;
      let bestKey = Infinity;
      for (const o of left) {
        const key = leastSpareFirst ? this.spare(o) : -this.quantity(o);
        if (key < bestKey || (key === bestKey && o < best)) {
          best = o;
          bestKey = key;
        }
      }
      left = left.filter((o) => o !== best);
      this.moved.add(best);
      const jobs = !leastSpareFirst || bestKey >= 1 ? this.place(best, true) : null;
      if (jobs === null) {
        if (best === must) return false;
        continue;
      }
      for (const j of jobs) this.add(j);
    }
    return true;
  }

  /** What the order's maxSplits roomiest lines could take, over its quantity (below 1: it cannot fit). */
  private spare(o: number): number {
    const req = this.requests[o] as PlanRequest;
    const perItem = unitsPerQuantity(req.order);
    const { from, to } = this.window(o);
    const most = this.poolOf(o).lineIds.map((lineId) => maxQuantityWithin(this.room(lineId, o, from, to), perItem, req.quantity))
      .sort((a, b) => b - a).slice(0, req.maxSplits);
    return most.reduce((s, q) => s + q, 0) / req.quantity;
  }

  private restore(saved: { byLine: Map<string, Job[]>; byOrder: Map<number, Job[]>; changed: Set<string>; moved: Set<number> }): void {
    this.byLine.clear();
    for (const [k, v] of saved.byLine) this.byLine.set(k, v);
    this.byOrder.clear();
    for (const [k, v] of saved.byOrder) this.byOrder.set(k, v);
    this.changed.clear();
    for (const k of saved.changed) this.changed.add(k);
    this.moved.clear();
    for (const k of saved.moved) this.moved.add(k);
  }

  /**
   * Ruin and recreate over the batch's shares: an order still out that the batch's lines could
   * hold emptied is drawn (as in the phase's other steps; the reference market's left-out orders
   * cannot, so there the search costs nothing), a few matched orders in its way are dropped,
   * and it, they and every other order still out are fitted again. A result that matches at least as much is kept, so the
   * search can walk across equal batches to one where a larger rearrangement gains; the best
   * seen is what stays. Seeded and bounded by line measurements: deterministic.
   */
  search(): number {
    let best = this.matchedNow();
    let bestState = this.snapshot();
    this.measures = this.requests.length * SEARCH_MEASURES_PER_ORDER;
    const rng = new SeedRng(SEARCH_SEED);
    for (let step = 0; this.measures > 0 && step < this.requests.length * SEARCH_STEPS_PER_ORDER; step++) {
      const out = this.stillOut().filter((o) => this.couldFit(o));
      if (out.length === 0) break;
      const u = out[rng.int(0, out.length - 1)] as number;
      const inWay = this.inWayOf(u).slice(0, SEARCH_POOL);
      if (inWay.length === 0) continue;
      const before = this.matchedNow();
      const saved = this.snapshot();
      this.ruinAndRecreate(u, inWay, out, rng);
      const now = this.matchedNow();
      if (now < before) this.restore(saved);
      else if (now > best) {
        best = now;
        bestState = this.snapshot();
      }
    }
    this.restore(bestState);
    return best;
  }

  /**
   * One step of the search: drops a few of `inWay` (those with most units on u's lines likelier)
   * and fits `u` first, then them and the other orders in `out` in a seeded order, each on one of
   * the re-pack's placements on its wide pool (the tighter likelier).
   */
  private ruinAndRecreate(u: number, inWay: readonly number[], out: readonly number[], rng: SeedRng): void {
    const drop = new Set<number>();
    for (let k = rng.int(1, Math.min(SEARCH_MOST, inWay.length)); k > 0; k--) drop.add(inWay[Math.floor(rng.next() ** 2 * inWay.length)] ?? 0);
    for (const v of drop) for (const j of this.byOrder.get(v) ?? []) this.remove(j);
    const rest = [...drop, ...out.filter((o) => o !== u)];
    for (let i = rest.length - 1; i > 0; i--) {
      const j = rng.int(0, i);
      [rest[i], rest[j]] = [rest[j] as number, rest[i] as number];
    }
    for (const o of [u, ...rest]) {
      if (this.byOrder.has(o)) continue;
      const rooms = this.widePoolOf(o).map((lineId) => this.lineRoom(o, lineId)).filter((r): r is LineRoom => r !== null);
      const options = placements(rooms, this.quantity(o), this.requests[o]?.maxSplits ?? 1);
      if (options.length === 0) continue;
      this.putShares(o, options[Math.floor(rng.next() ** 3 * options.length)] as Share[]);
      this.moved.add(o);
    }
    for (const v of drop) this.moved.add(v);
  }

  matchedNow(): number {
    let sum = 0;
    for (const o of this.byOrder.keys()) sum += this.quantity(o);
    return sum;
  }

  /**
   * Up to `maxSplits` shares for the order on lines with room for it, or null. The fewest lines
   * that cover it; one line: the best-ranked (price, record, load) of those that take it whole;
   * more: the roomiest, each at least its minimum.
   */
  private place(o: number, pack = false): Job[] | null {
    const req = this.requests[o] as PlanRequest;
    const perItem = unitsPerQuantity(req.order);
    const { from, to } = this.window(o);
    const pool = this.poolOf(o);
    const minSplit = Math.max(1, req.minSplitQuantity ?? 1);
    const options: { lineId: string; most: number; least: number; rank: number }[] = [];
    for (const lineId of pool.lineIds) {
      const facts = this.journal.lineFacts(lineId);
      if (facts === undefined) continue;
      const units = this.room(lineId, o, from, to);
      const most = maxQuantityWithin(units, perItem, req.quantity);
      const least = Math.min(req.quantity, Math.max(minSplit, facts.minimum));
      if (most < least || most <= 0) continue;
      const price = facts.rate > 0 ? Math.min(1, pool.minRate / facts.rate) : 1;
      options.push({ lineId, most, least, rank: 0.3 * price + 0.2 * facts.record + 0.1 * (1 - facts.load) });
    }
    const job = (lineId: string, quantity: number): Job => ({ order: o, lineId, quantity, demand: demandFor(quantity, perItem), from, to });
    // Fitting orders back after a drop, the tightest line that takes the order whole leaves the roomier ones for the rest.
    const whole = options.filter((x) => x.most >= req.quantity)
      .sort((a, b) => (pack ? a.most - b.most : 0) || b.rank - a.rank || (a.lineId < b.lineId ? -1 : 1))[0];
    if (whole !== undefined) return [job(whole.lineId, req.quantity)];
    options.sort((a, b) => b.most - a.most || (a.lineId < b.lineId ? -1 : 1));
    for (let k = 2; k <= Math.min(req.maxSplits, options.length); k++) {
      let chosen = options.slice(0, k);
      if (chosen.reduce((s, x) => s + x.most, 0) < req.quantity) continue;
      if (pack) {
        // The last split on the tightest line that completes the order, keeping the roomier lines free.
        const need = req.quantity - chosen.slice(0, k - 1).reduce((s, x) => s + x.most, 0);
        const last = options.slice(k - 1).filter((x) => x.most >= need).sort((a, b) => a.most - b.most || (a.lineId < b.lineId ? -1 : 1))[0];
        if (last !== undefined) chosen = [...chosen.slice(0, k - 1), last];
      }
      const jobs: Job[] = [];
      let remaining = req.quantity;
      chosen.forEach((x, i) => {
        const after = chosen.slice(i + 1).reduce((s, y) => s + y.least, 0);
        const take = Math.min(x.most, remaining - after);
        if (take >= x.least) {
          jobs.push(job(x.lineId, take));
          remaining -= take;
        }
      });
      if (remaining === 0 && jobs.length === k) return jobs;
    }
    return null;
  }

  /**
   * The most units the line can give order `o` in its window with every other share there still
   * laid out in time. Shares whose windows are intervals of days fit a line if and only if, for
   * every interval of days, the shares whose windows lie inside it need no more than its free
   * units; so the room is the least, over intervals around o's window, of free units less the
   * other shares inside. Only intervals that start at o's first day or another share's and end
   * at o's last day or another share's can be the least.
   */
  private room(lineId: string, o: number, from: number, to: number): number {
    this.measures--;
    const sums = this.sumsOf(lineId);
    const others = (this.byLine.get(lineId) ?? []).filter((j) => j.order !== o);
    const starts = [from, ...others.filter((j) => j.from < from).map((j) => j.from)];
    const ends = [to, ...others.filter((j) => j.to > to).map((j) => j.to)];
    let least = Infinity;
    for (const s of starts) {
      for (const e of ends) {
        let free = (sums[e + 1] ?? 0) - (sums[s] ?? 0);
        for (const j of others) if (j.from >= s && j.to <= e) free -= j.demand;
        if (free < least) least = free;
      }
    }
    return least > 0 ? least : 0;
  }

  /**
   * The order's batch lines and the few roomiest other lines of the market that may serve it
   * (free units in its window): where the search may move a dropped order so the room it held
   * goes to a larger one.
   */
  private widePoolOf(o: number): readonly string[] {
    let pool = this.widePools.get(o);
    if (pool === undefined) {
      const own = this.poolOf(o).lineIds;
      const { from, to } = this.window(o);
      const inBatch = new Set(own);
      const others = this.journal.linesFor(this.requests[o] as PlanRequest).filter((lineId) => !inBatch.has(lineId))
        .map((lineId) => {
          const sums = this.sumsOf(lineId);
          return { lineId, units: (sums[to + 1] ?? 0) - (sums[from] ?? 0) };
        })
        .filter((x) => x.units > 0)
        .sort((a, b) => b.units - a.units || (a.lineId < b.lineId ? -1 : 1))
        .slice(0, SEARCH_WIDE).map((x) => x.lineId);
      pool = [...own, ...others].sort();
      this.widePools.set(o, pool);
    }
    return pool;
  }

  private poolOf(o: number): { lineIds: readonly string[]; minRate: number } {
    let pool = this.pools.get(o);
    if (pool === undefined) {
      const req = this.requests[o] as PlanRequest;
      // Only the batch's lines: room the phase makes is room on them, and the rest of the
      // market is what the order's own plan already found short.
      const lineIds = [...this.byLine.keys()].filter((lineId) => this.journal.canServe(lineId, req)).sort();
      pool = { lineIds, minRate: this.journal.cheapestRate(req) };
      this.pools.set(o, pool);
    }
    return pool;
  }

  /** Prefix sums of the line's base free units: sums[d] = units on days before d. */
  private sumsOf(lineId: string): number[] {
    let sums = this.sums.get(lineId);
    if (sums === undefined) {
      const base = this.baseOf(lineId);
      sums = [0];
      for (let d = 0; d < base.length; d++) sums.push((sums[d] ?? 0) + (base[d] ?? 0));
      this.sums.set(lineId, sums);
    }
    return sums;
  }

  private baseOf(lineId: string): number[] {
    let base = this.base.get(lineId);
    if (base === undefined) {
      base = Array.from({ length: this.journal.horizon }, (_, d) => this.journal.freeOn(lineId, d));
      for (const { day, units } of this.held.get(lineId) ?? []) base[day] = (base[day] ?? 0) + units;
      this.base.set(lineId, base);
    }
    return base;
  }

  private allocation(j: Job, allocations: number, days: readonly DayReservation[]): PlannedAllocation {
    const req = this.requests[j.order] as PlanRequest;
    const facts = this.journal.lineFacts(j.lineId);
    const rate = facts?.rate ?? 0;
    const startDay = days[0]?.day ?? j.from;
    const endDay = days[days.length - 1]?.day ?? j.from;
    if (j.kept !== undefined) {
      // Same line, quantity and demand, so the same price; only the days, and so the slack, move.
      const kept = { ...j.kept.scoreParts, slack: slackPart(req.startDay, req.endDay, endDay) };
      return { ...j.kept, days, startDay, endDay, scoreParts: kept, score: weightedScore(kept) };
    }
    const parts = scoreParts({
      allocations, startDay: req.startDay, endDay: req.endDay, completionDay: endDay,
      rate, minRate: this.poolOf(j.order).minRate, record: facts?.record ?? 0, load: facts?.load ?? 0,
    });
    return {
      lineId: j.lineId, factoryId: facts?.factoryId ?? '', quantity: j.quantity, demand: j.demand, days, startDay, endDay,
      price: Math.round((j.demand * rate * 100) / (req.order.kind === 'fabric' ? 1000 : 1)) / 100,
      score: weightedScore(parts), scoreParts: parts,
    };
  }

  private add(j: Job): void {
    this.byLine.set(j.lineId, [...(this.byLine.get(j.lineId) ?? []), j]);
    this.byOrder.set(j.order, [...(this.byOrder.get(j.order) ?? []), j]);
    this.changed.add(j.lineId);
  }

  private remove(j: Job): void {
    const line = (this.byLine.get(j.lineId) ?? []).filter((x) => x !== j);
    this.byLine.set(j.lineId, line);
    const order = (this.byOrder.get(j.order) ?? []).filter((x) => x !== j);
    if (order.length > 0) this.byOrder.set(j.order, order);
    else this.byOrder.delete(j.order);
    this.changed.add(j.lineId);
  }

  private window(o: number): { from: number; to: number } {
    const req = this.requests[o] as PlanRequest;
    return { from: Math.max(0, req.startDay), to: Math.min(req.endDay, this.journal.horizon - 1) };
  }

  private quantity(o: number): number {
    return this.requests[o]?.quantity ?? 0;
  }
}

/** What an order dropped by the phase holds until the batch plans it again. */
const DROPPED: PlanResult = { ok: false, reasons: [], closestMiss: { coveredFraction: 0, coveredQuantity: 0, linesConsidered: 0 } };

/**
 * Lays the shares out on the line's free days, earliest due first (ties: earliest start, then
 * order), each day's units to the share due soonest among those whose window has begun. Returns
 * each share's days, or null if one is left short at its due day: then no layout exists.
 */
function schedule(free: readonly number[], jobs: readonly Job[]): DayReservation[][] | null {
  const left = jobs.map((j) => j.demand);
  const out = jobs.map((): DayReservation[] => []);
  const order = jobs.map((_, k) => k).sort((a, b) => {
    const x = jobs[a] as Job;
    const y = jobs[b] as Job;
    return x.to - y.to || x.from - y.from || x.order - y.order || a - b;
  });
  let first = Infinity;
  let last = -1;
  for (const j of jobs) {
    if (j.from < first) first = j.from;
    if (j.to > last) last = j.to;
  }
  for (let day = first; day <= last; day++) {
    let cap = free[day] ?? 0;
    for (const k of order) {
      if (cap <= 0) break;
      const j = jobs[k] as Job;
      const want = left[k] ?? 0;
      if (want <= 0 || day < j.from || day > j.to) continue;
      const take = Math.min(cap, want);
      out[k]?.push({ day, units: take });
      left[k] = want - take;
      cap -= take;
    }
    for (const k of order) if ((jobs[k] as Job).to === day && (left[k] ?? 0) > 0) return null;
  }
  return out;
}

/**
 * Each matched order's plan, with a note when the batch moved it off the plan it got in the
 * first pass (as sequential matching would have planned it): later completion, more splits or
 * other lines. An order the first pass left out and the batch matched yielded nothing.
 */
export function withYieldNotes(requests: readonly PlanRequest[], first: readonly PlanResult[], results: readonly PlanResult[]): PlanResult[] {
  return results.map((r, i) => {
    const alone = first[i];
    if (!r.ok || alone === undefined || !alone.ok || r === alone) return r;
    const later = r.completionDay > alone.completionDay ? { from: alone.completionDay, to: r.completionDay } : undefined;
    const splits = r.allocations.length > alone.allocations.length ? { from: alone.allocations.length, to: r.allocations.length } : undefined;
    const lines = new Set(alone.allocations.map((a) => a.lineId));
    const otherLines = r.allocations.some((a) => !lines.has(a.lineId));
    if (later === undefined && splits === undefined && !otherLines) return r;
    return { ...r, notes: [yieldedToBatch({ later, splits, otherLines }, requests[i]?.endDay ?? r.completionDay)] };
  });
}

/** Every subset of `items` with 1..k members, smaller subsets first, each in the items' order. */
function subsets<T>(items: readonly T[], k: number): T[][] {
  const out: T[][] = [];
  const grow = (start: number, chosen: T[]): void => {
    if (chosen.length > 0) out.push(chosen);
    if (chosen.length === k) return;
    for (let i = start; i < items.length; i++) grow(i + 1, [...chosen, items[i] as T]);
  };
  grow(0, []);
  return out.sort((a, b) => a.length - b.length);
}
