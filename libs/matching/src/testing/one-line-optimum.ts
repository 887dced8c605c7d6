import { demandOf } from '../capacity';
import { MarketIndex } from '../market-index';
import type { CandidateLine, PlanRequest } from '../types';

/**
 * The most quantity of these orders one line can hold, by brute force: every subset that the
 * line may serve, laid out earliest due first on its free days (exact for one line, since each
 * order may take any free days of its window).
 */
export function bestSubsetOnOneLine(line: CandidateLine, requests: readonly PlanRequest[], horizon: number): number {
  const index = new MarketIndex({ horizon, initialLines: 2 });
  index.upsertLine(line);
  const servable = requests.filter((r) => index.candidatesFor(r.order).length > 0 && (r.certifications ?? []).every((c) => line.certifications.includes(c)));
  let best = 0;
  for (let mask = 0; mask < 1 << servable.length; mask++) {
    const chosen = servable.filter((_, k) => (mask >> k) & 1);
    const total = chosen.reduce((s, r) => s + r.quantity, 0);
    if (total > best && layable(line, chosen, horizon)) best = total;
  }
  return best;
}

function layable(line: CandidateLine, requests: readonly PlanRequest[], horizon: number): boolean {
  const left = requests.map((r) => demandOf(r.order, r.quantity));
  const byDue = requests.map((_, k) => k).sort((a, b) => (requests[a]?.endDay ?? 0) - (requests[b]?.endDay ?? 0));
  for (let day = 0; day < horizon; day++) {
    let free = Math.max(0, Math.floor(line.free[day] ?? 0));
    for (const k of byDue) {
      const r = requests[k] as PlanRequest;
      if (day < r.startDay || day > r.endDay || free <= 0) continue;
      const take = Math.min(free, left[k] ?? 0);
      left[k] = (left[k] ?? 0) - take;
      free -= take;
    }
    if (byDue.some((k) => (requests[k]?.endDay ?? 0) === day && (left[k] ?? 0) > 0)) return false;
  }
  return left.every((x) => x === 0);
}
