import fc from 'fast-check';
import { listStagePlanner, planChain, type ChainRequest, type ChainStage } from './chain';
import { maxQuantityWithin, unitsPerQuantity } from './capacity';
import { lineMismatch } from './capability';
import { chainCase } from './testing/chain-arbitraries';
import { hardRuleViolations } from './testing/check-plan';
import type { CandidateLine } from './types';

const RUNS = { numRuns: 400 };

/** Whether one stage fits [from, to] with no minimums: its maxSplits roomiest usable lines cover it (the planner is complete there). */
function stageFits(stage: ChainStage, lines: readonly CandidateLine[], from: number, to: number): boolean {
  const perItem = unitsPerQuantity(stage.order);
  const caps = lines
    .filter((l) => lineMismatch(l, stage.order, stage.certifications) === null)
    .map((l) => {
      let units = 0;
      for (let d = Math.max(0, from); d <= to && d < l.free.length; d++) units += l.free[d] ?? 0;
      return maxQuantityWithin(units, perItem, stage.quantity);
    })
    .sort((a, b) => b - a);
  return caps.slice(0, stage.maxSplits).reduce((s, c) => s + c, 0) >= stage.quantity;
}

/** Every choice of every stage's last day, exhaustively: does any chain fit? */
function anyChainFits(req: ChainRequest, lines: readonly CandidateLine[], stage = 0, ready = req.startDay): boolean {
  const s = req.stages[stage];
  if (s === undefined) return true;
  for (let end = ready; end <= req.endDay; end++) {
    if (stageFits(s, lines, ready, end) && anyChainFits(req, lines, stage + 1, end + req.transitDays)) return true;
  }
  return false;
}

/** The hard rules of every stage, over the whole chain: no line-day over-reserved across stages, every day in the window, order of stages kept. */
function chainViolations(req: ChainRequest, lines: readonly CandidateLine[]): string[] {
  const result = planChain(req, listStagePlanner(lines));
  if (!result.ok) {
    const errors: string[] = [];
    if (result.failedStage < 0 || result.failedStage >= req.stages.length) errors.push(`failed stage ${result.failedStage} out of range`);
    if (result.reasons.length === 0) errors.push('a chain rejected without a reason');
    return errors;
  }
  const errors: string[] = [];
  if (result.stages.length !== req.stages.length) errors.push(`${result.stages.length} stages planned of ${req.stages.length}`);
  // One ledger for the whole chain: a line-day's units summed over every stage's allocations.
  const held = lines.map((l) => ({ ...l, free: Array.from(l.free) }));
  let previousEnd: number | undefined;
  result.stages.forEach((planned, i) => {
    const stage = req.stages[i] as ChainStage;
    const stageReq = { ...stage, startDay: req.startDay, endDay: req.endDay };
    const asPlan = { ok: true as const, allocations: planned.allocations, totalDemand: 0, totalPrice: planned.totalPrice, completionDay: planned.endDay };
    errors.push(...hardRuleViolations(stageReq, held, asPlan).map((e) => `stage ${i}: ${e}`));
    for (const a of planned.allocations) {
      const l = held.find((x) => x.lineId === a.lineId);
      for (const d of a.days) if (l) l.free[d.day] = (l.free[d.day] ?? 0) - d.units;
      if (previousEnd !== undefined && a.startDay < previousEnd + req.transitDays) errors.push(`stage ${i} starts day ${a.startDay}, before day ${previousEnd} + ${req.transitDays} transit`);
    }
    if (planned.endDay !== Math.max(...planned.allocations.map((a) => a.endDay))) errors.push(`stage ${i}'s end is not its last allocation's`);
    previousEnd = planned.endDay;
  });
  if (held.some((l) => l.free.some((f) => f < 0))) errors.push('a line-day over-reserved across the chain');
  if (result.completionDay !== previousEnd) errors.push('completion is not the last stage\'s end');
  return errors;
}

describe('planChain properties', () => {
  it('keeps every rule of every stage: capacity per line-day, the window, splits, stage after stage plus transit', () => {
    fc.assert(fc.property(chainCase(), ({ lines, request }) => {
      expect(chainViolations(request, lines)).toEqual([]);
    }), RUNS);
  });

  it('keeps them with minimums too (moq, minimum batch, minimum split)', () => {
    fc.assert(fc.property(chainCase(true), ({ lines, request }) => {
      expect(chainViolations(request, lines)).toEqual([]);
    }), RUNS);
  });

  it('rejects a chain only when no chain fits (brute force over every stage end), and plans all stages or none', () => {
    fc.assert(fc.property(chainCase(), ({ lines, request }) => {
      const result = planChain(request, listStagePlanner(lines));
      expect(result.ok).toBe(anyChainFits(request, lines));
      if (result.ok) expect(result.stages.map((s) => s.kind)).toEqual(request.stages.map((s) => (s.order.kind === 'fabric' ? 'weaving' : s.order.kind === 'garment' ? 'sewing' : 'finishing')));
    }), RUNS);
  });

  it('names the first stage no chain can reach: every stage before it fits, and it fits nowhere after its input arrives', () => {
    fc.assert(fc.property(chainCase(), ({ lines, request }) => {
      const result = planChain(request, listStagePlanner(lines));
      if (result.ok) return;
      const prefix = { ...request, stages: request.stages.slice(0, result.failedStage) };
      expect(anyChainFits(prefix, lines)).toBe(true);
      expect(anyChainFits({ ...request, stages: request.stages.slice(0, result.failedStage + 1) }, lines)).toBe(false);
    }), RUNS);
  });
});
