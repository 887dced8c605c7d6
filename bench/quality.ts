import loadHighs from 'highs';
import { MarketIndex, planChain, type ChainRequest, type PlanRequest, type PlanResult } from '@cloudloom/matching';
import { buildChainInstance, chainModel, type ChainInstance, type ChainInstanceSpec } from './support/chain-optimum';
import { reserveChain } from './support/chains';
import { buildFamily, FAMILIES } from './support/families';
import { buildInstance, type Instance, type InstanceSpec } from './support/instances';
import { batchModel, type Model } from './support/optimum';
import { priceCeilingRuns } from './support/price-ceilings';
import { runFairness, smallFactories, type FairnessFigures } from './support/fairness-run';

/**
 * Plan quality: `planBatch`, as a worker holding a batch of match jobs plans it, and the planner
 * order by order (reserving each plan before the next), against the optimum of the same batch
 * from HiGHS (the whole batch known in advance, same hard rules), or, where HiGHS proves no
 * optimum within the time limit, against its bound (see `solve`): each line names which.
 * Then style orders: `planChainBatch` over the batch, and the chain planner chain by chain, against the optimum of the same two- and
 * three-stage batch. Then how many orders target prices leave unmatched on the reference market,
 * beside the same run without them (`ceilings` alone: only that; `quick` for 500 orders).
 * Fairness (issue 20): `only=fairness` plans each instance, and a scaled-down reference market,
 * with the fairness policy off and on (margin=<pct> target=<share>), without the optimum.
 * Families (`only=families seeds=1,2,3`, also after the reference instances in a full run): the
 * seeded generator of support/families.ts, market shapes and order mixes apart from the reference
 * instances, each family over a few seeds, `planBatch` against the optimum per instance.
 * Run: npm run bench:quality [-- only=<name>|chains|families|fairness limit=<seconds> seeds=1,2,3 margin=2 target=0.3]
 *   or [-- ceilings quick markup=0.1]
 */

const GOAL = 0.99;
const args = new Map(process.argv.slice(2).map((a) => a.split('=') as [string, string]));
const TIME_LIMIT = Number(args.get('limit') ?? 60);

const INSTANCES: readonly InstanceSpec[] = [
  { name: 'S-ample', factories: 4, looms: 400, sewingFactories: 2, horizon: 10, orders: 12, pressure: 0.4, seed: 11 },
  { name: 'S-scarce', factories: 4, looms: 400, sewingFactories: 2, horizon: 10, orders: 12, pressure: 1.6, seed: 11 },
  { name: 'M-ample', factories: 8, looms: 1000, sewingFactories: 4, horizon: 14, orders: 30, pressure: 0.4, seed: 23 },
  { name: 'M-scarce', factories: 8, looms: 1000, sewingFactories: 4, horizon: 14, orders: 30, pressure: 1.6, seed: 23 },
  { name: 'L-ample', factories: 14, looms: 2000, sewingFactories: 6, horizon: 20, orders: 50, pressure: 0.4, seed: 37 },
  { name: 'L-scarce', factories: 14, looms: 2000, sewingFactories: 6, horizon: 20, orders: 50, pressure: 1.6, seed: 37 },
];

const CHAIN_INSTANCES: readonly ChainInstanceSpec[] = [
  { name: 'C2-ample', factories: 4, looms: 400, sewingFactories: 2, dyeHouses: 0, horizon: 14, orders: 8, pressure: 0.4, finishingShare: 0, seed: 11 },
  { name: 'C2-scarce', factories: 4, looms: 400, sewingFactories: 2, dyeHouses: 0, horizon: 14, orders: 8, pressure: 1.6, finishingShare: 0, seed: 11 },
  { name: 'C3-ample', factories: 4, looms: 400, sewingFactories: 2, dyeHouses: 3, horizon: 14, orders: 8, pressure: 0.4, finishingShare: 1, seed: 23 },
  { name: 'C3-scarce', factories: 4, looms: 400, sewingFactories: 2, dyeHouses: 3, horizon: 14, orders: 8, pressure: 1.6, finishingShare: 1, seed: 23 },
  { name: 'CM-mixed', factories: 6, looms: 700, sewingFactories: 3, dyeHouses: 4, horizon: 16, orders: 14, pressure: 1, finishingShare: 0.6, seed: 37 },
];

