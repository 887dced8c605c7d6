/**
 * A second copy of the lines' prefix sums of free capacity, day-major, with lines placed by
 * peak free day, highest first. The split scan draws lines in that order (see `PeakFeed`), so
 * its reads of a window go forward through two rows instead of jumping around a 10 MB table.
 *
 * Only the placement is a heuristic: the copy always holds exactly the numbers of the row per
 * line (written and updated with the same additions), so a line whose peak rose since it was
 * placed reads right, just out of sequence. Placements are redone once such lines, or lines
 * added since, are an eighth of the table, and after anything rewrites every row.
 */
export class PeakTable {
  /** Position of each slot's line, -1 for none. */
  private pos = new Int32Array(0);
  /** days[d * width + p]: free units of the line at position p on days [0, d). */
  private days = new Float64Array(0);
  private width = 0;
  private used = 0;
  private outOfPlace = 0;
  private stale = true;

  constructor(private readonly stride: number) {}

  /** Free units of a line over the inclusive day window [from, to]. */
  units(slot: number, from: number, to: number): number {
    const p = this.pos[slot] ?? 0;
    const { days, width } = this;
    return (days[(to + 1) * width + p] ?? 0) - (days[from * width + p] ?? 0);
  }

  /** The line's row was written afresh. */
  wrote(slot: number, prefix: Float64Array): void {
    if (this.stale) return;
    let p = slot < this.pos.length ? (this.pos[slot] ?? -1) : -1;
    if (p < 0) {
      if (this.used === this.width) {
        this.stale = true;
        return;
      }
      p = this.used++;
      this.placeAt(slot, p);
    }
    this.movedOne();
    if (this.stale) return;
    const base = slot * this.stride;
    for (let d = 0; d < this.stride; d++) this.days[d * this.width + p] = prefix[base + d] ?? 0;
  }

  /** Mirrors `prefix[slot][d] += delta` for d in [from, stride). */
  add(slot: number, from: number, delta: number): void {
    if (this.stale) return;
    const p = this.pos[slot] ?? 0;
    for (let d = from; d < this.stride; d++) this.days[d * this.width + p] = (this.days[d * this.width + p] ?? 0) + delta;
  }

  /** A line's peak rose: it now reads out of sequence. */
  movedOne(): void {
    if (++this.outOfPlace > this.used >> 3) this.stale = true;
  }

  /** Every row was rewritten. */
  invalidate(): void {
    this.stale = true;
  }

  /** Places the live lines afresh if needed, by peak free day (then slot), and copies their rows. */
  refresh(slots: Iterable<number>, prefix: Float64Array, peakFree: Float64Array): this {
    if (!this.stale) return this;
    const order = Int32Array.from(slots).sort((a, b) => (peakFree[b] ?? 0) - (peakFree[a] ?? 0) || a - b);
    this.used = order.length;
    // Room for lines added later, so that a new line seldom costs a placement of all of them.
    this.width = order.length + (order.length >> 3) + 64;
    this.days = new Float64Array(this.stride * this.width);
    this.pos = new Int32Array(prefix.length / this.stride).fill(-1);
    this.stale = false;
    this.outOfPlace = 0;
    order.forEach((slot, p) => {
      this.pos[slot] = p;
      const base = slot * this.stride;
      for (let d = 0; d < this.stride; d++) this.days[d * this.width + p] = prefix[base + d] ?? 0;
    });
    return this;
  }

  private placeAt(slot: number, p: number): void {
    if (slot >= this.pos.length) {
      const pos = new Int32Array(Math.max(slot + 1, 2 * this.pos.length)).fill(-1);
      pos.set(this.pos);
      this.pos = pos;
    }
    this.pos[slot] = p;
  }
}
