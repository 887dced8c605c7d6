import { dailyCapacity, lineMinimum } from './capacity';
import { writePrefix, type LineTable } from './line-table';
import { PeakTable } from './peak-table';
import { recordOf } from './scoring';
import type { CandidateLine, LineSpec } from './types';

export type StoredLine = Omit<CandidateLine, 'free'>;

/**
 * Columnar storage of a market's lines: typed arrays indexed by slot, one prefix-sum row of
 * free capacity per line. Removed slots are reused, so a long-lived index does not grow with
 * churn.
 */
export class LineStore {
  readonly horizon: number;
  readonly stride: number;
  private capacity = 0;
  private view!: LineTable;
  private prefix = new Float64Array(0);
  private rate = new Float64Array(0);
  private record = new Float64Array(0);
  private load = new Float64Array(0);
  private moq = new Float64Array(0);
  /** Public for the hot loop of the index: width and "verified and active" per slot. */
  maxWidth = new Float64Array(0);
  usable = new Uint8Array(0);
  /** Certifications as bits, so the hot loop never compares strings (see `certificationMask`). */
  certMask = new Int32Array(0);
  private readonly certBits = new Map<string, number>();
  /** The most a line has ever had free on one day: with a window's length it bounds the window. */
  peakFree = new Float64Array(0);
  /** At most the line's smallest non-zero free day: a window holds nothing or at least this. */
  leastFree = new Float64Array(0);
  private dailyCap = new Float64Array(0);
  private readonly lineIds: string[] = [];
  private readonly factoryIds: string[] = [];
  /** What the store keeps of a line besides its columns; free capacity lives only in the prefix sums. */
  private readonly lines: (StoredLine | undefined)[] = [];
  private readonly slots = new Map<string, number>();
  private readonly vacant: number[] = [];
  private readonly peakTable: PeakTable;

  constructor(horizon: number, initialCapacity = 1024) {
    if (!Number.isInteger(horizon) || horizon < 1) throw new RangeError(`horizon must be a positive integer, got ${horizon}`);
    this.horizon = horizon;
    this.stride = horizon + 1;
    this.peakTable = new PeakTable(this.stride);
    this.grow(Math.max(1, initialCapacity));
  }

  get size(): number {
    return this.slots.size;
  }

  get table(): LineTable {
    return this.view;
  }

  /** The prefix sums again, day-major and by peak free day, for reads in the order of a `PeakFeed`. */
  get byPeak(): PeakTable {
    return this.peakTable.refresh(this.slots.values(), this.prefix, this.peakFree);
  }

  /** Redoes the placement of `byPeak` now if it is due, rather than in the next split scan. */
  placeByPeak(): void {
    this.peakTable.refresh(this.slots.values(), this.prefix, this.peakFree);
  }

  slotOf(lineId: string): number | undefined {
    return this.slots.get(lineId);
  }

  specOf(slot: number): LineSpec | undefined {
    return this.lines[slot]?.spec;
  }

  lineAt(slot: number): StoredLine | undefined {
    return this.lines[slot];
  }

  liveSlots(): IterableIterator<number> {
    return this.slots.values();
  }

  /** Inserts or replaces a line; returns its slot and, on replace, the spec it had. */
  put(line: CandidateLine): { slot: number; previous: LineSpec | undefined } {
    const existing = this.slots.get(line.lineId);
    const slot = existing ?? this.vacant.pop() ?? this.nextSlot();
    const previous = existing === undefined ? undefined : this.lines[slot]?.spec;
    this.slots.set(line.lineId, slot);
    this.lineIds[slot] = line.lineId;
    this.factoryIds[slot] = line.factoryId;
    this.lines[slot] = {
      lineId: line.lineId, factoryId: line.factoryId, spec: line.spec, ratePerUnit: line.ratePerUnit,
      certifications: line.certifications, factoryVerified: line.factoryVerified, factoryActive: line.factoryActive,
      record: line.record, load: line.load,
    };
    this.rate[slot] = line.ratePerUnit;
    this.record[slot] = recordOf(line.record);
    this.load[slot] = line.load;
    this.moq[slot] = lineMinimum(line.spec);
    this.maxWidth[slot] = line.spec.kind === 'sewing' ? 0 : line.spec.maxWidthCm;
    this.usable[slot] = line.factoryVerified && line.factoryActive ? 1 : 0;
    this.certMask[slot] = this.maskOf(line.certifications, true);
    this.dailyCap[slot] = dailyCapacity(line.spec);
    writePrefix(this.prefix, this.stride, slot, line.free);
    this.measureDays(slot);
    this.peakTable.wrote(slot, this.prefix);
    return { slot, previous };
  }

  delete(lineId: string): { slot: number; spec: LineSpec } | undefined {
    const slot = this.slots.get(lineId);
    const line = slot === undefined ? undefined : this.lines[slot];
    if (slot === undefined || line === undefined) return undefined;
    this.slots.delete(lineId);
    this.lines[slot] = undefined;
    this.usable[slot] = 0;
    this.vacant.push(slot);
    return { slot, spec: line.spec };
  }

