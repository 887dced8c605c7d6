import type { AllocationEntity, OrderEntity, OrderExplanation, OrderStatus } from '@cloudloom/persistence';
import type { FabricSpec, GarmentSpec, ScoreParts } from '@cloudloom/matching';

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

export function orderView(order: OrderEntity, allocations: readonly AllocationEntity[]): OrderView {
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
    explanation: order.explanation,
    createdAt: order.createdAt.toISOString(),
    updatedAt: order.updatedAt.toISOString(),
  };
}
