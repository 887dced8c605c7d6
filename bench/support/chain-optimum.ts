import {
  dailyCapacity, lineMinimum, lineMismatch, SeedRng, styleStages, unitsPerQuantity, type CandidateLine, type ChainRequest,
} from '@cloudloom/matching';
import { buildFinishing } from './chains';
import { productFor } from './instances';
import { buildMarket } from './market';
import { lpModel, wrap, type Model } from './optimum';

/**
 * Chain quality instances: a small market of looms, dye houses and sewing lines, and style
 * orders drawn from its real lines (some loom weaves the fabric, some range finishes it, some
 * line sews it), sized by `pressure` against the slowest stage's line over the window.
 */
export interface ChainInstanceSpec {
  readonly name: string;
  readonly factories: number;
  readonly looms: number;
  readonly sewingFactories: number;
  readonly dyeHouses: number;
  readonly horizon: number;
  readonly orders: number;
  readonly pressure: number;
  /** Share of orders with a finishing stage (three stages); the rest have two. */
  readonly finishingShare: number;
  readonly seed: number;
}

export interface ChainInstance {
  readonly spec: ChainInstanceSpec;
  readonly lines: readonly CandidateLine[];
  readonly chains: readonly ChainRequest[];
}

export function buildChainInstance(spec: ChainInstanceSpec): ChainInstance {
  const lines = [
    ...buildMarket({ factories: spec.factories, looms: spec.looms, loomsPerLine: [20, 60], sewingFactories: spec.sewingFactories, horizon: spec.horizon, freeShare: [0.2, 1], closedDay: 0.15 }, spec.seed),
    ...buildFinishing(spec.dyeHouses, spec.horizon, spec.seed),
  ];
  const of = (kind: CandidateLine['spec']['kind']) => lines.filter((l) => l.spec.kind === kind);
  const [looms, sewing, finishing] = [of('weaving'), of('sewing'), of('finishing')];
  const rng = new SeedRng(spec.seed * 7919 + 3);
  const chains = Array.from({ length: spec.orders }, (): ChainRequest => {
    const loom = rng.pick(looms);
    const sew = rng.pick(sewing);
    const fabric = productFor(rng, loom);
    const garment = productFor(rng, sew);
    if (fabric.kind !== 'fabric' || garment.kind !== 'garment') throw new Error('a loom makes fabric and a sewing line garments');
    const range = rng.chance(spec.finishingShare) ? rng.pick(finishing) : undefined;
    const process = range?.spec.kind === 'finishing' ? rng.pick(range.spec.processes) : undefined;
    const fabricPerPieceM = Math.round(rng.range(0.8, 2) * 10) / 10;
    const startDay = rng.int(0, 2);
    const endDay = Math.min(spec.horizon - 1, startDay + rng.int(6, spec.horizon - 3));
    const transitDays = rng.int(0, 2);
    // Pieces the slowest stage's drawn line could make in a share of the window (stages take turns in it).
    const days = (endDay - startDay + 1) / (range ? 3 : 2);
    const perPiece = (line: CandidateLine, units: number) => (dailyCapacity(line.spec) * 0.6 * days) / units;
    const fabricUnits = unitsPerQuantity(fabric) * fabricPerPieceM * 1.03;
    const slowest = Math.min(perPiece(loom, fabricUnits), perPiece(sew, unitsPerQuantity(garment)), range ? perPiece(range, fabricPerPieceM * 1.03) : Infinity);
    const pieces = Math.max(1, Math.round(rng.range(0.2, 1.2) * spec.pressure * slowest));
    const style = {
      garment: garment.garment, fabric: { ...fabric.fabric, widthCm: Math.min(fabric.fabric.widthCm, range?.spec.kind === 'finishing' ? range.spec.maxWidthCm : Infinity) },
      fabricPerPieceM, wastagePct: 3, ...(process ? { finishing: { process } } : {}),
    };
    return { stages: styleStages(style, pieces, { maxSplits: 2 }), startDay, endDay, transitDays };
  });
  return { spec, lines, chains };
}

/**
 * The batch of chains as a MIP in CPLEX LP format, under the chain planner's hard rules:
 * maximize the pieces of chains matched whole (z_o), each stage over at most maxSplits lines,
 * each split at least its minimum, demand laid on free line-days, no line-day over-reserved
 * across all stages of all chains, and time: binary e_{o,s,t} picks the day by which stage s ends;
 * a day d is usable by stage s only if its end is on or after d and stage s-1 ended by d - transit.
 * Units are continuous (picks in thousands), which relaxes the planner's rounding: the optimum
 * may be very slightly optimistic.
 */
