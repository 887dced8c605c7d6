import { maxQuantityWithin } from './capacity';
import { windowUnits, type LineTable } from './line-table';
import type { PlanContext } from './plan-context';
import { insertTop, largest } from './top-k';

/**
 * Eligible lines in descending order of an upper bound on their free units in the order's
 * window. The index bounds a line by its peak day times the window's length, so the lines a
 * split or a miss depends on come first and the rest need not be read at all.
 */
export interface LineFeed {
  /** The bound of the line `next()` gives, in capacity units; -1 when none is left. */
  peek(): number;
  /** The next line's slot; only after `peek()` returned a bound. */
  next(): number;
  /** Free units in the order's window of a line `next()` gave. */
  units(slot: number): number;
}

/**
 * What each eligible line could take of the order by the due date, measured lazily, most
 * promising first. Every answer is exact: a question is answered only once the bound of the
 * lines not yet measured shows they cannot change it.
 */
export class CapScan {
  /** Measured lines and their capacity (quantity by the due date, at most the order). */
  readonly slots: number[] = [];
  readonly caps: number[] = [];
  private sum = 0;
  private readonly memo: Memo;

  constructor(private readonly ctx: PlanContext, private readonly feed: LineFeed) {
    this.memo = memoFor(ctx.t);
  }

  /** The most any line not measured yet could take; -1 when every line is measured. */
  nextBound(): number {
    const units = this.feed.peek();
    return units < 0 ? -1 : maxQuantityWithin(units, this.ctx.perItem, this.ctx.req.quantity);
  }

  /** A line's capacity, measured once per plan. */
  capOfSlot(slot: number): number {
    const { memo } = this;
    if (memo.stamp[slot] === memo.plan) return memo.cap[slot] ?? 0;
    const cap = capOf(this.ctx, slot);
    memo.stamp[slot] = memo.plan;
    memo.cap[slot] = cap;
    return cap;
  }

  /**
   * The m largest lines passing `keep`, by capacity then lineId, as positions in `slots` and
   * `caps`: lines whose bound ties the m-th are measured too, since a smaller lineId wins a tie.
   * `keep` refuses every capacity under `floor`, so lines bounded below it are not measured.
   */
  topLines(m: number, keep: (slot: number, cap: number) => boolean, floor = -Infinity): number[] {
    const ids = this.ctx.t.lineId;
    const before = (a: number, b: number): boolean => {
      const ca = this.caps[a] ?? 0;
      const cb = this.caps[b] ?? 0;
      return ca > cb || (ca === cb && (ids[this.slots[a] ?? 0] ?? '') < (ids[this.slots[b] ?? 0] ?? ''));
    };
    const top: number[] = [];
    for (let i = 0; ; i++) {
      if (i === this.caps.length) {
        const bound = this.nextBound();
        if (bound < 0 || bound < floor || (top.length === m && (this.caps[top[m - 1] ?? 0] ?? 0) > bound)) return top;
        this.measureNext();
      }
      if (!keep(this.slots[i] ?? 0, this.caps[i] ?? 0)) continue;
      if (top.length === m && !before(i, top[m - 1] ?? 0)) continue;
      let at = Math.min(top.length, m - 1);
      while (at > 0 && before(i, top[at - 1] ?? 0)) {
        top[at] = top[at - 1] ?? 0;
        at--;
      }
      top[at] = i;
    }
  }

  /** The k largest capacities of lines passing `keep`, largest first (fewer if fewer lines pass). */
  largest(k: number, keep: (slot: number, cap: number) => boolean): number[] {
    const top: number[] = [];
    for (let i = 0; ; i++) {
      if (i === this.caps.length) {
        const bound = this.nextBound();
        if (bound < 0 || (top.length === k && (top[k - 1] ?? 0) >= bound)) return top;
        this.measureNext();
      }
      const cap = this.caps[i] ?? 0;
      if (keep(this.slots[i] ?? 0, cap)) insertTop(top, k, cap);
    }
  }

  /** Whether all eligible lines together could take `quantity`. */
  totalCovers(quantity: number): boolean {
    while (this.sum < quantity && this.feed.peek() >= 0) this.measureNext();
    return this.sum >= quantity;
  }

  /** How many of the largest lines it takes to cover `quantity` (every line if they never do). */
  linesCovering(quantity: number): number {
    for (;;) {
      const { n, covered, last } = this.cover(quantity);
      const bound = this.nextBound();
      if (bound < 0 || (covered >= quantity && last >= bound)) return n;
      // Measure down to the smallest line used so far, and at least as many lines again.
      const floor = covered >= quantity ? last : 0;
      for (let more = Math.max(16, this.caps.length); more > 0 && this.feed.peek() >= 0 && this.nextBound() > floor; more--) this.measureNext();
    }
  }

  /**
   * The fewest of the largest measured capacities that cover `quantity` (all of them if they do
   * not) and the smallest of those; only as many of the largest are picked out as it takes.
   */
  private cover(quantity: number): { n: number; covered: number; last: number } {
    if (this.sum < quantity) return { n: this.caps.length, covered: this.sum, last: 0 };
    for (let k = 16; ; k *= 2) {
      const top = largest(this.caps, k);
      let covered = 0;
      let n = 0;
      while (n < top.length && covered < quantity) covered += top[n++] ?? 0;
      if (covered >= quantity) return { n, covered, last: top[n - 1] ?? 0 };
    }
  }

  private measureNext(): void {
    const slot = this.feed.next();
    const cap = overCeiling(this.ctx, slot) ? 0 : maxQuantityWithin(this.feed.units(slot), this.ctx.perItem, this.ctx.req.quantity);
    this.memo.stamp[slot] = this.memo.plan;
    this.memo.cap[slot] = cap;
    this.slots.push(slot);
    this.caps.push(cap);
    this.sum += cap;
  }
}

/** What one line could take of the order by the due date. */
export function capOf(ctx: PlanContext, slot: number): number {
  if (overCeiling(ctx, slot)) return 0;
  return maxQuantityWithin(windowUnits(ctx.t, slot, ctx.from, ctx.to), ctx.perItem, ctx.req.quantity);
}

/** A line priced above the order's ceiling takes none of it. */
function overCeiling(ctx: PlanContext, slot: number): boolean {
  return (ctx.t.rate[slot] ?? 0) > ctx.maxRate;
}

/**
 * Capacities measured in this plan, by slot, kept per table and reused from plan to plan: a
 * stamp says which plan wrote a value, so nothing is cleared or allocated per plan.
 */
interface Memo {
  plan: number;
  stamp: Int32Array;
  cap: Float64Array;
}

const memos = new WeakMap<LineTable, Memo>();

function memoFor(t: LineTable): Memo {
  const slots = Math.floor(t.prefix.length / t.stride);
  let memo = memos.get(t);
  if (memo === undefined || memo.stamp.length < slots || memo.plan === 0x7fffffff) {
    memo = { plan: 0, stamp: new Int32Array(slots), cap: new Float64Array(slots) };
    memos.set(t, memo);
  }
  memo.plan++;
  return memo;
}
