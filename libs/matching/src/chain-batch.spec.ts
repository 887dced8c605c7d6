import fc from 'fast-check';
import { planChain, planChainEarly, styleStages, type ChainRequest, type ChainResult, type StyleSpec } from './chain';
import { MarketIndex } from './market-index';
import { chainCase, HORIZON } from './testing/chain-arbitraries';
import { freeDays, line, sewingSpec, weavingSpec } from './testing/fixtures';
import type { CandidateLine } from './types';

const indexOf = (lines: readonly CandidateLine[], horizon: number): MarketIndex => {
  const index = new MarketIndex({ horizon });
  for (const l of lines) index.upsertLine(l);
  return index;
};

const piecesOf = (requests: readonly ChainRequest[], results: readonly ChainResult[]): number =>
  results.reduce((sum, r, i) => sum + (r.ok ? (requests[i]?.stages.at(-1)?.quantity ?? 0) : 0), 0);

/** Rules over the whole batch, checked against the lines themselves: each stage in the window and after the one before plus transit, no line-day over-reserved. */
function batchViolations(lines: readonly CandidateLine[], requests: readonly ChainRequest[], results: readonly ChainResult[]): string[] {
  const errors: string[] = [];
  const used = new Map<string, number>();
  results.forEach((result, i) => {
    const request = requests[i] as ChainRequest;
    if (!result.ok) return;
    if (result.stages.length !== request.stages.length) errors.push(`chain ${i}: ${result.stages.length} stages of ${request.stages.length}`);
    let previousEnd: number | undefined;
    result.stages.forEach((stage, s) => {
      const planned = stage.allocations.reduce((sum, a) => sum + a.quantity, 0);
      if (planned !== request.stages[s]?.quantity) errors.push(`chain ${i} stage ${s}: ${planned} planned`);
      for (const a of stage.allocations) {
        if (previousEnd !== undefined && a.startDay < previousEnd + request.transitDays) errors.push(`chain ${i} stage ${s} starts before its input`);
        for (const d of a.days) {
          if (d.day < request.startDay || d.day > request.endDay) errors.push(`chain ${i} stage ${s} on day ${d.day}, outside its window`);
          used.set(`${a.lineId}@${d.day}`, (used.get(`${a.lineId}@${d.day}`) ?? 0) + d.units);
        }
      }
      previousEnd = stage.endDay;
    });
  });
  for (const [key, units] of used) {
    const [lineId, day] = key.split('@') as [string, string];
    const free = Math.floor(lines.find((l) => l.lineId === lineId)?.free[Number(day)] ?? 0);
    if (units > free) errors.push(`${lineId} over-reserved on day ${day}: ${units} of ${free}`);
  }
  return errors;
}

/** A few chains over one small random market (the lines of the first case; the others lend their requests). */
const batchCase = fc.tuple(chainCase(), fc.array(chainCase(), { minLength: 1, maxLength: 4 }))
  .map(([first, more]) => ({ lines: first.lines, requests: [first.request, ...more.map((c) => c.request)] }));