interface PlannerRun {
  readonly matched: number;
  readonly orders: number;
  readonly splits: number;
  readonly ms: number;
}

/**
 * The matching queue is prioritized by due-date slack (DESIGN.md §5): when a batch is waiting
 * at once, the order due soonest is planned first. Arrival order is reported too.
 */
function bySlack(orders: readonly PlanRequest[]): PlanRequest[] {
  return orders
    .map((req, i) => ({ req, i }))
    .sort((a, b) => a.req.endDay - b.req.endDay || (a.req.endDay - a.req.startDay) - (b.req.endDay - b.req.startDay) || a.i - b.i)
    .map((x) => x.req);
}

/** The batch planner on the same sequence: what a worker holding the whole batch plans. */
function runBatch(instance: Instance, sequence: readonly PlanRequest[]): PlannerRun {
  const index = new MarketIndex({ horizon: instance.spec.horizon });
  for (const line of instance.lines) index.upsertLine(line);
  const start = performance.now();
  const results = index.planBatch(sequence);
  const ms = performance.now() - start;
  let matched = 0;
  let orders = 0;
  let splits = 0;
  results.forEach((result, i) => {
    if (!result.ok) return;
    matched += sequence[i]?.quantity ?? 0;
    orders++;
    splits += result.allocations.length - 1;
  });
  return { matched, orders, splits, ms };
}

function runPlanner(instance: Instance, sequence: readonly PlanRequest[]): PlannerRun {
  const index = new MarketIndex({ horizon: instance.spec.horizon });
  for (const line of instance.lines) index.upsertLine(line);
  let matched = 0;
  let orders = 0;
  let splits = 0;
  let ms = 0;
  for (const req of sequence) {
    const start = performance.now();
    const result: PlanResult = index.plan(req);
    ms += performance.now() - start;
    index.reservePlan(result);
    if (!result.ok) continue;
    matched += req.quantity;
    orders++;
    splits += result.allocations.length - 1;
  }
  return { matched, orders, splits, ms };
}

const pct = (x: number): string => `${(x * 100).toFixed(1)}%`;

/** Targets from a fifth below to a tenth above the median rate: where a ceiling starts to cost matches. */
const MARKUPS = [-0.2, -0.1, 0, 0.1];

/**
 * `ceilings [quick] [markup=0.1]`: matched orders on the reference market without target prices,
 * beside the same run with targets at each markup over the median rate (or only the one given).
 */
function ceilingsReport(): void {
  const count = args.has('quick') ? 500 : 3000;
  const markups = args.has('markup') ? [Number(args.get('markup'))] : MARKUPS;
  const { without, with: capped } = priceCeilingRuns(count, markups);
  console.log(`\nprice ceilings: ${count} reference orders, planned and reserved in turn; targets at the median rate of the order's kind plus a markup`);
  console.log(`  without ceilings:        ${without.matched} matched, ${without.orders - without.matched} unmatched (${without.ms.toFixed(0)} ms)`);
  for (const run of capped) {
    const label = `${run.markup >= 0 ? '+' : ''}${pct(run.markup)}`.padStart(6);
    console.log(`  ceilings at median ${label}: ${run.matched} matched, ${run.orders - run.matched} unmatched, ${run.priceMisses} of them for price (PRICE_ABOVE_TARGET), ${without.matched - run.matched} fewer than without (${run.ms.toFixed(0)} ms)`);
  }
}

/**
 * What a plan is measured against. With a proof of optimality, the optimum. Without one, the
 * least upper bound HiGHS holds — the MIP's dual bound at the time limit, or the LP
 * relaxation's optimum if that is lower — which no plan can pass: a ratio against it is a floor
 * on the true one. The incumbent is printed beside it, never used as the yardstick: it may be
 * below the optimum, and then a ratio against it flatters the planner.
 */
