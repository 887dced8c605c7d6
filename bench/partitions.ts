import { MarketIndex, matchPartitionOf, type PlanRequest, type PlanResult, SeedRng } from '@cloudloom/matching';
import { parseFlags } from './support/cli';
import { buildMarket, REFERENCE } from './support/market';
import { buildOrders } from './support/orders';

/**
 * Matchers racing for the same lines, simulated (ADR 0003, docs/scaling.md). W matchers each keep
 * their own copy of the market, as the workers do. Every round each takes a batch of orders (from
 * one shared queue, or from the queues of the partitions it leads), plans it on its copy, and the
 * batches commit one after another, in a seeded order, against the one true ledger: a plan whose
 * loom-days another batch took first loses the race and its order goes back to its queue, as the
 * database's conditional updates make it. After a round every copy reads the touched lines again
 * (the workers' snapshot refresh). Counted: lost races per 1,000 matched orders, planning work
 * (lines visited, the planner's own deterministic measure) per matched order, and the share of
 * orders the busiest partition gets, which bounds how far partitions can spread the work.
 *
 *   npm run bench:partitions -- [--factories 1500] [--orders 6000] [--batch 32] [--matchers 1,2,4,8,16] [--seed 1]
 */

const args = parseFlags(process.argv.slice(2));
const FACTORIES = Number(args.get('factories') ?? 1500);
const ORDERS = Number(args.get('orders') ?? 6000);
const BATCH = Number(args.get('batch') ?? 32);
const MATCHERS = (args.get('matchers') ?? '1,2,4,8,16').split(',').map(Number);
const SEED = Number(args.get('seed') ?? 1);

const shape = { ...REFERENCE, factories: FACTORIES, looms: FACTORIES * 90, sewingFactories: Math.round(FACTORIES / 4) };
const lines = buildMarket(shape, SEED);
const orders = buildOrders({ garmentShare: 0.3, scarceShare: 0.05, horizon: shape.horizon }, ORDERS, SEED + 1);
const log = (line: string): void => void process.stdout.write(`${line}\n`);

interface Outcome {
  readonly matched: number;
  readonly lost: number;
  readonly work: number;
  readonly rounds: number;
}

function indexOf(): MarketIndex {
  const index = new MarketIndex({ horizon: shape.horizon, initialLines: lines.length });
  for (const line of lines) index.upsertLine(line);
  return index;
}

/**
 * One run: `matchers` matchers; `partitions` 0 for one shared queue, else each matcher leads the
 * partitions p with p % matchers === its number (the fair share the leadership converges to).
 */
function simulate(matchers: number, partitions: number): Outcome {
  const truth = indexOf();
  const copies = Array.from({ length: matchers }, indexOf);
  const queues: PlanRequest[][] = Array.from({ length: Math.max(partitions, 1) }, () => []);
  for (const o of orders) queues[partitions === 0 ? 0 : matchPartitionOf(o.order, partitions)]!.push(o);
  const rng = new SeedRng(SEED + 7);
  let matched = 0;
  let lost = 0;
  let rounds = 0;
  const take = (m: number): PlanRequest[] => {
    if (partitions === 0) return queues[0]!.splice(0, BATCH);
    const mine = queues.filter((_, p) => p % matchers === m);
    const batch: PlanRequest[] = [];
    // Round-robin over the matcher's partitions, so one busy partition does not starve another.
    while (batch.length < BATCH && mine.some((q) => q.length > 0)) for (const q of mine) if (q.length > 0 && batch.length < BATCH) batch.push(q.shift()!);
    return batch;
  };
  while (queues.some((q) => q.length > 0)) {
    rounds++;
    const planned: { m: number; batch: PlanRequest[]; plans: PlanResult[] }[] = [];
    for (let m = 0; m < matchers; m++) {
      const batch = take(m);
      if (batch.length > 0) planned.push({ m, batch, plans: copies[m]!.planBatch(batch) });
    }
    const touched = new Set<string>();
    for (const { batch, plans } of shuffled(planned, rng)) {
      plans.forEach((plan, i) => {
        if (!plan.ok) return;
        for (const a of plan.allocations) touched.add(a.lineId);
        try {
          truth.reservePlan(plan);
          matched++;
        } catch {
          // Lost: another batch committed these loom-days first; the order is planned again next round.
          lost++;
          const order = batch[i]!;
          queues[partitions === 0 ? 0 : matchPartitionOf(order.order, partitions)]!.unshift(order);
        }
      });
    }
    for (const copy of copies) for (const lineId of touched) for (let d = 0; d < shape.horizon; d++) copy.setFree(lineId, d, truth.freeOn(lineId, d));
  }
  return { matched, lost, work: copies.reduce((s, c) => s + c.work, 0), rounds };
}

/** Fisher-Yates: which batch commits first in a round is luck of timing, seeded here. */
function shuffled<T>(items: readonly T[], rng: SeedRng): T[] {
  const out = [...items];
  for (let i = out.length - 1; i > 0; i--) {
    const j = rng.int(0, i);
    [out[i], out[j]] = [out[j]!, out[i]!];
  }
  return out;
}

function busiestShare(partitions: number): number {
  const counts = new Array<number>(partitions).fill(0);
  for (const o of orders) counts[matchPartitionOf(o.order, partitions)]! += 1;
  return Math.max(...counts) / orders.length;
}

log(`matchers racing, simulated: ${FACTORIES} weaving mills (${lines.length.toLocaleString('en-US')} lines), ${ORDERS.toLocaleString('en-US')} orders, batches of ${BATCH}, seed ${SEED}`);
log('matchers | queue        | lost races / 1,000 matched | lines visited / matched | matched | rounds');
for (const w of MATCHERS) {
  for (const partitions of w === 1 ? [0] : [0, Math.max(w, 4)]) {
    const r = simulate(w, partitions);
    const how = partitions === 0 ? 'shared' : `${partitions} partitions`;
    log(`${String(w).padStart(8)} | ${how.padEnd(12)} | ${((r.lost * 1000) / Math.max(r.matched, 1)).toFixed(1).padStart(26)} | ${(r.work / Math.max(r.matched, 1)).toFixed(0).padStart(23)} | ${String(r.matched).padStart(7)} | ${r.rounds}`);
  }
}
log('partitions | busiest partition\'s share of orders | most speed-up partitions allow (1 / share)');
for (const p of [2, 4, 8, 16]) {
  const share = busiestShare(p);
  log(`${String(p).padStart(10)} | ${(share * 100).toFixed(1).padStart(34)} % | ${(1 / share).toFixed(2)}`);
}
