import type {
  CandidateLine, FabricSpec, FinishingLineSpec, FinishingSpec, GarmentSpec, OrderSpec, PlanRequest, ProductSpec, SewingLineSpec,
  WeavingLineSpec,
} from '../types';

/** Builders for specs: sensible defaults, every field overridable. */

export function weavingSpec(over: Partial<WeavingLineSpec> = {}): WeavingLineSpec {
  return { kind: 'weaving', machineType: 'rapier', machines: 10, rpm: 500, efficiency: 0.85, hoursPerDay: 22, maxWidthCm: 190, ...over };
}

export function sewingSpec(over: Partial<SewingLineSpec> = {}): SewingLineSpec {
  return {
    kind: 'sewing', operators: 20, minutesPerDay: 480, efficiency: 0.6,
    categories: ['tshirt', 'shirt'], fabricTypes: ['knit', 'woven'], moq: 0, ...over,
  };
}

export function finishingSpec(over: Partial<FinishingLineSpec> = {}): FinishingLineSpec {
  return { kind: 'finishing', processes: ['dyeing'], metersPerDay: 5000, minBatchM: 0, maxWidthCm: 200, ...over };
}

export function line(lineId: string, over: Partial<CandidateLine> = {}): CandidateLine {
  return {
    lineId, factoryId: `f-${lineId}`, spec: weavingSpec(), ratePerUnit: 1, certifications: [],
    factoryVerified: true, factoryActive: true, record: { onTimeRate: 0.9, acceptanceRate: 0.9 }, load: 0,
    free: new Array<number>(30).fill(1_000_000), ...over,
  };
}

export function fabric(over: Partial<FabricSpec> = {}): OrderSpec {
  return { kind: 'fabric', fabric: { fiber: 'cotton', weave: 'plain', widthCm: 160, picksPerCm: 20, ...over } };
}

export function garment(over: Partial<GarmentSpec> = {}): OrderSpec {
  return { kind: 'garment', garment: { category: 'tshirt', fabricType: 'knit', samMinutes: 10, ...over } };
}

export function finishing(over: Partial<FinishingSpec> = {}): ProductSpec {
  return { kind: 'finishing', finishing: { process: 'dyeing', widthCm: 160, ...over } };
}

export function request(over: Partial<PlanRequest> = {}): PlanRequest {
  return { order: fabric(), quantity: 1000, startDay: 1, endDay: 20, maxSplits: 3, ...over };
}

/** Days `from`..`to` hold `units` each, all other days nothing. */
export function freeDays(length: number, from: number, to: number, units: number): number[] {
  return Array.from({ length }, (_, d) => (d >= from && d <= to ? units : 0));
}
