import { MarketIndex, type CandidateLine, type FairnessPolicy, type PlanRequest, type PlanResult } from '@cloudloom/matching';
import { gini, isSmallMill } from '@cloudloom/market';

/**
 * The cost of the fairness policy (issue 20): the same batch planned with the policy off and on,
 * and what each leaves the small mills. Small by the /stats rule (≤ 50 looms and ≤ 30 operators),
 * counted from the market's lines; the share the policy sees is the run's own so far.
 */
export interface FairnessFigures {
  readonly matched: number;
  readonly orders: number;
  readonly smallOrderShare: number;
  readonly smallValueShare: number;
  readonly gini: number;
}

export function smallFactories(lines: readonly CandidateLine[]): Set<string> {
  const size = new Map<string, { looms: number; operators: number }>();
  for (const l of lines) {
    const s = size.get(l.factoryId) ?? { looms: 0, operators: 0 };
    if (l.spec.kind === 'weaving') s.looms += l.spec.machines;
    if (l.spec.kind === 'sewing') s.operators += l.spec.operators;
    size.set(l.factoryId, s);
  }
  return new Set([...size].filter(([, s]) => isSmallMill(s.looms, s.operators)).map(([id]) => id));
}

/** Plans and reserves one order at a time, as the matching queue does; `policy` null = off. */
export function runFairness(
  lines: readonly CandidateLine[], horizon: number, sequence: readonly PlanRequest[],
  policy: Pick<FairnessPolicy, 'margin' | 'targetShare'> | null,
): FairnessFigures {
  const index = new MarketIndex({ horizon });
  for (const line of lines) index.upsertLine(line);
  const small = smallFactories(lines);
  const value = new Map<string, number>(lines.map((l) => [l.factoryId, 0]));
  let matched = 0;
  let orders = 0;
  let atSmall = 0;
  for (const req of sequence) {
    const currentShare = orders > 0 ? atSmall / orders : 0;
    const result: PlanResult = index.plan(policy === null ? req : { ...req, fairness: { ...policy, smallFactoryIds: small, currentShare } });
    index.reservePlan(result);
    if (!result.ok) continue;
    matched += req.quantity;
    orders++;
    if (result.allocations.some((a) => small.has(a.factoryId))) atSmall++;
    for (const a of result.allocations) value.set(a.factoryId, (value.get(a.factoryId) ?? 0) + a.price);
  }
  const total = [...value.values()].reduce((s, v) => s + v, 0);
  const smallValue = [...value].reduce((s, [id, v]) => s + (small.has(id) ? v : 0), 0);
  return {
    matched, orders,
    smallOrderShare: orders > 0 ? atSmall / orders : 0,
    smallValueShare: total > 0 ? smallValue / total : 0,
    gini: gini([...value.values()]) ?? 0,
  };
}
