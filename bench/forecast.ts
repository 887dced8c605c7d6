import { backtest, forecastDemand, seasonalNaive, type ForecastErrors } from '@cloudloom/market';
import { demandHistory } from './support/demand-history';

/**
 * Forecast error on the seeded order history: Holt-Winters (additive, weekly season, weights fitted
 * per series) against the naive seasonal baseline (same weekday last week), by rolling-origin
 * backtest: from each of `origins` days a week apart, forecast `horizon` days on the history before
 * it and score against what came.
 * Run: npm run bench:forecast [-- days=140 horizon=14 origins=8 seed=2026]
 */
const args = new Map(process.argv.slice(2).map((a) => a.split('=') as [string, string]));
const DAYS = Number(args.get('days') ?? 140);
const HORIZON = Number(args.get('horizon') ?? 14);
const ORIGINS = Number(args.get('origins') ?? 8);
const SEED = Number(args.get('seed') ?? 2026);

const options = { horizon: HORIZON, origins: ORIGINS, step: 7 };
const history = demandHistory(DAYS, SEED);
const pooled = { hw: { abs: 0, pct: 0, n: 0, pctN: 0 }, naive: { abs: 0, pct: 0, n: 0, pctN: 0 } };
const add = (into: { abs: number; pct: number; n: number; pctN: number }, e: ForecastErrors): void => {
  into.abs += e.mae * e.points;
  into.n += e.points;
  if (e.mape !== null) {
    into.pct += e.mape * e.points;
    into.pctN += e.points;
  }
};
let wins = 0;
const started = performance.now();
for (const s of history) {
  const hw = backtest(s.daily, forecastDemand, options);
  const naive = backtest(s.daily, seasonalNaive, options);
  add(pooled.hw, hw);
  add(pooled.naive, naive);
  if (hw.mae < naive.mae) wins++;
}
const ms = performance.now() - started;
const row = (name: string, p: { abs: number; pct: number; n: number; pctN: number }): string =>
  `${name.padEnd(34)} MAE ${(p.abs / p.n).toFixed(1).padStart(8)} units/day   MAPE ${((100 * p.pct) / p.pctN).toFixed(1).padStart(5)}%`;
console.log(`seeded history: ${history.length} series (cluster × machine type / category), ${DAYS} days, seed ${SEED}; backtest ${ORIGINS} origins a week apart, ${HORIZON}-day horizon`);
console.log(row('Holt-Winters additive, weekly', pooled.hw));
console.log(row('naive seasonal (same weekday -7d)', pooled.naive));
console.log(`Holt-Winters better on ${wins} of ${history.length} series; ${(ms / history.length / ORIGINS).toFixed(2)} ms per series and origin (fit + forecast, both methods)`);