describe('planChainBatch', () => {
  it('keeps every rule across the batch and never serves fewer pieces than chain by chain', () => {
    fc.assert(fc.property(batchCase, ({ lines, requests }) => {
      const results = indexOf(lines, HORIZON).planChainBatch(requests);
      expect(batchViolations(lines, requests, results)).toEqual([]);
      const oneByOne = indexOf(lines, HORIZON);
      const inTurn = requests.map((request) => {
        const result = planChain(request, oneByOne);
        if (result.ok) for (const s of result.stages) for (const a of s.allocations) oneByOne.reserve(a.lineId, a.days);
        return result;
      });
      expect(piecesOf(requests, results)).toBeGreaterThanOrEqual(piecesOf(requests, inTurn));
    }), { numRuns: 300 });
  });

  it('leaves the index holding exactly the batch plans', () => {
    fc.assert(fc.property(batchCase, ({ lines, requests }) => {
      const index = indexOf(lines, HORIZON);
      const results = index.planChainBatch(requests);
      for (const r of results) if (r.ok) for (const s of r.stages) for (const a of s.allocations) index.release(a.lineId, a.days);
      for (const l of lines) for (let d = 0; d < HORIZON; d++) expect(index.freeOn(l.lineId, d)).toBe(Math.floor(l.free[d] ?? 0));
    }), { numRuns: 200 });
  });

  it('moves a small chain off the only line a larger chain due after it can sew on', () => {
    const style = (category: 'shirt' | 'sportswear'): StyleSpec => ({
      garment: { category, fabricType: 'woven', samMinutes: 20 },
      fabric: { fiber: 'cotton', weave: 'plain', widthCm: 160, picksPerCm: 20 },
      fabricPerPieceM: 1.2, wastagePct: 3,
    });
    const lines = [
      line('loom', { spec: weavingSpec(), ratePerUnit: 1, free: freeDays(30, 0, 29, 2_000_000) }),
      // The cheap line sews both, 6,000 minutes in all; the dear one only shirts.
      line('both', { spec: sewingSpec({ categories: ['shirt', 'sportswear'] }), ratePerUnit: 0.3, free: freeDays(30, 2, 3, 3000) }),
      line('shirts', { spec: sewingSpec({ categories: ['shirt'] }), ratePerUnit: 0.6, free: freeDays(30, 2, 29, 3000) }),
    ];
    // 100 shirts (2,000 minutes) due day 6, then 300 sportswear pieces (6,000 minutes) due day 8.
    const requests: ChainRequest[] = [
      { stages: styleStages(style('shirt'), 100, { maxSplits: 1 }), startDay: 0, endDay: 6, transitDays: 1 },
      { stages: styleStages(style('sportswear'), 300, { maxSplits: 1 }), startDay: 0, endDay: 8, transitDays: 1 },
    ];
    const oneByOne = indexOf(lines, 30);
    const first = planChain(requests[0] as ChainRequest, oneByOne);
    if (!first.ok) throw new Error('expected a plan');
    expect(first.stages[1]?.allocations.map((a) => a.lineId)).toEqual(['both']);
    for (const s of first.stages) for (const a of s.allocations) oneByOne.reserve(a.lineId, a.days);
    expect(planChain(requests[1] as ChainRequest, oneByOne).ok).toBe(false);

    const results = indexOf(lines, 30).planChainBatch(requests);
    expect(results.map((r) => r.ok)).toEqual([true, true]);
    expect(results.map((r) => (r.ok ? r.stages[1]?.allocations.map((a) => a.lineId) : []))).toEqual([['shirts'], ['both']]);
    expect(batchViolations(lines, requests, results)).toEqual([]);
  });
});

describe('planChainEarly', () => {
  it('plans a chain exactly when planChain does, each stage after the one before plus transit', () => {
    fc.assert(fc.property(chainCase(), ({ lines, request }) => {
      const index = indexOf(lines, HORIZON);
      const early = planChainEarly(request, index);
      const roomy = planChain(request, index);
      expect(early.ok).toBe(roomy.ok);
      if (!early.ok && !roomy.ok) expect(early.failedStage).toBe(roomy.failedStage);
      expect(batchViolations(lines, [request], [early])).toEqual([]);
    }), { numRuns: 300 });
  });

  it('ends every stage before the last no later than planChain does', () => {
    fc.assert(fc.property(chainCase(), ({ lines, request }) => {
      const index = indexOf(lines, HORIZON);
      const early = planChainEarly(request, index);
      const roomy = planChain(request, index);
      if (!early.ok || !roomy.ok) return;
      early.stages.slice(0, -1).forEach((stage, s) => expect(stage.endDay).toBeLessThanOrEqual(roomy.stages[s]?.endDay ?? -1));
    }), { numRuns: 300 });
  });
});
