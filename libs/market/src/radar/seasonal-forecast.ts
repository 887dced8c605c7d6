/**
 * Demand forecast for the operator's radar: Holt-Winters with additive trend and additive weekly
 * season, and the naive seasonal baseline it must beat. Pure functions over a daily series (index
 * 0 = the oldest day); no I/O, so they are unit-tested and benchmarked without a database.
 *
 * Why Holt-Winters additive: mills' demand has a strong weekday pattern (orders come in on working
 * days) whose size does not grow with the level at these volumes, a slow trend, and noise. It needs
 * no library (the npm statistics packages that offer it are unmaintained), fits in microseconds per
 * series, and its three smoothing weights are chosen per series by the one-step-ahead error on the
 * series' own history, so a quiet cluster and a busy one each get their own.
 */

export const WEEK = 7;

export interface HoltWintersParams {
  /** level smoothing, 0..1 */
  readonly alpha: number;
  /** trend smoothing, 0..1 */
  readonly beta: number;
  /** season smoothing, 0..1 */
  readonly gamma: number;
}

export interface HoltWintersFit {
  readonly params: HoltWintersParams;
  /** Sum of squared one-step-ahead errors over the fitted history (after the first season). */
  readonly sse: number;
  readonly level: number;
  readonly trend: number;
  /** The season's components, indexed by (day index mod period). */
  readonly season: readonly number[];
  /** The number of days fitted: the next day to forecast has this index. */
  readonly n: number;
}

const mean = (xs: readonly number[]): number => xs.reduce((s, x) => s + x, 0) / xs.length;

/** Runs the recursions with fixed weights. Needs at least two full seasons of history. */
export function holtWinters(series: readonly number[], params: HoltWintersParams, period = WEEK): HoltWintersFit {
  if (series.length < 2 * period) throw new RangeError(`Holt-Winters needs at least ${2 * period} days of history`);
  // Initial state from the first two seasons: level the first season's mean, trend the per-day
  // change between the two seasons' means, season each day's deviation from its season's mean.
  const first = series.slice(0, period);
  const second = series.slice(period, 2 * period);
  let level = mean(first);
  let trend = (mean(second) - mean(first)) / period;
  const season = first.map((y) => y - level);
  let sse = 0;
  for (let t = period; t < series.length; t++) {
    const y = series[t]!;
    const s = season[t % period]!;
    const predicted = level + trend + s;
    sse += (y - predicted) ** 2;
    const previousLevel = level;
    level = params.alpha * (y - s) + (1 - params.alpha) * (level + trend);
    trend = params.beta * (level - previousLevel) + (1 - params.beta) * trend;
    season[t % period] = params.gamma * (y - level) + (1 - params.gamma) * s;
  }
  return { params, sse, level, trend, season, n: series.length };
}

/** The weights tried: coarse, because the error surface is flat near its minimum for daily demand. */
const GRID = [0.05, 0.1, 0.2, 0.35, 0.5, 0.7];
const TREND_GRID = [0, 0.02, 0.05, 0.1, 0.2];

/** Chooses the weights with the least one-step-ahead error on the series itself (216 fits). */
export function fitHoltWinters(series: readonly number[], period = WEEK): HoltWintersFit {
  let best: HoltWintersFit | undefined;
  for (const alpha of GRID)
    for (const beta of TREND_GRID)
      for (const gamma of GRID) {
        const fit = holtWinters(series, { alpha, beta, gamma }, period);
        if (!best || fit.sse < best.sse) best = fit;
      }
  return best!;
}

/** The next `horizon` days from a fit; demand is never negative. */
export function forecastFrom(fit: HoltWintersFit, horizon: number): number[] {
  const period = fit.season.length;
  return Array.from({ length: horizon }, (_, i) => Math.max(0, fit.level + (i + 1) * fit.trend + fit.season[(fit.n + i) % period]!));
}

/**
 * The forecast the radar serves: Holt-Winters where there are two weeks of history, else the
 * naive seasonal baseline (or the mean of what there is, under a week).
 */
export function forecastDemand(series: readonly number[], horizon: number, period = WEEK): number[] {
  if (series.length >= 2 * period) return forecastFrom(fitHoltWinters(series, period), horizon);
  if (series.length >= period) return seasonalNaive(series, horizon, period);
  const level = series.length ? mean(series) : 0;
  return Array(horizon).fill(level) as number[];
}

/** The baseline: each coming day is what the same weekday was in the last week of history. */
export function seasonalNaive(series: readonly number[], horizon: number, period = WEEK): number[] {
  if (series.length < period) throw new RangeError(`the seasonal baseline needs at least ${period} days of history`);
  const n = series.length;
  return Array.from({ length: horizon }, (_, i) => series[n - period + (i % period)]!);
}

export interface ForecastErrors {
  /** Mean absolute error, in the series' units. */
  readonly mae: number;
  /** Mean absolute percentage error over days with non-zero actual demand (0..∞); null if none. */
  readonly mape: number | null;
  readonly points: number;
}

export function errorsOf(actual: readonly number[], predicted: readonly number[]): ForecastErrors {
  if (actual.length !== predicted.length || actual.length === 0) throw new RangeError('errors need as many predictions as actual days, at least one');
  let abs = 0;
  let pct = 0;
  let pctPoints = 0;
  for (let i = 0; i < actual.length; i++) {
    const e = Math.abs(actual[i]! - predicted[i]!);
    abs += e;
    if (actual[i]! !== 0) {
      pct += e / Math.abs(actual[i]!);
      pctPoints++;
    }
  }
  return { mae: abs / actual.length, mape: pctPoints ? pct / pctPoints : null, points: actual.length };
}

/**
 * Rolling-origin backtest: from each origin (the day the forecast is made, counted from the end:
 * the last origin leaves exactly `horizon` days to check), forecast `horizon` days on the history
 * before it and score against what came. Origins step by `step` days, `origins` of them.
 */
export function backtest(
  series: readonly number[],
  method: (history: readonly number[], horizon: number) => number[],
  { horizon, origins, step }: { horizon: number; origins: number; step: number },
): ForecastErrors {
  const actual: number[] = [];
  const predicted: number[] = [];
  for (let k = origins - 1; k >= 0; k--) {
    const origin = series.length - horizon - k * step;
    if (origin < 1) continue;
    actual.push(...series.slice(origin, origin + horizon));
    predicted.push(...method(series.slice(0, origin), horizon));
  }
  return errorsOf(actual, predicted);
}