  freeOn(slot: number, day: number): number {
    if (day < 0 || day >= this.horizon) return 0;
    const base = slot * this.stride;
    return (this.prefix[base + day + 1] ?? 0) - (this.prefix[base + day] ?? 0);
  }

  /** Adds `delta` free units on one day; returns true if that day now beats the line's peak. */
  addFree(slot: number, day: number, delta: number): boolean {
    const base = slot * this.stride;
    for (let d = day + 1; d <= this.horizon; d++) this.prefix[base + d] = (this.prefix[base + d] ?? 0) + delta;
    this.peakTable.add(slot, day + 1, delta);
    const free = this.freeOn(slot, day);
    if (free > 0 && free < (this.leastFree[slot] ?? 0)) this.leastFree[slot] = free;
    if (free <= (this.peakFree[slot] ?? 0)) return false;
    this.peakFree[slot] = free;
    this.peakTable.movedOne();
    return true;
  }

  /** Load follows reservations: units over the line's capacity across the horizon. */
  addLoad(slot: number, units: number): void {
    const cap = (this.dailyCap[slot] ?? 0) * this.horizon;
    if (cap <= 0) return;
    const load = (this.load[slot] ?? 0) + units / cap;
    this.load[slot] = load < 0 ? 0 : load > 1 ? 1 : load;
  }

  /** Drops the first `days` of every line's horizon; the new last days start with no capacity. */
  shift(days: number): void {
    const free = new Float64Array(this.horizon);
    for (const slot of this.slots.values()) {
      for (let d = 0; d < this.horizon; d++) free[d] = d + days < this.horizon ? this.freeOn(slot, d + days) : 0;
      writePrefix(this.prefix, this.stride, slot, free);
      this.measureDays(slot);
    }
    this.peakTable.invalidate();
  }

  /**
   * Bounds on one day's free units, from the line's current days. A shift can lower the peak;
   * buckets keep the higher one they were built with, which still bounds it.
   */
  private measureDays(slot: number): void {
    let peak = 0;
    let least = Infinity;
    for (let d = 0; d < this.horizon; d++) {
      const free = this.freeOn(slot, d);
      if (free > peak) peak = free;
      if (free > 0 && free < least) least = free;
    }
    this.peakFree[slot] = peak;
    this.leastFree[slot] = least;
  }

  /** The line as a planner candidate, with its current free capacity and load. */
  snapshot(slot: number): CandidateLine | undefined {
    const line = this.lines[slot];
    if (line === undefined) return undefined;
    const free = Array.from({ length: this.horizon }, (_, d) => this.freeOn(slot, d));
    return { ...line, load: this.load[slot] ?? 0, free };
  }

  /**
   * The bits of these certifications, or null when one has no bit (never seen, or past the 31
   * the mask holds): the caller then compares names, which is always right, only slower.
   */
  certificationMask(names: readonly string[]): number | null {
    const mask = this.maskOf(names, false);
    return names.every((n) => this.certBits.has(n)) ? mask : null;
  }

  /** While bits are left, every certification any line ever held has one. */
  get certificationsAllMasked(): boolean {
    return this.certBits.size < 31;
  }

  private maskOf(names: readonly string[], intern: boolean): number {
    let mask = 0;
    for (const name of names) {
      let bit = this.certBits.get(name);
      if (bit === undefined && intern && this.certBits.size < 31) {
        bit = this.certBits.size;
        this.certBits.set(name, bit);
      }
      if (bit !== undefined) mask |= 1 << bit;
    }
    return mask;
  }

  private nextSlot(): number {
    const slot = this.lineIds.length;
    if (slot >= this.capacity) this.grow(this.capacity * 2);
    this.lineIds.push('');
    this.factoryIds.push('');
    this.lines.push(undefined);
    return slot;
  }

  private grow(capacity: number): void {
    const widen = <T extends Float64Array | Uint8Array | Int32Array>(old: T, make: (n: number) => T, per = 1): T => {
      const next = make(capacity * per);
      next.set(old);
      return next;
    };
    const f64 = (n: number) => new Float64Array(n);
    this.prefix = widen(this.prefix, f64, this.stride);
    this.rate = widen(this.rate, f64);
    this.record = widen(this.record, f64);
    this.load = widen(this.load, f64);
    this.moq = widen(this.moq, f64);
    this.maxWidth = widen(this.maxWidth, f64);
    this.dailyCap = widen(this.dailyCap, f64);
    this.peakFree = widen(this.peakFree, f64);
    this.leastFree = widen(this.leastFree, f64);
    this.usable = widen(this.usable, (n) => new Uint8Array(n));
    this.certMask = widen(this.certMask, (n) => new Int32Array(n));
    this.capacity = capacity;
    this.view = {
      horizon: this.horizon, stride: this.stride, prefix: this.prefix, rate: this.rate, record: this.record,
      load: this.load, moq: this.moq, lineId: this.lineIds, factoryId: this.factoryIds,
    };
  }
}
