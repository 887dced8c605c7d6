import { dayCovering, windowUnits } from './line-table';
import type { PlanContext } from './plan-context';
import { SCORE_WEIGHTS, slackPart, staticScore } from './scoring';

/**
 * Keeps the best line that can take the whole order, by score then lineId. Lines may be fed in
 * any order; a caller that feeds them best-bound-first can stop once `bestScore` beats every
 * bound left (see `canBeat`).
 */
export class WholeSearch {
  best = -1;
  bestScore = -Infinity;
  bestDay = 0;
  constructor(private readonly ctx: PlanContext) {}

  get demand(): number {
    return this.ctx.demand;
  }

  get windowDays(): number {
    return this.ctx.to - this.ctx.from + 1;
  }

  /** The most slack a line with at most `peak` free units a day could earn on this order. */
  slackBound(peak: number): number {
    const { from, to, demand, req } = this.ctx;
    if (peak <= 0) return 0;
    const soonest = Math.min(to, from + Math.ceil(demand / peak) - 1);
    return slackPart(req.startDay, req.endDay, soonest);
  }

  /** The rate every price part is measured against. */
  get minRate(): number {
    return this.ctx.minRate;
  }

  consider(slot: number): void {
    const { t, from, to, demand, req, minRate, maxRate } = this.ctx;
    if ((t.rate[slot] ?? 0) > maxRate || windowUnits(t, slot, from, to) < demand) return;
    const done = dayCovering(t, slot, from, to, demand);
    const slack = slackPart(req.startDay, req.endDay, done);
    const score = SCORE_WEIGHTS.slack * slack + staticScore(t.rate[slot] ?? 0, minRate, t.record[slot] ?? 0, t.load[slot] ?? 0);
    if (score > this.bestScore || (score === this.bestScore && (t.lineId[slot] ?? '') < (t.lineId[this.best] ?? ''))) {
      this.best = slot;
      this.bestScore = score;
      this.bestDay = done;
    }
  }

  /**
   * Whether a line whose score is at most `bound` could still win (ties included). The margin
   * absorbs float rounding between a bound and a score summed in another order.
   */
  canBeat(bound: number): boolean {
    return bound + 1e-9 >= this.bestScore;
  }
}