interface Yardstick {
  readonly status: string;
  readonly solveS: number;
  readonly proven: boolean;
  /** The best plan HiGHS found (NaN if none). */
  readonly incumbent: number;
  readonly reference: number;
  /** 'optimum', 'MIP bound' or 'LP bound'. */
  readonly kind: string;
}

const STATUS_NAMES: Readonly<Record<number, string>> = { 7: 'optimal', 13: 'time limit', 8: 'infeasible' };

function solve(highs: Awaited<ReturnType<typeof loadHighs>>, model: Model): Yardstick {
  const t0 = performance.now();
  const mip = highs.withModel({ format: 'lp', data: model.text }, (m) => {
    m.options.set('output_flag', false);
    m.options.set('time_limit', TIME_LIMIT);
    m.options.set('mip_rel_gap', 1e-6);
    m.run();
    const status = Number(m.getModelStatus());
    const primal = Number(m.info.get('primal_solution_status'));
    return { status, objective: primal === 2 ? m.getObjectiveValue() : NaN, dualBound: Number(m.info.get('mip_dual_bound')) };
  });
  const solveS = (performance.now() - t0) / 1000;
  const proven = mip.status === 7;
  const incumbent = Math.round(mip.objective);
  const status = STATUS_NAMES[mip.status] ?? `status ${mip.status}`;
  if (proven) return { status, solveS, proven, incumbent, reference: incumbent, kind: 'optimum' };
  const lp = Math.floor(highs.solve(model.relaxation, { output_flag: false }).ObjectiveValue + 1e-6);
  const dual = Number.isFinite(mip.dualBound) && mip.dualBound > 0 ? Math.floor(mip.dualBound + 1e-6) : Infinity;
  return dual <= lp
    ? { status, solveS, proven, incumbent, reference: dual, kind: 'MIP bound' }
    : { status, solveS, proven, incumbent, reference: lp, kind: 'LP bound' };
}

/** The planner's quantity against the yardstick, naming which it is; without a proof, the ratio is a floor. */
function against(y: Yardstick, matched: number): string {
  const ratio = pct(matched / y.reference);
  if (y.proven) return `${ratio} of optimum`;
  return `>= ${ratio} of ${y.kind}${y.incumbent > 0 ? ` (${pct(matched / y.incumbent)} of incumbent)` : ''}`;
}

/** The yardstick itself: quantity, what it is, the solver's status and time. */
function yardstick(y: Yardstick, total: number): string {
  return `${pct(y.reference / total)} ${y.kind} (${y.status}, ${y.solveS.toFixed(1)} s)`;
}

async function main(): Promise<void> {
  const highs = await loadHighs();
  const only = args.get('only');
  console.log(`quality bench: planBatch and the sequential planner vs HiGHS MIP optimum of the batch; time limit ${TIME_LIMIT} s per solve; node ${process.version}`);
  console.log('both get the batch soonest-due first, as the matching queue orders it; "sequential" plans and reserves one order at a time, "arrival" does so in arrival order');
  console.log('instance   lines orders | planBatch matched (orders, splits, ms) | yardstick: optimum or bound (status, s) | planBatch/yardstick | vs 99% goal | sequential/yardstick (orders, splits, ms) | arrival/yardstick | quantities');
  for (const spec of INSTANCES) {
    if (only !== undefined && only !== spec.name) continue;
    const instance = buildInstance(spec);
    const arrival = runPlanner(instance, instance.orders);
    const sequential = runPlanner(instance, bySlack(instance.orders));
    const planner = runBatch(instance, bySlack(instance.orders));
    const model = batchModel(instance.lines, instance.orders, spec.horizon);
    const y = solve(highs, model);
    const total = instance.orders.reduce((s, o) => s + o.quantity, 0);
    const ratio = planner.matched / y.reference;
    console.log(
      `${spec.name.padEnd(10)} ${String(instance.lines.length).padStart(5)} ${String(spec.orders).padStart(6)} | ` +
      `${pct(planner.matched / total)} of demand (${planner.orders}, ${planner.splits}, ${planner.ms.toFixed(1)}) | ` +
      `${yardstick(y, total)} | ${against(y, planner.matched)} | ${(ratio / GOAL).toFixed(3)} | ` +
      `${pct(sequential.matched / y.reference)} (${sequential.orders}, ${sequential.splits}, ${sequential.ms.toFixed(1)}) | ` +
      `${pct(arrival.matched / y.reference)} | matched ${planner.matched} of ${y.reference}`,
    );
    console.log(`           model: ${model.columns} columns, ${model.binaries} binaries`);
  }
}

