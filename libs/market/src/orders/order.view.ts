import type { AllocationEntity, OrderEntity, OrderExplanation, OrderStatus } from '@cloudloom/persistence';
import type { FabricSpec, GarmentSpec, ScoreParts } from '@cloudloom/matching';
import { daysBetween } from '../core/clock';

export interface AllocationView {
  id: string;
  orderId: string;
  factoryId: string;
  lineId: string;
  quantity: number;
  demand: number;
  startDate: string;
  endDate: string;
  status: AllocationEntity['status'];
  expiresAt?: string;
  score: number;
  scoreParts: ScoreParts;
  price: number;
  producedQuantity: number;
}

export interface OrderView {
  id: string;
  brandId: string;
  kind: OrderEntity['kind'];
  status: OrderStatus;
  fabric?: FabricSpec;
  garment?: GarmentSpec;
  quantity: number;
  earliestStart: string;
  dueDate: string;
  maxSplits: number;
  minSplitQuantity?: number;
  certifications: string[];
  targetPrice?: number;
  allocations: AllocationView[];
  /** What the brand follows: produced of total, and when the plan says it will be done. */
  progress: {
    producedQuantity: number;
    quantity: number;
    expectedCompletion: string | null;
    onTime: boolean | null;
    /** From the looms' observed rate where they report, else the plan; null while nothing is being woven. */
    forecastCompletion: string | null;
    /** low: two days or more to spare; medium: done by the due date; high: late, or stopped. */
    onTimeRisk: 'low' | 'medium' | 'high' | null;
  };
  explanation: OrderExplanation | null;
  createdAt: string;
  updatedAt: string;
}

export function allocationView(a: AllocationEntity): AllocationView {
  return {
    id: a.id,
    orderId: a.orderId,
    factoryId: a.factoryId,
    lineId: a.lineId,
    quantity: a.quantity,
    demand: a.demand,
    startDate: a.startDate,
    endDate: a.endDate,
    status: a.status,
    ...(a.expiresAt && a.status === 'offered' ? { expiresAt: a.expiresAt.toISOString() } : {}),
    score: a.score,
    scoreParts: a.scoreParts,
    price: a.price,
    producedQuantity: a.producedQuantity,
  };
}

const HOLDING = new Set<AllocationEntity['status']>(['offered', 'accepted', 'in_production', 'produced']);

/** Telemetry forecasts per allocation (libs/market telemetry `forecastAllocations`); null: stopped. */
export type AllocationForecasts = ReadonlyMap<string, string | null>;

function progressOf(order: OrderEntity, allocations: readonly AllocationEntity[], forecasts: AllocationForecasts): OrderView['progress'] {
  const live = allocations.filter((a) => HOLDING.has(a.status));
  const expectedCompletion = live.length > 0 ? live.map((a) => a.endDate).sort().at(-1)! : null;
  const open = live.filter((a) => a.status !== 'produced');
  const dates = open.map((a) => (forecasts.has(a.id) ? (forecasts.get(a.id) ?? null) : a.endDate));
  const known = dates.filter((d): d is string => d !== null).sort();
  const stopped = known.length < dates.length;
  const forecastCompletion = stopped ? null : (known.at(-1) ?? expectedCompletion);
  const slack = forecastCompletion === null ? null : daysBetween(forecastCompletion, order.dueDate);
  return {
    forecastCompletion,
    onTimeRisk: live.length === 0 ? null : slack === null || slack < 0 ? 'high' : slack < 2 ? 'medium' : 'low',
    producedQuantity: live.reduce((sum, a) => sum + a.producedQuantity, 0),
    quantity: order.quantity,
    expectedCompletion,
    onTime: expectedCompletion === null ? null : expectedCompletion <= order.dueDate,
  };
}

export function orderView(order: OrderEntity, allocations: readonly AllocationEntity[], forecasts: AllocationForecasts = new Map()): OrderView {
  return {
    id: order.id,
    brandId: order.brandId,
    kind: order.kind,
    status: order.status,
    ...(order.spec.kind === 'fabric' ? { fabric: order.spec.fabric } : { garment: order.spec.garment }),
    quantity: order.quantity,
    earliestStart: order.earliestStart,
    dueDate: order.dueDate,
    maxSplits: order.maxSplits,
    ...(order.minSplitQuantity !== null ? { minSplitQuantity: order.minSplitQuantity } : {}),
    certifications: order.certifications,
    ...(order.targetPrice !== null ? { targetPrice: order.targetPrice } : {}),
    allocations: allocations.map(allocationView),
    progress: progressOf(order, allocations, forecasts),
    explanation: order.explanation,
    createdAt: order.createdAt.toISOString(),
    updatedAt: order.updatedAt.toISOString(),
  };
}
