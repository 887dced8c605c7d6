import type { CandidateLine, ScoreParts } from './types';

/**
 * Weights of the preferences DESIGN.md §4 ranks after the split count. The split count itself
 * is compared first (lexicographically): no mix of the other parts lets a split plan beat a
 * whole-order one, so it carries no weight here.
 */
export const SCORE_WEIGHTS = { slack: 0.4, price: 0.3, record: 0.2, loadSpread: 0.1 } as const;

/** Days to spare at completion, as a share of the window. */
export function slackPart(startDay: number, endDay: number, completionDay: number): number {
  return clamp01((endDay - completionDay) / Math.max(1, endDay - startDay));
}

export interface ScoreInput {
  readonly allocations: number;
  readonly startDay: number;
  readonly endDay: number;
  readonly completionDay: number;
  readonly rate: number;
  readonly minRate: number;
  readonly record: number;
  readonly load: number;
}

const clamp01 = (x: number): number => (x < 0 ? 0 : x > 1 ? 1 : x);

export function scoreParts(input: ScoreInput): ScoreParts {
  return {
    splits: 1 / input.allocations,
    slack: slackPart(input.startDay, input.endDay, input.completionDay),
    price: input.rate > 0 ? clamp01(input.minRate / input.rate) : 1,
    record: clamp01(input.record),
    loadSpread: clamp01(1 - input.load),
  };
}

export function weightedScore(parts: ScoreParts): number {
  return (
    SCORE_WEIGHTS.slack * parts.slack +
    SCORE_WEIGHTS.price * parts.price +
    SCORE_WEIGHTS.record * parts.record +
    SCORE_WEIGHTS.loadSpread * parts.loadSpread
  );
}

/** The score a line gets before its completion day is known: everything but slack. */
export function staticScore(rate: number, minRate: number, record: number, load: number): number {
  const price = rate > 0 ? clamp01(minRate / rate) : 1;
  return SCORE_WEIGHTS.price * price + SCORE_WEIGHTS.record * clamp01(record) + SCORE_WEIGHTS.loadSpread * clamp01(1 - load);
}

/** The record part: on-time rate, acceptance rate and response score weigh alike. */
export function recordOf(record: CandidateLine['record']): number {
  if (record.responseScore === undefined) return (record.onTimeRate + record.acceptanceRate) / 2;
  return (record.onTimeRate + record.acceptanceRate + record.responseScore) / 3;
}
