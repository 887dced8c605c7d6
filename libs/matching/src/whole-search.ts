import { dayCovering, windowUnits } from './line-table';
import type { PlanContext } from './plan-context';
import { SCORE_WEIGHTS, slackPart, staticScore } from './scoring';
import type { FairnessPolicy } from './types';

/**
 * Keeps the best line that can take the whole order, by score then lineId. Lines may be fed in
 * any order; a caller that feeds them best-bound-first can stop once `bestScore` beats every
 * bound left (see `canBeat`).
 */
export class WholeSearch {
  best = -1;
  bestScore = -Infinity;
  bestDay = 0;
  /** The best small-mill line, kept only while a fairness policy is active. */
  private bestSmall = -1;
  private bestSmallScore = -Infinity;
  private bestSmallDay = 0;
  private readonly fairness: FairnessPolicy | null;
  /** The slack of a line done on the window's first day: no line earns more. */
  private readonly mostSlack: number;
  constructor(private readonly ctx: PlanContext) {
    this.mostSlack = slackPart(ctx.req.startDay, ctx.req.endDay, ctx.from);
    const f = ctx.req.fairness;
    // Off, or the target already met: the search is exactly the one without a policy.
    this.fairness = f !== undefined && f.margin > 0 && f.currentShare < f.targetShare && f.smallFactoryIds.size > 0 ? f : null;
  }

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
    const rate = t.rate[slot] ?? 0;
    if (rate > maxRate) return;
    const fixed = staticScore(rate, minRate, t.record[slot] ?? 0, t.load[slot] ?? 0);
    // A line that could not win even done on the window's first day is passed over before its
    // days are read: on a roomy window the walk offers many lines, most of them beaten on price,
    // record and load alone. Exact: the score below is never above this bound, so ties still
    // reach the lineId rule. A fairness policy also keeps the best small mill, so it reads all.
    if (this.fairness === null && SCORE_WEIGHTS.slack * this.mostSlack + fixed < this.bestScore) return;
    if (windowUnits(t, slot, from, to) < demand) return;
    const done = dayCovering(t, slot, from, to, demand);
    const slack = slackPart(req.startDay, req.endDay, done);
    const score = SCORE_WEIGHTS.slack * slack + fixed;
    if (score > this.bestScore || (score === this.bestScore && (t.lineId[slot] ?? '') < (t.lineId[this.best] ?? ''))) {
      this.best = slot;
      this.bestScore = score;
      this.bestDay = done;
    }
    if (this.fairness === null || !this.fairness.smallFactoryIds.has(t.factoryId[slot] ?? '')) return;
    if (score > this.bestSmallScore || (score === this.bestSmallScore && (t.lineId[slot] ?? '') < (t.lineId[this.bestSmall] ?? ''))) {
      this.bestSmall = slot;
      this.bestSmallScore = score;
      this.bestSmallDay = done;
    }
  }

  /**
   * The small-mill line the fairness policy prefers to the best, if the best is at a big mill
   * and a small mill's score is within the margin of it; null when the policy changes nothing.
   */
  fairChoice(): { readonly slot: number; readonly day: number; readonly score: number } | null {
    if (this.fairness === null || this.best < 0 || this.bestSmall < 0 || this.bestSmall === this.best) return null;
    if (this.bestSmallScore + 1e-12 < this.bestScore * (1 - this.fairness.margin)) return null;
    return { slot: this.bestSmall, day: this.bestSmallDay, score: this.bestSmallScore };
  }

  /**
   * Whether a line whose score is at most `bound` could still win (ties included). The margin
   * absorbs float rounding between a bound and a score summed in another order.
   */
  canBeat(bound: number): boolean {
    if (bound + 1e-9 >= this.bestScore) return true;
    // With a policy, a small mill's line within the margin of the best may still be chosen.
    return this.fairness !== null && bound + 1e-9 >= this.bestSmallScore && bound + 1e-9 >= this.bestScore * (1 - this.fairness.margin);
  }
}
