import fc from 'fast-check';
import {
  FABRIC_TYPES, FIBERS, MACHINE_TYPES, WEAVES,
  type CandidateLine, type GarmentCategory, type LineSpec, type OrderSpec, type PlanRequest,
} from '../types';

/**
 * Random markets and orders small enough to check by brute force. Values are drawn from narrow
 * sets so that most lines can make most orders: otherwise nearly every case is "no capable line"
 * and the capacity rules go untested.
 */

const CERTS = ['OEKO-TEX', 'GRS', 'GOTS'] as const;
const ORDER_FIBERS = ['cotton', 'polyester', 'wool'] as const;
const ORDER_CATEGORIES = ['tshirt', 'shirt'] as const;

const weaving: fc.Arbitrary<LineSpec> = fc.record({
  kind: fc.constant('weaving' as const),
  machineType: fc.constantFrom(...MACHINE_TYPES),
  machines: fc.integer({ min: 1, max: 4 }),
  rpm: fc.integer({ min: 300, max: 900 }),
  efficiency: fc.constantFrom(0.85, 0.7),
  hoursPerDay: fc.constantFrom(22, 16),
  maxWidthCm: fc.constantFrom(150, 190, 230, 280, 340),
  fibers: fc.option(fc.subarray([...FIBERS], { minLength: 1 }), { nil: undefined, freq: 4 }),
});

const sewing: fc.Arbitrary<LineSpec> = fc.record({
  kind: fc.constant('sewing' as const),
  operators: fc.integer({ min: 1, max: 30 }),
  minutesPerDay: fc.constantFrom(480, 420),
  efficiency: fc.constantFrom(0.6, 0.5),
  categories: fc.subarray<GarmentCategory>([...ORDER_CATEGORIES, 'dress'], { minLength: 1 }),
  fabricTypes: fc.subarray([...FABRIC_TYPES], { minLength: 1 }),
  moq: fc.constantFrom(0, 0, 50, 200),
});

/** Free units are drawn per day at a scale the order's demand can actually exhaust. */
const freeUnits = (scale: number, days: number) => fc.array(fc.oneof(fc.constant(0), fc.integer({ min: 0, max: scale })), { minLength: days - 4, maxLength: days });

export const candidateLine = (id: string, kind: OrderSpec['kind']): fc.Arbitrary<CandidateLine> =>
  fc.oneof({ arbitrary: weaving, weight: kind === 'fabric' ? 5 : 1 }, { arbitrary: sewing, weight: kind === 'garment' ? 5 : 1 }).chain((spec) =>
    fc.record({
      lineId: fc.constant(id),
      factoryId: fc.constantFrom('f1', 'f2', 'f3', 'f4'),
      spec: fc.constant(spec),
      ratePerUnit: fc.constantFrom(0.8, 1, 1.2, 1.5),
      certifications: fc.oneof({ arbitrary: fc.constant([...CERTS]), weight: 3 }, { arbitrary: fc.subarray([...CERTS]), weight: 1 }),
      factoryVerified: fc.oneof({ arbitrary: fc.constant(true), weight: 9 }, { arbitrary: fc.constant(false), weight: 1 }),
      factoryActive: fc.oneof({ arbitrary: fc.constant(true), weight: 9 }, { arbitrary: fc.constant(false), weight: 1 }),
      record: fc.record({ onTimeRate: fc.constantFrom(0.5, 0.8, 0.95), acceptanceRate: fc.constantFrom(0.6, 0.9) }),
      load: fc.constantFrom(0, 0.2, 0.5, 0.9),
      free: freeUnits(spec.kind === 'weaving' ? 600_000 : 3000, 16),
    }),
  );

export const market = (kind: OrderSpec['kind'], min = 0, max = 12): fc.Arbitrary<CandidateLine[]> => fc
  .integer({ min, max })
  .chain((n) => fc.tuple(...Array.from({ length: n }, (_, i) => candidateLine(`L${String(i).padStart(2, '0')}`, kind))))
  .map((lines) => [...lines]);

export const orderSpec: fc.Arbitrary<OrderSpec> = fc.oneof(
  fc.record({
    kind: fc.constant('fabric' as const),
    fabric: fc.record({
      fiber: fc.constantFrom(...ORDER_FIBERS), weave: fc.oneof({ arbitrary: fc.constantFrom('plain' as const, 'twill' as const), weight: 4 }, { arbitrary: fc.constantFrom(...WEAVES), weight: 1 }),
      widthCm: fc.constantFrom(140, 160, 180, 260), picksPerCm: fc.constantFrom(12, 20.5, 33),
    }),
  }),
  fc.record({
    kind: fc.constant('garment' as const),
    garment: fc.record({
      category: fc.constantFrom(...ORDER_CATEGORIES), fabricType: fc.constantFrom(...FABRIC_TYPES),
      samMinutes: fc.constantFrom(6, 12.5, 33.3),
    }),
  }),
);

export const planRequest = (order: OrderSpec, lineIds: readonly string[]): fc.Arbitrary<PlanRequest> =>
  fc.record({
    order: fc.constant(order),
    quantity: fc.integer({ min: 1, max: 1500 }),
    startDay: fc.integer({ min: -2, max: 12 }),
    length: fc.integer({ min: 0, max: 14 }),
    maxSplits: fc.integer({ min: 1, max: 4 }),
    minSplitQuantity: fc.option(fc.integer({ min: 1, max: 400 }), { nil: undefined }),
    certifications: fc.option(fc.subarray([...CERTS], { maxLength: 2 }), { nil: undefined, freq: 3 }),
    excludedLineIds: fc.oneof({ arbitrary: fc.constant([]), weight: 3 }, { arbitrary: fc.subarray([...lineIds], { maxLength: Math.min(2, lineIds.length) }), weight: 1 }),
  }).map(({ length, ...r }) => ({ ...r, endDay: r.startDay + length }));

export const marketAndRequest: fc.Arbitrary<[CandidateLine[], PlanRequest]> = orderSpec.chain((order) =>
  market(order.kind).chain((lines) => fc.tuple(fc.constant(lines), planRequest(order, lines.map((l) => l.lineId)))));

/** Markets past the size at which split planning shortlists its lines. */
export const largeMarketAndRequest: fc.Arbitrary<[CandidateLine[], PlanRequest]> = orderSpec.chain((order) =>
  market(order.kind, 60, 160).chain((lines) => fc.tuple(fc.constant(lines), planRequest(order, lines.map((l) => l.lineId)))));
