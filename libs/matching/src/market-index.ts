import { planBatch } from './batch';
import type { BatchMarket, LineFacts } from './batch-journal';
import type { ChainRequest, ChainResult, StagePlanner } from './chain';
import { planChainBatch } from './chain-batch';
import { lineMinimum } from './capacity';
import { lineMismatch, orderWidthCm } from './capability';
import { CapabilityBucket } from './capability-bucket';
import { lineKeys, orderKeys } from './capability-keys';
import { indexSource, type WorkMeter } from './index-source';
import { LineStore } from './line-store';
import { planFrom } from './plan-core';
import type { CandidateLine, DayReservation, LineSpec, ProductSpec, PlanRequest, PlanResult } from './types';

export interface MarketIndexOptions {
  /** Days of capacity kept per line (day 0 = horizon start). */
  readonly horizon: number;
  /** Slots to allocate up front; the index grows past it on demand. */
  readonly initialLines?: number;
}

/**
 * The market held in memory by a long-lived worker: lines filed by capability, free capacity
 * as per-line prefix sums. `plan(request)` returns exactly what `planOrder(request, lines())`
 * would, without materializing a single candidate.
 */
export class MarketIndex {
  private readonly store: LineStore;
  private readonly buckets = new Map<string, CapabilityBucket>();
  private readonly counts = { weaving: 0, sewing: 0, finishing: 0, byCategory: new Map<string, number>() };
  private readonly meter: WorkMeter = { lines: 0 };

  constructor(options: MarketIndexOptions) {
    this.store = new LineStore(options.horizon, options.initialLines);
  }

  get horizon(): number {
    return this.store.horizon;
  }

  get size(): number {
    return this.store.size;
  }

  /** Lines visited by every plan so far: a deterministic measure of planning work. */
  get work(): number {
    return this.meter.lines;
  }

  upsertLine(line: CandidateLine): void {
    const { slot, previous } = this.store.put(line);
    if (previous !== undefined) this.unfile(previous, slot);
    this.file(line.spec, slot);
  }

  removeLine(lineId: string): boolean {
    const removed = this.store.delete(lineId);
    if (removed === undefined) return false;
    this.unfile(removed.spec, removed.slot);
    return true;
  }

  has(lineId: string): boolean {
    return this.store.slotOf(lineId) !== undefined;
  }

  freeOn(lineId: string, day: number): number {
    const slot = this.store.slotOf(lineId);
    return slot === undefined ? 0 : this.store.freeOn(slot, day);
  }

  /** Sets a day's free units, e.g. after an availability override or a ledger refresh. */
  setFree(lineId: string, day: number, units: number): void {
    const slot = this.slotOrThrow(lineId);
    this.dayOrThrow(day);
    const next = units > 0 ? Math.floor(units) : 0;
    const least = this.store.leastFree[slot] ?? 0;
    if (this.store.addFree(slot, day, next - this.store.freeOn(slot, day))) this.invalidate(slot);
    this.noteLeast(slot, least);
  }

  /** Takes units off the line's free days; all or nothing, refusing any day it would overdraw. */
  reserve(lineId: string, days: readonly DayReservation[]): void {
    const slot = this.slotOrThrow(lineId);
    const wanted = new Map<number, number>();
    for (const { day, units } of days) {
      this.dayOrThrow(day);
      wanted.set(day, (wanted.get(day) ?? 0) + units);
    }
    for (const [day, units] of wanted) {
      if (units > this.store.freeOn(slot, day)) throw new RangeError(`line ${lineId} has ${this.store.freeOn(slot, day)} free on day ${day}, asked ${units}`);
    }
    this.apply(slot, days, -1);
  }

  /** Gives reserved units back, e.g. when an offer is rejected or expires. */
  release(lineId: string, days: readonly DayReservation[]): void {
    const slot = this.slotOrThrow(lineId);
    for (const { day } of days) this.dayOrThrow(day);
    this.apply(slot, days, 1);
  }

  /** Reserves every allocation of a plan; nothing is reserved if any allocation does not fit. */
  reservePlan(result: PlanResult): void {
    if (!result.ok) return;
    const done: { lineId: string; days: readonly DayReservation[] }[] = [];
    try {
      for (const a of result.allocations) {
        this.reserve(a.lineId, a.days);
        done.push(a);
      }
    } catch (err) {
      for (const a of done) this.release(a.lineId, a.days);
      throw err;
    }
  }

