import { addToBin, censusOf, eachLeastUnder, leastBinsOf, NO_CENSUS, type BucketCensus, type LeastBins } from './bucket-census';
import type { LineStore } from './line-store';
import { SCORE_WEIGHTS } from './scoring';

/** Per position in rate order; copies kept beside the slots so the hot walk reads memory in sequence. */
export interface BucketView {
  readonly slots: Int32Array;
  readonly rates: Float64Array;
  /** Bound on the record and load parts of every line from this position on. */
  readonly restMax: Float64Array;
  /** The line's peak free units on one day. */
  readonly peaks: Float64Array;
  /** The highest peak from this position on: no line left can finish sooner than it allows. */
  readonly restPeak: Float64Array;
  /** The same slots in storage order, for walks that visit every line: reads then go forward in memory. */
  readonly bySlot: Int32Array;
  /** The same slots by peak free day, highest first, with those peaks: most room in any window first. */
  readonly byPeak: Int32Array;
  readonly peakDesc: Float64Array;
  /** Width, "verified and active" and certification bits in that order, so the feed's filter reads no scattered memory. */
  readonly peakWidth: Float64Array;
  readonly peakUsable: Uint8Array;
  readonly peakCert: Int32Array;
}

const EMPTY: BucketView = {
  slots: new Int32Array(0), rates: new Float64Array(0), restMax: new Float64Array(0), peaks: new Float64Array(0),
  restPeak: new Float64Array(0), bySlot: new Int32Array(0), byPeak: new Int32Array(0), peakDesc: new Float64Array(0),
  peakWidth: new Float64Array(0), peakUsable: new Uint8Array(0), peakCert: new Int32Array(0),
};

/**
 * The lines filed under one capability key, kept sorted by rate so a search can walk them
 * cheapest first. `restMax[i]` bounds the record and load parts of every line from i on, which
 * with the rate of line i bounds any score still to come: the walk stops when that bound cannot
 * beat the best line found.
 */
export class CapabilityBucket {
  private readonly members: number[] = [];
  private view: BucketView = EMPTY;
  private stale = true;
  private boundsStale = false;
  /** Taken with the sort after the members changed (a line's peak rising leaves them as they are). */
  private membersStale = true;
  private counted: BucketCensus = NO_CENSUS;
  private leastBins: LeastBins = { bins: [], moved: new Set(), entries: 0 };

  get size(): number {
    return this.members.length;
  }

  add(slot: number): void {
    this.members.push(slot);
    this.membersChanged();
  }

  remove(slot: number): void {
    const at = this.members.indexOf(slot);
    if (at >= 0) this.members.splice(at, 1);
    this.membersChanged();
  }

  /** A line's peak rose: its place by peak and the bounds may no longer hold. */
  invalidate(): void {
    this.stale = true;
  }

  /** A line's load fell: only the record and load bound needs recomputing, not the order. */
  loosen(): void {
    this.boundsStale = true;
  }

  /**
   * A member's least non-zero day fell to `least`. Once lowered lines double the bins they are
   * built afresh, here rather than in a plan.
   */
  lowered(slot: number, least: number, store: LineStore): void {
    if (this.membersStale) return;
    if (this.leastBins.entries > 2 * this.members.length + 16) this.leastBins = leastBinsOf(this.members, store);
    else {
      addToBin(this.leastBins, slot, least);
      this.leastBins.moved.add(slot);
    }
  }

  get slots(): readonly number[] {
    return this.members;
  }

  census(store: LineStore): BucketCensus {
    if (this.stale) this.rebuild(store);
    return this.counted;
  }

  /** Visits every member whose least non-zero free day may be under `units` (see `LeastBins`). */
  eachLeastUnder(store: LineStore, units: number, visit: (slot: number) => void): void {
    if (this.stale) this.rebuild(store);
    eachLeastUnder(this.leastBins, units, visit);
  }

  sorted(store: LineStore): BucketView {
    if (this.stale) this.rebuild(store);
    else if (this.boundsStale) this.view = { ...this.view, restMax: restMaxOf(this.view.slots, store) };
    this.boundsStale = false;
    return this.view;
  }

  private membersChanged(): void {
    this.stale = true;
    this.membersStale = true;
  }

  private rebuild(store: LineStore): void {
    const t = store.table;
    // Order among equal rates only affects how soon the walk stops, never what it finds.
    const slots = Int32Array.from(this.members).sort((a, b) => (t.rate[a] ?? 0) - (t.rate[b] ?? 0) || a - b);
    const restMax = restMaxOf(slots, store);
    const rates = Float64Array.from(slots, (s) => t.rate[s] ?? 0);
    const peaks = Float64Array.from(slots, (s) => store.peakFree[s] ?? 0);
    const restPeak = new Float64Array(slots.length);
    for (let i = slots.length - 1, peak = 0; i >= 0; i--) restPeak[i] = peak = Math.max(peak, peaks[i] ?? 0);
    const peakOf = store.peakFree;
    const byPeak = Int32Array.from(slots).sort((a, b) => (peakOf[b] ?? 0) - (peakOf[a] ?? 0) || a - b);
    const peakDesc = Float64Array.from(byPeak, (s) => peakOf[s] ?? 0);
    // A line's width, usability and certifications change only through a new membership, which rebuilds this.
    const peakWidth = Float64Array.from(byPeak, (s) => store.maxWidth[s] ?? 0);
    const peakUsable = Uint8Array.from(byPeak, (s) => store.usable[s] ?? 0);
    const peakCert = Int32Array.from(byPeak, (s) => store.certMask[s] ?? 0);
    this.view = {
      slots, rates, restMax, peaks, restPeak, bySlot: Int32Array.from(slots).sort(), byPeak, peakDesc, peakWidth, peakUsable, peakCert,
    };
    this.stale = false;
    if (!this.membersStale) return;
    this.counted = censusOf(this.members, store);
    this.leastBins = leastBinsOf(this.members, store);
    this.membersStale = false;
  }
}

/** Per position, the best record and load parts of any line from there on. */
function restMaxOf(slots: Int32Array, store: LineStore): Float64Array {
  const t = store.table;
  const restMax = new Float64Array(slots.length);
  let max = -Infinity;
  for (let i = slots.length - 1; i >= 0; i--) {
    const s = slots[i] ?? 0;
    const record = Math.min(1, Math.max(0, t.record[s] ?? 0));
    const spread = Math.min(1, Math.max(0, 1 - (t.load[s] ?? 0)));
    max = Math.max(max, SCORE_WEIGHTS.record * record + SCORE_WEIGHTS.loadSpread * spread);
    restMax[i] = max;
  }
  return restMax;
}
