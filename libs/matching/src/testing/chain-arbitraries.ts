import fc from 'fast-check';
import { styleStages, type ChainRequest, type StyleSpec } from '../chain';
import type { CandidateLine, FinishingProcess, LineSpec } from '../types';

/**
 * Small random markets of looms, dye houses and sewing lines, and style orders over them: small
 * enough (a 12-day horizon, at most four lines a kind) to decide by brute force whether any
 * chain fits. Free capacity per day is drawn at a scale a stage can exhaust in a few days, so
 * that chains fit, miss by a stage, and miss by time about equally often.
 */

export const HORIZON = 12;

const weaving: LineSpec = { kind: 'weaving', machineType: 'rapier', machines: 2, rpm: 500, efficiency: 0.85, hoursPerDay: 22, maxWidthCm: 190 };
const sewing = (moq: number): LineSpec => ({ kind: 'sewing', operators: 10, minutesPerDay: 480, efficiency: 0.6, categories: ['tshirt'], fabricTypes: ['woven'], moq });
const finishing = (processes: FinishingProcess[], minBatchM: number): LineSpec => ({ kind: 'finishing', processes, metersPerDay: 400, minBatchM, maxWidthCm: 190 });

/** Units a day: weaving 2,000 picks a meter (picksPerCm 20), finishing 1 a meter, sewing 10 minutes a piece. */
const SCALE = { weaving: 400_000, finishing: 300, sewing: 3000 } as const;

const free = (scale: number) => fc.array(fc.oneof(fc.constant(0), fc.integer({ min: 0, max: scale })), { minLength: HORIZON, maxLength: HORIZON });

function linesOf(kind: 'weaving' | 'finishing' | 'sewing', minimums: boolean): fc.Arbitrary<CandidateLine[]> {
  const spec: fc.Arbitrary<LineSpec> = kind === 'weaving'
    ? fc.constant(weaving)
    : kind === 'sewing'
      ? fc.constantFrom(...(minimums ? [0, 100, 300] : [0])).map(sewing)
      : fc.tuple(fc.constantFrom<FinishingProcess[]>(['dyeing'], ['printing'], ['dyeing', 'printing']), fc.constantFrom(...(minimums ? [0, 200, 600] : [0])))
        .map(([p, b]) => finishing(p, b));
  return fc.array(fc.record({
    spec, free: free(SCALE[kind]), rate: fc.constantFrom(0.8, 1, 1.5), verified: fc.oneof({ arbitrary: fc.constant(true), weight: 9 }, { arbitrary: fc.constant(false), weight: 1 }),
  }), { minLength: 1, maxLength: 4 }).map((rows) => rows.map((r, i) => ({
    lineId: `${kind[0]}${i}`, factoryId: `F-${kind}-${i % 2}`, spec: r.spec, ratePerUnit: r.rate, certifications: [],
    factoryVerified: r.verified, factoryActive: true, record: { onTimeRate: 0.9, acceptanceRate: 0.9 }, load: 0, free: r.free,
  })));
}

export interface ChainCase {
  readonly lines: CandidateLine[];
  readonly request: ChainRequest;
}

/** `minimums`: lines with a moq or minimum batch, and orders with a minimum split (the brute force does not decide those). */
export const chainCase = (minimums = false): fc.Arbitrary<ChainCase> => fc.record({
  weaving: linesOf('weaving', minimums),
  finishing: linesOf('finishing', minimums),
  sewing: linesOf('sewing', minimums),
  pieces: fc.integer({ min: 1, max: 600 }),
  process: fc.option(fc.constantFrom<FinishingProcess>('dyeing', 'printing'), { nil: undefined }),
  transitDays: fc.integer({ min: 0, max: 3 }),
  startDay: fc.integer({ min: 0, max: 3 }),
  length: fc.integer({ min: 2, max: 10 }),
  maxSplits: fc.integer({ min: 1, max: 3 }),
  minSplit: minimums ? fc.option(fc.integer({ min: 1, max: 300 }), { nil: undefined }) : fc.constant(undefined),
}).map((c) => {
  const style: StyleSpec = {
    garment: { category: 'tshirt', fabricType: 'woven', samMinutes: 10 },
    fabric: { fiber: 'cotton', weave: 'plain', widthCm: 160, picksPerCm: 20 },
    fabricPerPieceM: 1.2, wastagePct: 3,
    ...(c.process === undefined ? {} : { finishing: { process: c.process } }),
  };
  return {
    lines: [...c.weaving, ...c.finishing, ...c.sewing],
    request: {
      stages: styleStages(style, c.pieces, { maxSplits: c.maxSplits, minSplitQuantity: c.minSplit }),
      startDay: c.startDay, endDay: Math.min(HORIZON - 1, c.startDay + c.length), transitDays: c.transitDays,
    },
  };
});