  /** Gives back every allocation of a plan (nothing for an unmatched one). */
  releasePlan(result: PlanResult): void {
    if (!result.ok) return;
    for (const a of result.allocations) this.release(a.lineId, a.days);
  }

  /**
   * Plans a batch of orders together and reserves every plan on the index, as `plan` then
   * `reservePlan` per order would, but matching at least as much and often more when capacity
   * is scarce (see `planBatch` in batch.ts). Results come in input order.
   */
  planBatch(requests: readonly PlanRequest[]): PlanResult[] {
    return planBatch(this.batchMarket(), requests);
  }

  /** The index as batch planning sees it (batch.ts): plan, reserve, release and what a line holds. */
  batchMarket(): BatchMarket {
    return {
      plan: (request) => this.plan(request),
      reservePlan: (result) => this.reservePlan(result),
      releasePlan: (result) => this.releasePlan(result),
      canServe: (lineId, request) => this.canServe(lineId, request),
      fits: (request) => this.fits(request),
      work: () => this.meter.lines,
      freeOn: (lineId, day) => (day >= 0 && day < this.horizon ? this.freeOn(lineId, day) : 0),
      horizon: this.horizon,
      cheapestRate: (request) => this.cheapestRate(request),
      lineFacts: (lineId) => this.lineFacts(lineId),
      linesFor: (request) => this.linesFor(request),
    };
  }

  /**
   * Builds now what the first plans after a load would build on their way: every capability
   * bucket's view sorted by rate and peak, its census, and the day-major copy of the free days
   * the split scan reads. Each costs milliseconds on a full market, and the order that happened
   * to meet it first paid them; a caller that has just loaded the market calls this instead.
   */
  prepare(): void {
    for (const bucket of this.buckets.values()) bucket.sorted(this.store);
    this.store.placeByPeak();
  }

  /**
   * Plans a batch of style chains together and holds every stage's plan on the index, as
   * `planChain` then a reservation per chain would, but serving more pieces when a chain planned
   * early holds the lines a larger one needs (see `planChainBatch`). Results come in input order.
   * `stages` plans each stage (default: the index itself); it must plan on this index's lines, as
   * `calibratedSewing` over it does, since the plans are held and given back here.
   */
  planChainBatch(requests: readonly ChainRequest[], stages: StagePlanner = this): ChainResult[] {
    return planChainBatch({
      plan: (request) => stages.plan(request),
      fits: (request) => stages.fits(request),
      reserve: (lineId, days) => this.reserve(lineId, days),
      release: (lineId, days) => this.release(lineId, days),
      canServe: (lineId, request) => this.canServe(lineId, request),
    }, requests);
  }

  /** Moves the horizon forward: day `days` becomes day 0; the new last days have no capacity yet. */
  advance(days: number): void {
    if (!Number.isInteger(days) || days < 0) throw new RangeError(`advance by a whole number of days, got ${days}`);
    if (days > 0) this.store.shift(days);
  }

  /** Lines that can make the product (kind, fibre, weave, width; category, fabric type). */
  candidatesFor(order: ProductSpec): CandidateLine[] {
    const out: CandidateLine[] = [];
    this.forEachCapable(order, (slot) => {
      const line = this.store.snapshot(slot);
      if (line !== undefined) out.push(line);
    });
    return out.sort((a, b) => (a.lineId < b.lineId ? -1 : a.lineId > b.lineId ? 1 : 0));
  }

  /** Every line as a planner candidate, in lineId order. */
  lines(): CandidateLine[] {
    const out: CandidateLine[] = [];
    for (const slot of this.store.liveSlots()) {
      const line = this.store.snapshot(slot);
      if (line !== undefined) out.push(line);
    }
    return out.sort((a, b) => (a.lineId < b.lineId ? -1 : a.lineId > b.lineId ? 1 : 0));
  }

  plan(request: PlanRequest): PlanResult {
    return planFrom(indexSource(this.store, this.buckets, this.counts, request, this.meter), request);
  }

  /** Whether `plan` would match the order; a miss is not explained, which is most of its cost. */
  fits(request: PlanRequest): boolean {
    return planFrom(indexSource(this.store, this.buckets, this.counts, request, this.meter), request, false).ok;
  }