/** `planBatch` on each family of the generator, over seeds, against the optimum of each batch. */
async function familyQuality(): Promise<void> {
  const highs = await loadHighs();
  const seeds = (args.get('seeds') ?? '1,2,3').split(',').map(Number);
  const wanted = args.get('family');
  console.log(`instance families (support/families.ts), seeds ${seeds.join(', ')}: planBatch (soonest due first) vs HiGHS MIP optimum of each batch; goal ${pct(GOAL)}`);
  console.log('instance          lines orders | planBatch matched (orders, extra splits, ms) | yardstick: optimum or bound (status, s) | planBatch/yardstick | vs 99% goal | sequential/yardstick | quantities');
  const ratios: number[] = [];
  for (const family of FAMILIES) {
    if (wanted !== undefined && wanted !== family.name) continue;
    for (const seed of seeds) {
      const instance = buildFamily(family, seed);
      const sequence = bySlack(instance.orders);
      const planner = runBatch(instance, sequence);
      const sequential = runPlanner(instance, sequence);
      const y = solve(highs, batchModel(instance.lines, instance.orders, family.horizon));
      const total = instance.orders.reduce((s, o) => s + o.quantity, 0);
      // Without a proof of optimality the yardstick is a bound no plan can pass, so an instance
      // counts as meeting the goal only if it does so against the bound.
      const ratio = planner.matched / y.reference;
      ratios.push(ratio);
      console.log(
        `${instance.spec.name.padEnd(17)} ${String(instance.lines.length).padStart(5)} ${String(instance.orders.length).padStart(6)} | ` +
        `${pct(planner.matched / total)} of demand (${planner.orders}, ${planner.splits}, ${planner.ms.toFixed(1)}) | ` +
        `${yardstick(y, total)} | ${against(y, planner.matched)} | ${(ratio / GOAL).toFixed(3)} | ` +
        `${pct(sequential.matched / y.reference)} | matched ${planner.matched} of ${y.kind} ${y.reference}`,
      );
    }
  }
  const sorted = [...ratios].sort((a, b) => a - b);
  console.log(`families: ${ratios.filter((r) => r >= GOAL).length} of ${ratios.length} instances at >= ${pct(GOAL)} of the optimum (or of HiGHS's bound where it proved nothing); worst ${pct(sorted[0] ?? NaN)}, median ${pct(sorted[Math.floor(sorted.length / 2)] ?? NaN)}`);
}

/** Chains planned and reserved one after another, soonest due first, as the matching queue orders them: pieces delivered whole. */
function runChains(instance: ChainInstance, batch: boolean): { pieces: number; chains: number; ms: number } {
  const index = new MarketIndex({ horizon: instance.spec.horizon });
  for (const line of instance.lines) index.upsertLine(line);
  const sequence: ChainRequest[] = [...instance.chains].sort((a, b) => a.endDay - b.endDay || a.startDay - b.startDay);
  const start = performance.now();
  const results = batch ? index.planChainBatch(sequence) : sequence.map((req) => {
    const result = planChain(req, index);
    reserveChain(index, result);
    return result;
  });
  const ms = performance.now() - start;
  let pieces = 0;
  let chains = 0;
  results.forEach((result, i) => {
    if (!result.ok) return;
    pieces += sequence[i]?.stages[sequence[i].stages.length - 1]?.quantity ?? 0;
    chains++;
  });
  return { pieces, chains, ms };
}

