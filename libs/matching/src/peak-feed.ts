import type { LineFeed } from './cap-scan';
import type { BucketView } from './capability-bucket';
import type { PeakTable } from './peak-table';

/** Which lines of its buckets an order may use. */
export interface FeedFilter {
  readonly minWidth: number;
  /** Certification bits a line must hold all of; null when names must be compared (see `certified`). */
  readonly mask: number | null;
  readonly certified: (slot: number) => boolean;
  readonly excluded: ReadonlySet<number>;
  /** Lines measured so far, for the work meter. */
  readonly meter: { lines: number };
}

/**
 * The order's eligible lines merged across its buckets by peak free day, highest first: a
 * line's peak times the window's length bounds what it holds in the window. A large split
 * draws thousands of lines from here, so the filter reads each bucket's copies in peak order
 * (memory in sequence), the heap keeps each bucket's head peak beside it, and a line's window
 * is read from the prefix sums laid out in the same order (`PeakTable`).
 */
export class PeakFeed implements LineFeed {
  private readonly heads: Int32Array;
  /** A max-heap of buckets by the peak at their head, past lines that are not eligible. */
  private readonly heap: Int32Array;
  private readonly keys: Float64Array;
  private size = 0;

  private readonly windowDays: number;

  constructor(
    private readonly views: readonly BucketView[], private readonly filter: FeedFilter, private readonly table: PeakTable,
    private readonly from: number, private readonly to: number,
  ) {
    this.windowDays = to - from + 1;
    this.heads = new Int32Array(views.length);
    this.heap = new Int32Array(views.length);
    this.keys = new Float64Array(views.length);
    for (let b = 0; b < views.length; b++) {
      const peak = this.advance(b);
      if (peak < 0) continue;
      this.heap[this.size] = b;
      this.keys[this.size] = peak;
      this.up(this.size++);
    }
  }

  peek(): number {
    return this.size === 0 ? -1 : (this.keys[0] ?? 0) * this.windowDays;
  }

  next(): number {
    this.filter.meter.lines++;
    const b = this.heap[0] ?? 0;
    const h = this.heads[b] ?? 0;
    const slot = this.views[b]?.byPeak[h] ?? 0;
    this.heads[b] = h + 1;
    const peak = this.advance(b);
    if (peak >= 0) this.keys[0] = peak;
    else if (--this.size > 0) {
      this.heap[0] = this.heap[this.size] ?? 0;
      this.keys[0] = this.keys[this.size] ?? 0;
    }
    this.down();
    return slot;
  }

  units(slot: number): number {
    return this.table.units(slot, this.from, this.to);
  }

  /** Moves the bucket's head to its next eligible line; returns that line's peak, -1 past the end. */
  private advance(b: number): number {
    const view = this.views[b] as BucketView;
    const { byPeak, peakDesc, peakWidth, peakUsable, peakCert } = view;
    const { minWidth, mask, certified, excluded } = this.filter;
    let h = this.heads[b] ?? 0;
    for (; h < byPeak.length; h++) {
      if ((peakWidth[h] ?? 0) < minWidth || peakUsable[h] !== 1) continue;
      const slot = byPeak[h] ?? 0;
      if (mask === null ? !certified(slot) : ((peakCert[h] ?? 0) & mask) !== mask) continue;
      if (excluded.size === 0 || !excluded.has(slot)) break;
    }
    this.heads[b] = h;
    return h < byPeak.length ? (peakDesc[h] ?? 0) : -1;
  }

  // The sifts compare as the heap always has, so that lines of equal peak come in the same order.
  private up(at: number): void {
    const { keys } = this;
    for (let i = at; i > 0; ) {
      const parent = (i - 1) >> 1;
      if ((keys[parent] ?? 0) >= (keys[i] ?? 0)) return;
      this.swap(parent, i);
      i = parent;
    }
  }

  private down(): void {
    const { keys, size } = this;
    for (let i = 0; ; ) {
      let top = i;
      const left = 2 * i + 1;
      if (left < size && (keys[left] ?? 0) > (keys[top] ?? 0)) top = left;
      if (left + 1 < size && (keys[left + 1] ?? 0) > (keys[top] ?? 0)) top = left + 1;
      if (top === i) return;
      this.swap(top, i);
      i = top;
    }
  }

  private swap(i: number, j: number): void {
    const { heap, keys } = this;
    const b = heap[i] ?? 0;
    heap[i] = heap[j] ?? 0;
    heap[j] = b;
    const k = keys[i] ?? 0;
    keys[i] = keys[j] ?? 0;
    keys[j] = k;
  }
}
