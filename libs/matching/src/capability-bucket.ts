import type { LineTable } from './line-table';
import { SCORE_WEIGHTS } from './scoring';

/**
 * The lines filed under one capability key, kept sorted by rate so a search can walk them
 * cheapest first. `restMax[i]` bounds the record and load parts of every line from i on, which
 * with the rate of line i bounds any score still to come: the walk stops when that bound cannot
 * beat the best line found.
 */
export class CapabilityBucket {
  private members: number[] = [];
  private order = new Int32Array(0);
  private rest = new Float64Array(0);
  private stale = true;

  get size(): number {
    return this.members.length;
  }

  add(slot: number): void {
    this.members.push(slot);
    this.stale = true;
  }

  remove(slot: number): void {
    const at = this.members.indexOf(slot);
    if (at >= 0) this.members.splice(at, 1);
    this.stale = true;
  }

  /** A line's load fell (capacity released): its part may now exceed the stored bound. */
  invalidate(): void {
    this.stale = true;
  }

  /** Slots cheapest first and the bound on the record and load parts from each position on. */
  sorted(t: LineTable): { readonly slots: Int32Array; readonly restMax: Float64Array } {
    if (this.stale) this.rebuild(t);
    return { slots: this.order, restMax: this.rest };
  }

  private rebuild(t: LineTable): void {
    const id = (s: number) => t.lineId[s] ?? '';
    this.members.sort((a, b) => (t.rate[a] ?? 0) - (t.rate[b] ?? 0) || (id(a) < id(b) ? -1 : id(a) > id(b) ? 1 : 0));
    this.order = Int32Array.from(this.members);
    this.rest = new Float64Array(this.order.length);
    let max = -Infinity;
    for (let i = this.order.length - 1; i >= 0; i--) {
      const s = this.order[i] ?? 0;
      const record = Math.min(1, Math.max(0, t.record[s] ?? 0));
      const spread = Math.min(1, Math.max(0, 1 - (t.load[s] ?? 0)));
      max = Math.max(max, SCORE_WEIGHTS.record * record + SCORE_WEIGHTS.loadSpread * spread);
      this.rest[i] = max;
    }
    this.stale = false;
  }
}