async function chainQuality(): Promise<void> {
  const highs = await loadHighs();
  console.log('chain quality: planChainBatch over the batch soonest due first (and planChain chain by chain, as before), vs HiGHS MIP optimum of the same batch of two- and three-stage chains (pieces delivered on time)');
  console.log('instance    lines chains | planChainBatch pieces (chains, ms) | yardstick: optimum or bound (status, s) | batch/yardstick | vs 99% goal | chain by chain/yardstick (chains, ms)');
  for (const spec of CHAIN_INSTANCES) {
    const instance = buildChainInstance(spec);
    const planner = runChains(instance, true);
    const oneByOne = runChains(instance, false);
    const model = chainModel(instance.lines, instance.chains, spec.horizon);
    const y = solve(highs, model);
    const total = instance.chains.reduce((s, c) => s + (c.stages[c.stages.length - 1]?.quantity ?? 0), 0);
    console.log(
      `${spec.name.padEnd(11)} ${String(instance.lines.length).padStart(5)} ${String(spec.orders).padStart(6)} | ` +
      `${pct(planner.pieces / total)} of pieces (${planner.chains}, ${planner.ms.toFixed(1)}) | ` +
      `${yardstick(y, total)} | ${against(y, planner.pieces)} | ${(planner.pieces / y.reference / GOAL).toFixed(3)} | ` +
      `${against(y, oneByOne.pieces)} (${oneByOne.chains}, ${oneByOne.ms.toFixed(1)})`,
    );
    console.log(`            model: ${model.columns} columns, ${model.binaries} binaries`);
  }
}

/**
 * The reference market's shape (6,000 weaving mills with 540,000 looms, 1,500 sewing shops: about
 * 90 looms a mill, so some mills are small) cut to a size the quick run affords.
 */
const FAIRNESS_REFERENCE: InstanceSpec = { name: 'R-ref/150', factories: 40, looms: 3600, sewingFactories: 10, horizon: 20, orders: 150, pressure: 0.6, seed: 41 };

function fairnessCost(): void {
  const policy = { margin: Number(args.get('margin') ?? 2) / 100, targetShare: Number(args.get('target') ?? 0.3) };
  console.log(`fairness cost: orders planned one by one soonest due first, policy off vs on (margin ${pct(policy.margin)}, target share ${pct(policy.targetShare)} of orders); small = ≤ 50 looms and ≤ 30 operators`);
  console.log('instance   lines small/mills | matched off -> on (orders)       | small order share off -> on | small value share off -> on | Gini off -> on');
  const show = (f: FairnessFigures, total: number): string => `${pct(f.matched / total)} (${f.orders})`;
  for (const spec of [...INSTANCES, FAIRNESS_REFERENCE]) {
    const instance = buildInstance(spec);
    const sequence = bySlack(instance.orders);
    const off = runFairness(instance.lines, spec.horizon, sequence, null);
    const on = runFairness(instance.lines, spec.horizon, sequence, policy);
    const total = instance.orders.reduce((s, o) => s + o.quantity, 0);
    const mills = new Set(instance.lines.map((l) => l.factoryId)).size;
    console.log(
      `${spec.name.padEnd(10)} ${String(instance.lines.length).padStart(5)} ${`${smallFactories(instance.lines).size}/${mills}`.padStart(11)} | ` +
      `${show(off, total)} -> ${show(on, total)} | ${pct(off.smallOrderShare)} -> ${pct(on.smallOrderShare)} | ` +
      `${pct(off.smallValueShare)} -> ${pct(on.smallValueShare)} | ${off.gini.toFixed(3)} -> ${on.gini.toFixed(3)}`,
    );
  }
}

const run = args.has('ceilings')
  ? Promise.resolve(ceilingsReport())
  : args.get('only') === 'fairness' ? Promise.resolve().then(fairnessCost)
  : args.get('only') === 'chains' ? chainQuality()
  : args.get('only') === 'families' ? familyQuality()
  : main().then(async () => {
    if (args.get('only') !== undefined) return;
    await chainQuality();
    await familyQuality();
    ceilingsReport();
  });
run.catch((err: unknown) => {
  console.error(err);
  process.exitCode = 1;
});
