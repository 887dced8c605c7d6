/** A factory's history as its record counts it, from its allocations (FACTORY_HISTORY). */
export interface FactoryHistory {
  /** Offers answered by accepting, rejecting or letting them expire. */
  readonly answered: number;
  /** Offers accepted as offered; an offer answered with a counter counts under `countered` instead, whatever became of it. */
  readonly accepted: number;
  readonly produced: number;
  readonly onTime: number;
  /** Offers answered by accept or reject, and the seconds they took in all (offer to answer). */
  readonly responses: number;
  readonly responseSeconds: number;
}

/** One definition of the history for the matcher's snapshot and the record endpoints alike. */
export const FACTORY_HISTORY = `
    count(*) FILTER (WHERE status NOT IN ('offered', 'cancelled'))::int AS answered,
    count(*) FILTER (WHERE status IN ('accepted', 'in_production', 'produced') AND NOT countered)::int AS accepted,
    count(*) FILTER (WHERE countered)::int AS countered,
    count(*) FILTER (WHERE status = 'produced')::int AS produced,
    count(*) FILTER (WHERE status = 'produced' AND updated_at::date <= end_date)::int AS "onTime",
    count(answered_at)::int AS responses,
    coalesce(sum(extract(epoch FROM answered_at - created_at)), 0)::float8 AS "responseSeconds"`;

/**
 * A factory's record from its history, smoothed toward a prior so one early rejection (or one
 * slow answer) does not sink a new mill: each part counts as if PRIOR_WEIGHT earlier answers had
 * been at the prior. Response time is scored on the offer's own lifetime: an instant answer is 1,
 * an answer as late as the offer lives is 0 (no better than letting it expire). The prior answer
 * takes a tenth of that lifetime, so a new factory starts at 0.9 on every part.
 */
const PRIOR_RATE = 0.9;
const PRIOR_WEIGHT = 5;
export interface FactoryRecord {
  readonly acceptanceRate: number;
  readonly onTimeRate: number;
  /** 0..1 from the smoothed mean time to answer an offer. */
  readonly responseScore: number;
  /** The smoothed mean seconds from offer to answer that responseScore is made of. */
  readonly responseSeconds: number;
}
export function factoryRecord(history: FactoryHistory, offerTtlSeconds: number): FactoryRecord {
  const smooth = (hits: number, total: number): number => (hits + PRIOR_RATE * PRIOR_WEIGHT) / (total + PRIOR_WEIGHT);
  const responseSeconds = (history.responseSeconds + (1 - PRIOR_RATE) * offerTtlSeconds * PRIOR_WEIGHT) / (history.responses + PRIOR_WEIGHT);
  return {
    acceptanceRate: smooth(history.accepted, history.answered),
    onTimeRate: smooth(history.onTime, history.produced),
    responseScore: Math.min(1, Math.max(0, 1 - responseSeconds / Math.max(offerTtlSeconds, 1))),
    responseSeconds,
  };
}
