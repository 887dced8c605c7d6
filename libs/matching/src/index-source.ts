import { tallyFitting, type MaskTest, type Tally } from './bucket-census';
import { holdsCertifications, orderWidthCm, productMismatch } from './capability';
import { demandFor } from './capacity';
import type { CapabilityBucket } from './capability-bucket';
import { finishingKeys, fiberKeys, orderKeys, sewingKey } from './capability-keys';
import type { RuledOut } from './explain';
import type { LineStore } from './line-store';
import { PeakFeed } from './peak-feed';
import { walkByRate } from './rate-walk';
import type { CandidateSource } from './plan-core';
import { SCORE_WEIGHTS } from './scoring';
import { entersRanked, insertRanked } from './split-search';
import { MACHINE_TYPES, type PlanRequest, type ReasonCode } from './types';

/** How many lines of each kind and garment category the index holds, to explain misses by counting. */
export interface MarketCounts {
  readonly weaving: number;
  readonly sewing: number;
  readonly finishing: number;
  readonly byCategory: ReadonlyMap<string, number>;
}

/**
 * Planning work done so far, in lines visited: deterministic, unlike time, so a caller may
 * budget by it (see `planBatch`) and still get the same results for the same input.
 */
export interface WorkMeter {
  lines: number;
}

/** What a plan costs before it looks at a single line, in lines visited. */
const PLAN_OVERHEAD = 8;

/**
 * The index's side of planning: lines come from the order's capability buckets, cheapest
 * first, and the whole-order search stops as soon as no line left could beat the best found.
 */
export function indexSource(
  store: LineStore, buckets: ReadonlyMap<string, CapabilityBucket>, counts: MarketCounts, req: PlanRequest, meter: WorkMeter,
): CandidateSource {
  meter.lines += PLAN_OVERHEAD;
  const table = store.table;
  const { usable, maxWidth } = store;
  const minWidth = orderWidthCm(req.order);
  const required = req.certifications ?? [];
  const excluded = new Set<number>();
  for (const id of req.excludedLineIds ?? []) {
    const slot = store.slotOf(id);
    if (slot !== undefined) excluded.add(slot);
  }
  const fits = (slot: number): boolean => (maxWidth[slot] ?? 0) >= minWidth;
  const test = maskTest(store, required);
  const certified = certifiedTest(store, test, required);
  const allowed = (slot: number): boolean =>
    usable[slot] === 1 && (excluded.size === 0 || !excluded.has(slot)) && certified(slot);
  const filed = orderKeys(req.order).flatMap((key) => {
    const bucket = buckets.get(key);
    return bucket === undefined || bucket.size === 0 ? [] : [bucket];
  });
  const mine = filed.map((bucket) => bucket.sorted(store));
  // The explanation is charged as the walk over every line it replaced, so that a budget in
  // lines visited (planBatch's) buys the same plans as before.
  const explained = mine.reduce((sum, m) => sum + m.slots.length, 0);
  let tally: Tally | undefined;
  const tallied = (): Tally => {
    tally ??= tallyOf(store, filed, req, minWidth, test, certified, excluded);
    return tally;
  };

  return {
    table,
    cheapest() {
      let any = false;
      let minRate = Infinity;
      for (const { slots } of mine) {
        for (const slot of slots) {
          if (!fits(slot) || !allowed(slot)) continue;
          any = true;
          const rate = table.rate[slot] ?? 0;
          if (rate <= 0) continue;
          if (rate < minRate) minRate = rate;
          break;
        }
      }
      return { any, minRate: Number.isFinite(minRate) ? minRate : 0 };
    },
    searchWhole(search) {
      const { minRate, demand, windowDays } = search;
      for (const { slots, rates, restMax, peaks, restPeak } of mine) {
        const stops = (i: number): boolean => {
          // No line from here on could make the order even at its peak every day of the window.
          if ((restPeak[i] ?? 0) * windowDays < demand) return true;
          const rate = rates[i] ?? 0;
          const price = rate > 0 ? Math.min(1, minRate / rate) : 1;
          const slack = search.slackBound(restPeak[i] ?? 0);
          return !search.canBeat(SCORE_WEIGHTS.slack * slack + SCORE_WEIGHTS.price * price + (restMax[i] ?? 0));
        };
        // A line whose best day every day of the window would not make the order is passed over.
        meter.lines += walkByRate(peaks, windowDays, demand, stops, (i) => {
          const slot = slots[i] ?? 0;
          if (fits(slot) && allowed(slot)) search.consider(slot);
        });
      }
    },
    ranked(ctx) {
      const windowDays = ctx.to - ctx.from + 1;
      return (n, floor, keep) => {
        const best: number[] = [];
        const rank: number[] = [];
        if (floor > ctx.req.quantity) return best;
        const least = demandFor(Math.max(0, floor), ctx.perItem);
        for (const { slots, rates, restMax, peaks } of mine) {
          // No line from here on ranks above the n-th found (the margin keeps ties, which lineId breaks).
          const stops = (i: number): boolean => {
            if (best.length < n) return false;
            const rate = rates[i] ?? 0;
            const price = rate > 0 ? Math.min(1, ctx.minRate / rate) : 1;
            return SCORE_WEIGHTS.price * price + (restMax[i] ?? 0) + 1e-9 < (rank[n - 1] ?? 0);
          };
          meter.lines += walkByRate(peaks, windowDays, least, stops, (i) => {
            const slot = slots[i] ?? 0;
            // A line that would not enter the best need not be measured for `keep`.
            if (fits(slot) && allowed(slot) && entersRanked(ctx, best, rank, n, slot) && keep(slot)) insertRanked(ctx, best, rank, n, slot);
          });
        }
        return best;
      };
    },
    feed(ctx) {
      const mask = required.length === 0 ? 0 : store.certificationMask(required);
      return new PeakFeed(mine, { minWidth, mask, certified, excluded, meter }, store.byPeak, ctx.from, ctx.to);
    },
    eachEligible(ctx, minSplit, visit) {
      meter.lines += explained;
      const { peakFree, leastFree } = store;
      const each = (slot: number): void => {
        if (fits(slot) && allowed(slot)) visit(slot, peakFree[slot] ?? 0, leastFree[slot] ?? 0);
      };
      filed.forEach((bucket, b) => {
        // Past the bucket's largest minimum, a line whose least day holds that minimum is decided.
        const lo = Math.max(minSplit, bucket.census(store).maxMoq);
        if (req.quantity < lo) for (const slot of mine[b]?.bySlot ?? []) each(slot);
        else bucket.eachLeastUnder(store, demandFor(lo, ctx.perItem), each);
      });
      return tallied().eligible;
    },
    ruledOut() {
      meter.lines += explained;
      return countRuledOut(store, buckets, counts, req, tallied(), excluded);
    },
  };
}

