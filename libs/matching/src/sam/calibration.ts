/**
 * How fast a factory really sews a category against the estimate: its reported output over time
 * against what the plan expected by then. Pure: the reports come in as data.
 */

/** One progress report on one allocation: pieces produced by then, and pieces the plan expected by then (at the estimated SAM). */
export interface ProgressObservation {
  readonly produced: number;
  readonly expected: number;
}

export interface Calibration {
  /** Observed output over planned output, shrunk toward 1; > 1 sews faster than estimated. */
  readonly efficiency: number;
  /** Reports that counted (expected > 0). */
  readonly observations: number;
}

/**
 * Weight of the prior "the estimate is right" (efficiency 1), in reports: with this many reports
 * the data and the prior count the same. An assumption (docs/sam.md): a factory's first two or
 * three reports are too few to move its plan much.
 */
export const CALIBRATION_PRIOR_WEIGHT = 5;
/** Bounds on the calibrated efficiency: outside them a report is more likely wrong than the estimate. */
export const CALIBRATION_BOUNDS = [0.5, 1.5] as const;

/**
 * The pooled ratio (total produced over total expected, so a large allocation counts more than a
 * small one) shrunk toward 1 by the number of reports: (n·r + k·1) / (n + k).
 */
export function calibrate(observations: readonly ProgressObservation[]): Calibration {
  const counted = observations.filter((o) => o.expected > 0 && o.produced >= 0);
  const n = counted.length;
  if (n === 0) return { efficiency: 1, observations: 0 };
  const ratio = counted.reduce((s, o) => s + o.produced, 0) / counted.reduce((s, o) => s + o.expected, 0);
  const shrunk = (n * ratio + CALIBRATION_PRIOR_WEIGHT) / (n + CALIBRATION_PRIOR_WEIGHT);
  const [low, high] = CALIBRATION_BOUNDS;
  return { efficiency: Math.min(high, Math.max(low, Math.round(shrunk * 1000) / 1000)), observations: n };
}

/** The standard minutes a factory really needs per piece: the estimate over its calibrated efficiency. */
export function calibratedSam(samMinutes: number, calibration: Calibration): number {
  return Math.round((samMinutes / calibration.efficiency) * 100) / 100;
}