export function chainModel(lines: readonly CandidateLine[], chains: readonly ChainRequest[], horizon: number): Model {
  const objective: string[] = [];
  const rows: string[] = [];
  const bounds: string[] = [];
  const binaries: string[] = [];
  const generals: string[] = [];
  const dayUse = new Map<string, string[]>();
  let columns = 0;
  const scaleOf = (l: CandidateLine): number => (l.spec.kind === 'weaving' ? 1000 : 1);
  chains.forEach((chain, o) => {
    const pieces = chain.stages[chain.stages.length - 1]?.quantity ?? 0;
    const from = Math.max(0, chain.startDay);
    const to = Math.min(chain.endDay, horizon - 1);
    objective.push(`${pieces} z${o}`);
    binaries.push(`z${o}`);
    columns++;
    chain.stages.forEach((stage, s) => {
      const ends: string[] = [];
      for (let t = from; t <= to; t++) {
        ends.push(`+ e${o}_${s}_${t}`);
        binaries.push(`e${o}_${s}_${t}`);
      }
      rows.push(`end${o}_${s}: ${wrap(ends)} - 1 z${o} = 0`);
      const perItem = unitsPerQuantity(stage.order) / (stage.order.kind === 'fabric' ? 1000 : 1);
      const cover: string[] = [`- ${stage.quantity} z${o}`];
      const splits: string[] = [];
      lines.forEach((line, l) => {
        if (lineMismatch(line, stage.order, stage.certifications) !== null) return;
        const days: number[] = [];
        for (let d = from; d <= to; d++) if ((line.free[d] ?? 0) > 0) days.push(d);
        const scale = scaleOf(line);
        const cap = Math.min(stage.quantity, Math.floor(days.reduce((sum, d) => sum + (line.free[d] ?? 0), 0) / scale / perItem));
        const lo = Math.max(stage.minSplitQuantity ?? 1, lineMinimum(line.spec));
        if (cap < Math.min(lo, stage.quantity) || cap === 0) return;
        const y = `y${o}_${s}_${l}`;
        const q = `q${o}_${s}_${l}`;
        binaries.push(y);
        generals.push(q);
        cover.push(`+ ${q}`);
        splits.push(`+ ${y}`);
        bounds.push(`0 <= ${q} <= ${cap}`);
        rows.push(`up${o}_${s}_${l}: ${q} - ${cap} ${y} <= 0`);
        rows.push(lo > stage.quantity ? `lo${o}_${s}_${l}: ${q} - ${stage.quantity} ${y} = 0` : `lo${o}_${s}_${l}: ${q} - ${lo} ${y} >= 0`);
        const units = days.map((d) => {
          const u = `u${o}_${s}_${l}_${d}`;
          const free = (line.free[d] ?? 0) / scale;
          dayUse.set(`${l}_${d}`, [...(dayUse.get(`${l}_${d}`) ?? []), u]);
          rows.push(`link${o}_${s}_${l}_${d}: ${u} - ${free} ${y} <= 0`);
          // Day d only if this stage ends on or after it ...
          const later: string[] = [];
          for (let t = d; t <= to; t++) later.push(`- ${free} e${o}_${s}_${t}`);
          rows.push(`late${o}_${s}_${l}_${d}: ${u} ${wrap(later)} <= 0`);
          // ... and the stage before ended by d - transit.
          if (s > 0) {
            const before: string[] = [];
            for (let t = from; t <= d - chain.transitDays; t++) before.push(`- ${free} e${o}_${s - 1}_${t}`);
            rows.push(before.length > 0 ? `after${o}_${s}_${l}_${d}: ${u} ${wrap(before)} <= 0` : `after${o}_${s}_${l}_${d}: ${u} <= 0`);
          }
          return `+ ${u}`;
        });
        rows.push(`dem${o}_${s}_${l}: ${wrap(units)} - ${perItem} ${q} >= 0`);
        columns += 2 + days.length;
      });
      rows.push(`cover${o}_${s}: ${wrap(cover)} = 0`);
      if (splits.length > 0) rows.push(`splits${o}_${s}: ${wrap(splits)} <= ${stage.maxSplits}`);
      columns += to - from + 1;
    });
  });
  for (const [key, us] of dayUse) {
    const [l, d] = key.split('_').map(Number) as [number, number];
    const line = lines[l];
    rows.push(`cap${key}: ${wrap(us.map((u) => `+ ${u}`))} <= ${line ? (line.free[d] ?? 0) / scaleOf(line) : 0}`);
  }
  return lpModel({ objective, rows, bounds, binaries, generals }, columns);
}