/** The certification rule on a line's bits; null when a required certification has no bit and names must be compared. */
function maskTest(store: LineStore, required: readonly string[]): MaskTest | null {
  if (required.length === 0) return () => true;
  const mask = store.certificationMask(required);
  // A certification without a bit that could have had one is held by no line.
  if (mask === null && store.certificationsAllMasked) return () => false;
  if (mask === null) return null;
  return (held) => (held & mask) === mask;
}

function certifiedTest(store: LineStore, test: MaskTest | null, required: readonly string[]): (slot: number) => boolean {
  if (test === null) return (slot) => holdsCertifications(store.lineAt(slot)?.certifications ?? [], required);
  if (required.length === 0) return () => true;
  const { certMask } = store;
  return (slot) => test(certMask[slot] ?? 0);
}

/** The order's lines at its width by the rule they fail first, from the buckets' census. */
function tallyOf(
  store: LineStore, filed: readonly CapabilityBucket[], req: PlanRequest, minWidth: number, test: MaskTest | null,
  certified: (slot: number) => boolean, excluded: ReadonlySet<number>,
): Tally {
  const into: Tally = { fitting: 0, uncertified: 0, unusable: 0, eligible: 0 };
  for (const bucket of filed) tallyFitting(bucket.census(store), bucket.slots, store, minWidth, test, certified, into);
  // An excluded line counts as one that fits, under no rule, and is not eligible.
  for (const slot of excluded) {
    const spec = store.specOf(slot);
    if (spec === undefined || productMismatch(spec, req.order) !== null) continue;
    if (!certified(slot)) into.uncertified--;
    else if (store.usable[slot] !== 1) into.unusable--;
    else into.eligible--;
  }
  return into;
}

/**
 * The same counts `planOrder` makes line by line (first failing rule per line), taken from
 * bucket sizes instead, so that explaining a miss does not walk the whole market.
 */
function countRuledOut(
  store: LineStore, buckets: ReadonlyMap<string, CapabilityBucket>, counts: MarketCounts, req: PlanRequest,
  tally: Tally, excluded: ReadonlySet<number>,
): RuledOut {
  const out = new Map<ReasonCode, number>();
  const add = (code: ReasonCode, n: number): void => {
    if (n !== 0) out.set(code, (out.get(code) ?? 0) + n);
  };
  const size = (keys: readonly string[]): number => keys.reduce((s, k) => s + (buckets.get(k)?.size ?? 0), 0);
  const order = req.order;
  const { fitting } = tally;
  add('CERTIFICATION_MISSING', tally.uncertified);
  add('FACTORY_NOT_VERIFIED', tally.unusable);
  switch (order.kind) {
    case 'fabric': {
      const { fiber, weave } = order.fabric;
      const withFiber = MACHINE_TYPES.map((m) => size(fiberKeys(m, fiber)));
      add('FIBER_NOT_SUPPORTED', counts.weaving - withFiber.reduce((s, n) => s + n, 0));
      const jacquardOnly = weave === 'jacquard';
      const weaveOk = MACHINE_TYPES.reduce((s, m, i) => s + (!jacquardOnly || m === 'jacquard' ? (withFiber[i] ?? 0) : 0), 0);
      add('WEAVE_NOT_SUPPORTED', withFiber.reduce((s, n) => s + n, 0) - weaveOk);
      add('WIDTH_EXCEEDS_MAX', weaveOk - fitting);
      break;
    }
    case 'garment': {
      const { category, fabricType } = order.garment;
      const withCategory = counts.byCategory.get(category) ?? 0;
      add('CATEGORY_NOT_SUPPORTED', counts.sewing - withCategory);
      add('FABRIC_TYPE_NOT_SUPPORTED', withCategory - size([sewingKey(category, fabricType)]));
      break;
    }
    case 'finishing': {
      const withProcess = size(finishingKeys(order.finishing.process));
      add('PROCESS_NOT_SUPPORTED', counts.finishing - withProcess);
      add('WIDTH_EXCEEDS_MAX', withProcess - fitting);
      break;
    }
  }
  // planOrder never looks at an excluded line: take back what the bucket sizes counted for it.
  for (const slot of excluded) {
    const spec = store.specOf(slot);
    const miss = spec === undefined ? null : productMismatch(spec, order);
    if (miss !== null && miss !== 'NO_CAPABLE_LINE') add(miss, -1);
  }
  return out;
}
