import { MarketIndex } from '../market-index';
import type { CandidateLine, PlanRequest, PlanResult } from '../types';

/** The horizon the batch specs plan on: a fortnight and two days. */
export const BATCH_HORIZON = 16;

/** A market of these lines, as the batch specs plan on it. */
export function indexOf(lines: readonly CandidateLine[], horizon = BATCH_HORIZON): MarketIndex {
  const index = new MarketIndex({ horizon, initialLines: 2 });
  for (const l of lines) index.upsertLine(l);
  return index;
}

/** What a batch's results match, in its orders' units. */
export const matchedQuantity = (requests: readonly PlanRequest[], results: readonly PlanResult[]): number =>
  results.reduce((s, r, i) => s + (r.ok ? (requests[i]?.quantity ?? 0) : 0), 0);

/** The orders planned one at a time, each plan held before the next: what a batch must never match less than. */
export function oneAtATime(lines: readonly CandidateLine[], requests: readonly PlanRequest[]): PlanResult[] {
  const index = indexOf(lines);
  return requests.map((r) => {
    const result = index.plan(r);
    index.reservePlan(result);
    return result;
  });
}
