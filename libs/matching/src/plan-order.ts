import { lineMismatch } from './capability';
import { lineMinimum } from './capacity';
import type { RuledOut } from './explain';
import { windowUnits, writePrefix, type LineTable } from './line-table';
import { planFrom, type CandidateSource } from './plan-core';
import { insertRanked } from './split-search';
import { recordOf } from './scoring';
import type { CandidateLine, PlanRequest, PlanResult, ReasonCode } from './types';

/**
 * Plans one order over an explicit list of candidate lines (the whole market or any part of
 * it). Candidate order does not matter: every tie is broken by lineId.
 */
export function planOrder(request: PlanRequest, candidates: readonly CandidateLine[]): PlanResult {
  const excluded = new Set(request.excludedLineIds ?? []);
  const ruledOut = new Map<ReasonCode, number>();
  const capable: CandidateLine[] = [];
  const seen = new Set<string>();
  for (const line of candidates) {
    if (excluded.has(line.lineId) || seen.has(line.lineId)) continue;
    seen.add(line.lineId);
    const miss = lineMismatch(line, request.order, request.certifications);
    if (miss === null) capable.push(line);
    else ruledOut.set(miss, (ruledOut.get(miss) ?? 0) + 1);
  }
  const table = tableOf(capable);
  const eligible = Int32Array.from(capable.keys());
  return planFrom(listSource(table, eligible, ruledOut), request);
}

function listSource(table: LineTable, eligible: Int32Array, ruledOut: RuledOut): CandidateSource {
  return {
    table,
    cheapest: () => {
      let minRate = Infinity;
      for (const slot of eligible) {
        const r = table.rate[slot] ?? 0;
        if (r > 0 && r < minRate) minRate = r;
      }
      return { any: eligible.length > 0, minRate: Number.isFinite(minRate) ? minRate : 0 };
    },
    searchWhole: (search) => {
      for (const slot of eligible) search.consider(slot);
    },
    ranked: (ctx) => (n, _floor, keep) => {
      const best: number[] = [];
      const rank: number[] = [];
      for (const slot of eligible) if (keep(slot)) insertRanked(ctx, best, rank, n, slot);
      return best;
    },
    feed: (ctx) => {
      // Exact bounds: a list is small, and this keeps the list the reference the index is checked against.
      const units = (slot: number) => windowUnits(table, slot, ctx.from, ctx.to);
      const order = Array.from(eligible).sort((a, b) => units(b) - units(a));
      let at = 0;
      return { peek: () => (at < order.length ? units(order[at] ?? 0) : -1), next: () => order[at++] ?? 0, units };
    },
    eachEligible: (_ctx, _minSplit, visit) => {
      for (const slot of eligible) visit(slot, Infinity, 0);
      return eligible.length;
    },
    ruledOut: () => ruledOut,
  };
}

function tableOf(lines: readonly CandidateLine[]): LineTable {
  const horizon = lines.reduce((h, l) => Math.max(h, l.free.length), 0);
  const stride = horizon + 1;
  const prefix = new Float64Array(lines.length * stride);
  lines.forEach((l, slot) => writePrefix(prefix, stride, slot, l.free));
  return {
    horizon, stride, prefix,
    rate: Float64Array.from(lines, (l) => l.ratePerUnit),
    record: Float64Array.from(lines, (l) => recordOf(l.record)),
    load: Float64Array.from(lines, (l) => l.load),
    moq: Float64Array.from(lines, (l) => lineMinimum(l.spec)),
    lineId: lines.map((l) => l.lineId),
    factoryId: lines.map((l) => l.factoryId),
  };
}