  /** The lowest positive rate among the lines that may serve the order, as its plan measures its price part. */
  private cheapestRate(request: PlanRequest): number {
    return indexSource(this.store, this.buckets, this.counts, request, this.meter).cheapest().minRate;
  }

  private lineFacts(lineId: string): LineFacts | undefined {
    const slot = this.store.slotOf(lineId);
    const spec = slot === undefined ? undefined : this.store.specOf(slot);
    if (slot === undefined || spec === undefined) return undefined;
    const t = this.store.table;
    return { factoryId: t.factoryId[slot] ?? '', rate: t.rate[slot] ?? 0, record: t.record[slot] ?? 0, load: t.load[slot] ?? 0, minimum: lineMinimum(spec) };
  }

  private linesFor(request: PlanRequest): string[] {
    const out: string[] = [];
    this.forEachCapable(request.order, (slot) => {
      const lineId = this.store.table.lineId[slot];
      if (lineId !== undefined && this.canServe(lineId, request)) out.push(lineId);
    });
    return out.sort();
  }

  private canServe(lineId: string, request: PlanRequest): boolean {
    const slot = this.store.slotOf(lineId);
    const line = slot === undefined ? undefined : this.store.lineAt(slot);
    if (line === undefined || (request.excludedLineIds ?? []).includes(lineId)) return false;
    return lineMismatch(line, request.order, request.certifications) === null;
  }

  private forEachCapable(order: ProductSpec, visit: (slot: number) => void): void {
    const minWidth = orderWidthCm(order);
    const { maxWidth } = this.store;
    for (const key of orderKeys(order)) {
      const bucket = this.buckets.get(key);
      if (bucket === undefined) continue;
      for (const slot of bucket.sorted(this.store).slots) if ((maxWidth[slot] ?? 0) >= minWidth) visit(slot);
    }
  }

  private apply(slot: number, days: readonly DayReservation[], sign: 1 | -1): void {
    let total = 0;
    let peakRose = false;
    const least = this.store.leastFree[slot] ?? 0;
    for (const { day, units } of days) {
      if (this.store.addFree(slot, day, sign * units)) peakRose = true;
      total += units;
    }
    this.store.addLoad(slot, -sign * total);
    this.noteLeast(slot, least);
    if (peakRose) this.invalidate(slot);
    // A released line is less loaded than its buckets' bounds assume.
    else if (sign > 0) this.loosen(slot);
  }

  /** A sliver left on a day lowers the line's least free day, which its buckets' least orders must learn. */
  private noteLeast(slot: number, before: number): void {
    const least = this.store.leastFree[slot] ?? 0;
    if (least >= before) return;
    const spec = this.store.specOf(slot);
    if (spec !== undefined) for (const key of lineKeys(spec)) this.buckets.get(key)?.lowered(slot, least, this.store);
  }

  private loosen(slot: number): void {
    const spec = this.store.specOf(slot);
    if (spec !== undefined) for (const key of lineKeys(spec)) this.buckets.get(key)?.loosen();
  }

  private invalidate(slot: number): void {
    const spec = this.store.specOf(slot);
    if (spec !== undefined) for (const key of lineKeys(spec)) this.buckets.get(key)?.invalidate();
  }

  private file(spec: LineSpec, slot: number): void {
    for (const key of lineKeys(spec)) {
      const bucket = this.buckets.get(key) ?? new CapabilityBucket();
      bucket.add(slot);
      this.buckets.set(key, bucket);
    }
    this.count(spec, 1);
  }

  private unfile(spec: LineSpec, slot: number): void {
    for (const key of lineKeys(spec)) this.buckets.get(key)?.remove(slot);
    this.count(spec, -1);
  }

  private count(spec: LineSpec, delta: 1 | -1): void {
    if (spec.kind !== 'sewing') {
      this.counts[spec.kind] += delta;
      return;
    }
    this.counts.sewing += delta;
    for (const c of new Set(spec.categories)) this.counts.byCategory.set(c, (this.counts.byCategory.get(c) ?? 0) + delta);
  }

  private slotOrThrow(lineId: string): number {
    const slot = this.store.slotOf(lineId);
    if (slot === undefined) throw new RangeError(`unknown line ${lineId}`);
    return slot;
  }

  private dayOrThrow(day: number): void {
    if (!Number.isInteger(day) || day < 0 || day >= this.store.horizon) throw new RangeError(`day ${day} is outside the ${this.store.horizon}-day horizon`);
  }
}
