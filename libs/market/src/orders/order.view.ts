import type { LastChange } from '../events/actors';
import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import {
  ALLOCATION_STATUSES, type AllocationEntity, type AllocationStage, type AllocationStatus, ORDER_KINDS, ORDER_STATUSES, STAGE_KINDS, type StoredStyle, type OrderEntity, type OrderExplanation, type OrderStatus,
  REJECT_REASON_CODES, type RejectReasonCode,
} from '@cloudloom/persistence';
import { fabricMetersFor, FINISHING_PROCESSES, FABRIC_TYPES, type FabricSpec, type FabricType, GARMENT_CATEGORIES, type GarmentCategory, type GarmentSpec, PLAN_NOTE_CODES, type PlanNoteCode, REASON_CODES, type ReasonCode, type ScoreParts, type SizeBreakdown, sizeShares } from '@cloudloom/matching';
import { addDays, daysBetween } from '../core/clock';
import { AHEAD, EXAMPLE } from '../core/openapi-examples';
import { FabricDto } from './orders.dto';
import { type Allocation as ApiAllocation, APPROVAL_REASON_CODES, type ApprovalReasonCode, type ApprovalReasonParams, type Counter, type NumberedPage, type Order as ApiOrder, type OrderEvent, type OrderStage as ApiOrderStage, PRICE_COVERS, type PriceCovers, type PriceUnit, type SizeCount, type StageInput } from '@cloudloom/contracts';

export const FABRIC_EXAMPLE: FabricSpec = { fiber: 'cotton', weave: 'twill', widthCm: 150, picksPerCm: 30 };

/**
 * The matcher's own types (libs/matching, libs/persistence) stay free of any framework; these
 * classes document them for OpenAPI, and `implements` holds them to the same fields.
 */
class ScorePartsSchema implements ScoreParts {
  @ApiProperty({ example: 1, description: 'fewer splits score higher' }) splits!: number;
  @ApiProperty({ example: 0.8, description: 'on-time slack' }) slack!: number;
  @ApiProperty({ example: 0.6 }) price!: number;
  @ApiProperty({ example: 0.7, description: "the factory's on-time and acceptance record" }) record!: number;
  @ApiProperty({ example: 0.5, description: 'spread of load: a small mill gets work too' }) loadSpread!: number;
}

type Reason = NonNullable<OrderExplanation['reasons']>[number];
type ClosestMiss = NonNullable<OrderExplanation['closestMiss']>;

export class ReasonSchema implements Omit<Reason, 'lines'> {
  @ApiProperty({ enum: REASON_CODES, example: 'INSUFFICIENT_CAPACITY_BEFORE_DUE' }) code!: ReasonCode;
  @ApiProperty({ example: 'the best plan covers 62% by the due date' }) message!: string;
}

class ExplanationReasonSchema extends ReasonSchema implements Reason {
  @ApiProperty({ example: 0, description: 'candidate lines this reason ruled out (0 for plan-level reasons)' }) lines!: number;
}

export class CoverageSchema implements Omit<ClosestMiss, 'linesConsidered'> {
  @ApiProperty({ example: 0.62, description: 'share of the order the best feasible plan covers by the due date' }) coveredFraction!: number;
  @ApiProperty({ example: 1860 }) coveredQuantity!: number;
  @ApiPropertyOptional({ example: 31200, description: 'when price was the reason: the cheapest feasible plan found, CNY for what was planned' }) cheapestPrice?: number;
}

class ClosestMissSchema extends CoverageSchema implements ClosestMiss {
  @ApiProperty({ example: 14 }) linesConsidered!: number;
}

class FailedStageSchema implements NonNullable<OrderExplanation['failedStage']> {
  @ApiProperty({ example: 2, description: "the stage's place in the chain, from 0" }) index!: number;
  @ApiProperty({ enum: STAGE_KINDS, example: 'sewing' }) kind!: AllocationStage;
  @ApiProperty({ format: 'date', example: EXAMPLE.date, description: 'when its input would arrive at the earliest' }) inputReadyDate!: string;
}

class PlanNoteSchema {
  @ApiProperty({ enum: PLAN_NOTE_CODES, example: 'PREFERENCE_YIELDED_TO_BATCH' }) code!: PlanNoteCode;
  @ApiProperty({ example: 'completes on day 9 instead of day 6 so that more orders of the same batch could be matched; still within its window (due day 12)' }) message!: string;
}

type FairnessNote = NonNullable<OrderExplanation['fairness']>;

class FairnessNoteSchema implements FairnessNote {
  @ApiProperty({ format: 'uuid', example: EXAMPLE.lineId, description: "the small mill's line chosen" }) lineId!: string;
  @ApiProperty({ format: 'uuid', example: EXAMPLE.factoryId }) factoryId!: string;
  @ApiProperty({ format: 'uuid', example: '3d5f7a9c-1b2e-4d6f-8a1c-5e7b9d1f3a42', description: 'the best-scored line, at a larger mill, set aside' }) preferredOverLineId!: string;
  @ApiProperty({ format: 'uuid', example: '8c1e3a5f-7b9d-4f2a-9e4c-6a8d1f3b5c77' }) preferredOverFactoryId!: string;
  @ApiProperty({ example: 0.912 }) bestScore!: number;
  @ApiProperty({ example: 0.909, description: 'within the fairness margin of bestScore' }) chosenScore!: number;
}

export class ExplanationSchema implements OrderExplanation {
  @ApiProperty({ example: '1 allocation on 1 line, done 11 days before the due date' }) summary!: string;
  @ApiPropertyOptional({ type: [ExplanationReasonSchema], description: 'why the order is unmatched' }) reasons?: ExplanationReasonSchema[];
  @ApiPropertyOptional({ type: ClosestMissSchema }) closestMiss?: ClosestMissSchema;
  @ApiPropertyOptional({ type: FailedStageSchema, description: 'a style order no chain reaches: the first stage without a plan' }) failedStage?: FailedStageSchema;
  @ApiPropertyOptional({ type: [PlanNoteSchema], description: 'on a matched order: where its plan gave way so that more of its batch could be matched' }) notes?: PlanNoteSchema[];
  @ApiProperty({ format: 'date-time', example: EXAMPLE.dateTime }) plannedAt!: string;
  @ApiPropertyOptional({ type: FairnessNoteSchema, description: 'present when the fairness policy (FAIRNESS_POLICY) chose a small mill within its margin of the best plan' }) fairness?: FairnessNoteSchema;
}

class RejectReasonSchema {
  @ApiProperty({ enum: REJECT_REASON_CODES, example: 'NO_CAPACITY' }) code!: RejectReasonCode;
  @ApiPropertyOptional({ example: 'looms booked for a repeat order' }) note?: string;
}

class SamEstimateSchema implements NonNullable<GarmentSpec['samEstimate']> {
  @ApiProperty({ type: 'object', additionalProperties: { type: 'integer' }, example: { neck_rib: 1, set_in_sleeves: 1, labels: 1 }, description: 'the construction features the brand sent' }) features!: Record<string, number>;
  @ApiProperty({ type: [Number], minItems: 2, maxItems: 2, example: [4.77, 7], description: "[low, high] standard minutes: the estimate's range" }) range!: [number, number];
}

/** The garment as planned: the minutes sent, or the typical figure of the spec's estimate with the estimate beside it. */
class GarmentSchema implements GarmentSpec {
  @ApiProperty({ enum: GARMENT_CATEGORIES, example: 'tshirt' }) category!: GarmentCategory;
  @ApiProperty({ enum: FABRIC_TYPES, example: 'knit' }) fabricType!: FabricType;
  @ApiProperty({ example: 12.5, description: 'standard allowed minutes per piece the plan uses' }) samMinutes!: number;
  @ApiPropertyOptional({ type: SamEstimateSchema, description: 'present when the order was posted with a spec instead of samMinutes' }) samEstimate?: SamEstimateSchema;
}

export class SizeCountView implements SizeCount {
  @ApiProperty({ example: 'M' }) size!: string;
  @ApiProperty({ example: 150 }) quantity!: number;
}

/** A factory's answer to an offer with terms of its own (DESIGN.md §9, docs/terms.md). */
export class CounterView implements Counter {
  @ApiProperty({ format: 'uuid', example: EXAMPLE.counterId }) id!: string;
  @ApiPropertyOptional({ example: 356.4, description: "CNY for the allocation; absent: the offer's price stands" }) price?: number;
  @ApiPropertyOptional({ format: 'date', example: EXAMPLE.date, description: "absent: the offer's end date stands" }) endDate?: string;
  @ApiPropertyOptional({ example: '纱线涨价，需加价 10%' }) note?: string;
  @ApiProperty({ example: 324, description: "CNY: the offer's price the counter answered" }) offerPrice!: number;
  @ApiProperty({ format: 'date', example: EXAMPLE.endDate, description: "the offer's end date the counter answered" }) offerEndDate!: string;
  @ApiProperty({ enum: ['open', 'accepted', 'declined', 'lapsed', 'withdrawn'], example: 'open', description: 'open: waiting for the brand until the offer expires; lapsed: the offer expired first; withdrawn: the factory took or refused the offer as offered' })
  status!: Counter['status'];
  @ApiPropertyOptional({ enum: ['brand', 'tolerance'], example: 'brand', description: "accepted by the brand, or within its standing tolerance without asking" }) acceptedBy?: 'brand' | 'tolerance';
  @ApiProperty({ format: 'date-time', example: EXAMPLE.dateTime }) createdAt!: string;
  @ApiPropertyOptional({ format: 'date-time', example: EXAMPLE.dateTime }) answeredAt?: string;
}

class InputPlaceView {
  @ApiProperty({ type: String, nullable: true, example: 'Shaoxing' }) city!: string | null;
  @ApiProperty({ type: String, nullable: true, example: 'Zhejiang' }) province!: string | null;
}

export class StageInputView implements StageInput {
  @ApiProperty({ format: 'date', example: EXAMPLE.startDate, description: "the previous stage's last day plus transit" }) readyDate!: string;
  @ApiProperty({ type: [InputPlaceView] }) from!: InputPlaceView[];
}

/** One piece of an order on one line; also what a factory's offers list. */
export class AllocationView implements ApiAllocation {
  @ApiProperty({ format: 'uuid', example: EXAMPLE.allocationId }) id!: string;
  @ApiProperty({ format: 'uuid', example: EXAMPLE.orderId }) orderId!: string;
  @ApiProperty({ format: 'uuid', example: EXAMPLE.factoryId }) factoryId!: string;
  @ApiProperty({ format: 'uuid', example: EXAMPLE.lineId }) lineId!: string;
  @ApiProperty({ example: 3000, description: 'meters or pieces' }) quantity!: number;
  @ApiProperty({ example: 27_000_000, description: 'capacity units: weft picks or standard minutes' }) demand!: number;
  @ApiProperty({ format: 'date', example: EXAMPLE.startDate }) startDate!: string;
  @ApiProperty({ format: 'date', example: EXAMPLE.endDate }) endDate!: string;
  @ApiProperty({ enum: ALLOCATION_STATUSES, example: 'offered' }) status!: AllocationStatus;
  @ApiPropertyOptional({ format: 'date-time', example: EXAMPLE.dateTime, description: 'while offered: when the offer lapses' }) expiresAt?: string;
  @ApiProperty({ example: 0.74 }) score!: number;
  @ApiProperty({ type: ScorePartsSchema }) scoreParts!: ScoreParts;
  @ApiProperty({ example: 324, description: 'CNY' }) price!: number;
  @ApiProperty({ example: 0.108, description: 'CNY per unit: per meter of fabric, per sewn piece (price / quantity)' }) pricePerUnit!: number;
  @ApiProperty({ enum: ['meter', 'piece'], example: 'meter' }) unit!: PriceUnit;
  @ApiProperty({ enum: PRICE_COVERS, example: 'processing', description: "what the price pays for, as the line declared it when the offer was made: processing only, or the yarn too" }) priceCovers!: PriceCovers;
  @ApiProperty({ example: 0 }) producedQuantity!: number;
  @ApiPropertyOptional({ type: RejectReasonSchema, description: 'on a rejected allocation: why the factory said no' }) rejectReason?: RejectReasonSchema;
  @ApiPropertyOptional({ type: [SizeCountView], description: "garment orders with sizes: this allocation's pieces per size, summing to its quantity (work in production keeps its sizes first)" }) sizes?: SizeCountView[];
  @ApiPropertyOptional({ type: String, nullable: true, example: 'person:6b1f7c9e-2a44-4a6b-9a52-6f0f1e2d3c4b', description: 'who last answered the offer (accepted, rejected or countered it): person:<id>, key:<id>, or null for the platform (a factory that accepts by itself); absent while unanswered' })
  answeredBy?: string | null;
  @ApiPropertyOptional({ type: CounterView, description: "the factory's latest counteroffer on this offer, whatever became of it" }) counter?: CounterView;
  @ApiPropertyOptional({ enum: STAGE_KINDS, example: 'sewing', description: "a style order's allocation: the stage of the chain it belongs to" }) stage?: AllocationStage;
  @ApiPropertyOptional({ type: StageInputView, description: "a later stage's offer: when its input arrives at the earliest and from where" }) input?: StageInputView;
}


export class AllocationListView {
  @ApiProperty({ type: [AllocationView] }) items!: AllocationView[];
}

/** What the brand follows: produced of total, and when the plan says it will be done. */
class OrderProgressView {
  @ApiProperty({ example: 1200 }) producedQuantity!: number;
  @ApiProperty({ example: 3000 }) quantity!: number;
  @ApiProperty({ type: String, format: 'date', nullable: true, example: EXAMPLE.endDate }) expectedCompletion!: string | null;
  @ApiProperty({ type: Boolean, nullable: true, example: true }) onTime!: boolean | null;
  @ApiProperty({ type: String, format: 'date', nullable: true, example: EXAMPLE.endDate, description: "from the looms' observed rate where they report, else the plan; null while stopped" })
  forecastCompletion!: string | null;
  @ApiProperty({ enum: ['low', 'medium', 'high'], nullable: true, example: 'low', description: 'low: two days or more to spare; medium: done by the due date; high: late, or stopped' })
  onTimeRisk!: 'low' | 'medium' | 'high' | null;
}

class ApprovalReasonParamsSchema implements ApprovalReasonParams {
  @ApiProperty({ example: 1, description: 'offers factories declined' }) declined!: number;
  @ApiProperty({ example: 0, description: 'offers that expired unanswered' }) expired!: number;
  @ApiProperty({ example: 0, description: 'allocations a capacity change released' }) released!: number;
}

class ApprovalSchema implements NonNullable<ApiOrder['approval']> {
  @ApiProperty({ example: 27600, description: 'CNY for the whole order: what it holds plus the new plan' }) price!: number;
  @ApiProperty({ example: 25000, description: 'CNY: the price agreed so far' }) agreedPrice!: number;
  @ApiProperty({ example: 9.2, description: 'CNY per unit (meter or piece) of the new plan' }) pricePerUnit!: number;
  @ApiProperty({ example: 8.33, description: 'CNY per unit (meter or piece) agreed so far' }) agreedPricePerUnit!: number;
  @ApiProperty({ format: 'date', example: EXAMPLE.endDate, description: 'when the new plan completes' }) completes!: string;
  @ApiProperty({ example: '1 factory declined', description: 'why the price moved, in English words' }) reason!: string;
  @ApiPropertyOptional({ enum: APPROVAL_REASON_CODES, example: 'WORK_LOST', description: 'why, for a client to word: WORK_LOST (reasonParams counts the work lost) or MARKET_CHANGED' }) reasonCode?: ApprovalReasonCode;
  @ApiPropertyOptional({ type: ApprovalReasonParamsSchema }) reasonParams?: ApprovalReasonParamsSchema;
  @ApiProperty({ format: 'date-time', example: EXAMPLE.dateTime, description: 'unanswered by then, it counts as declined' }) expiresAt!: string;
}

export class LastChangeView {
  @ApiProperty({ example: 'order.posted', description: 'the latest event of the order' }) type!: string;
  @ApiProperty({ format: 'date-time', example: EXAMPLE.dateTime }) at!: string;
  @ApiProperty({ type: String, nullable: true, example: 'person:6b1f7c9e-2a44-4a6b-9a52-6f0f1e2d3c4b', description: 'who caused it: person:<id>, key:<id>, operator, or null for the platform (matcher, sweep, expiry)' }) by!: string | null;
}

class StageOffersView {
  @ApiProperty({ example: 1 }) open!: number;
  @ApiProperty({ example: 0 }) accepted!: number;
  @ApiProperty({ example: 1 }) rejected!: number;
  @ApiProperty({ example: 0 }) expired!: number;
}

class StageProgressView {
  @ApiProperty({ example: 0 }) producedQuantity!: number;
  @ApiProperty({ example: 618 }) quantity!: number;
}

/** One stage of a style order's chain (DESIGN.md §8). */
export class OrderStageView implements ApiOrderStage {
  @ApiProperty({ enum: STAGE_KINDS, example: 'weaving' }) kind!: AllocationStage;
  @ApiProperty({ example: 618, description: 'meters (weaving, finishing) or pieces (sewing)' }) quantity!: number;
  @ApiProperty({ enum: ['meters', 'pieces'], example: 'meters' }) unit!: 'meters' | 'pieces';
  @ApiProperty({ enum: ['unplanned', 'short', 'offered', 'accepted', 'in_production', 'produced'], example: 'offered' }) status!: ApiOrderStage['status'];
  @ApiProperty({ type: String, format: 'date', nullable: true, example: EXAMPLE.startDate }) startDate!: string | null;
  @ApiProperty({ type: String, format: 'date', nullable: true, example: EXAMPLE.endDate }) endDate!: string | null;
  @ApiProperty({ type: String, format: 'date', nullable: true, example: EXAMPLE.startDate, description: "the previous stage's last day plus transit; the order's earliest start for the first stage" }) inputReadyDate!: string | null;
  @ApiProperty({ type: [AllocationView] }) allocations!: AllocationView[];
  @ApiProperty({ type: StageOffersView }) offers!: StageOffersView;
  @ApiProperty({ type: StageProgressView }) progress!: StageProgressView;
  @ApiPropertyOptional({ example: 'no chain reaches the due date: the sewing stage has no plan' }) explanation?: string;
}

class StyleFinishingSchema {
  @ApiProperty({ enum: FINISHING_PROCESSES, example: 'dyeing' }) process!: string;
}

class StyleSchema {
  @ApiProperty({ type: FabricDto, example: FABRIC_EXAMPLE }) fabric!: FabricSpec;
  @ApiProperty({ example: 2 }) fabricPerPieceM!: number;
  @ApiProperty({ example: 3 }) wastagePct!: number;
  @ApiPropertyOptional({ type: StyleFinishingSchema }) finishing?: StyleFinishingSchema;
  @ApiProperty({ example: 2 }) transitDays!: number;
}

export class OrderView implements ApiOrder {
  @ApiProperty({ format: 'uuid', example: EXAMPLE.orderId }) id!: string;
  @ApiProperty({ format: 'uuid', example: EXAMPLE.brandId }) brandId!: string;
  @ApiProperty({ enum: ORDER_KINDS, example: 'fabric' }) kind!: OrderEntity['kind'];
  @ApiProperty({ enum: ORDER_STATUSES, example: 'proposed' }) status!: OrderStatus;
  @ApiPropertyOptional({ type: FabricDto, description: 'fabric orders', example: FABRIC_EXAMPLE }) fabric?: FabricSpec;
  @ApiPropertyOptional({ type: GarmentSchema, description: 'garment orders' }) garment?: GarmentSpec;
  @ApiProperty({ example: 3000, description: 'meters (fabric) or pieces (garment)' }) quantity!: number;
  @ApiProperty({ format: 'date', example: EXAMPLE.startDate }) earliestStart!: string;
  @ApiProperty({ format: 'date', example: EXAMPLE.date }) dueDate!: string;
  @ApiProperty({ example: 3 }) maxSplits!: number;
  @ApiPropertyOptional({ example: 500 }) minSplitQuantity?: number;
  @ApiProperty({ type: [String], example: ['OEKO-TEX'] }) certifications!: string[];
  @ApiPropertyOptional({ example: 25000, description: 'CNY for the whole order: a ceiling no plan exceeds' }) targetPrice?: number;
  @ApiPropertyOptional({ example: 25000, description: 'CNY for the whole order: the target price, the first complete plan\'s price, or the last price the brand approved' }) agreedPrice?: number;
  @ApiProperty({ enum: ['meter', 'piece'], example: 'meter', description: 'what the per-unit prices are per: meters (fabric) or pieces (garment)' }) unit!: PriceUnit;
  @ApiPropertyOptional({ example: 8.33, description: 'the target price per unit' }) targetPricePerUnit?: number;
  @ApiPropertyOptional({ example: 8.33, description: 'the agreed price per unit' }) agreedPricePerUnit?: number;
  @ApiProperty({ example: 0, description: 'how far (percent) a later plan may go above the agreed price without the brand' }) priceTolerancePct!: number;
  @ApiPropertyOptional({ type: ApprovalSchema, description: 'while awaiting_approval: the new plan waiting for the brand' }) approval?: ApprovalSchema;
  @ApiPropertyOptional({ type: [SizeCountView], description: 'garment orders: pieces per size, summing to quantity' }) sizes?: SizeCountView[];
  @ApiProperty({ type: [AllocationView] }) allocations!: AllocationView[];
  @ApiPropertyOptional({ type: StyleSchema, description: 'style orders: the fabric side of the chain' }) style?: StyleSchema;
  @ApiPropertyOptional({ type: [OrderStageView], description: 'style orders: each stage of the chain, weaving to sewing' }) stages?: OrderStageView[];
  @ApiProperty({ type: OrderProgressView }) progress!: OrderProgressView;
  @ApiProperty({
    example: 'No plan yet; tried again when capacity appears, until the due date (2026-12-24), when it expires.',
    description: 'what the status means for this order now: what it holds, what is still tried, and what happens at its due date',
  })
  outlook!: string;
  @ApiProperty({ type: ExplanationSchema, nullable: true, description: "the plan's summary, or why the order is unmatched or partial; null before the matcher's first decision" })
  explanation!: OrderExplanation | null;
  @ApiProperty({ format: 'date-time', example: EXAMPLE.dateTime }) createdAt!: string;
  @ApiProperty({ format: 'date-time', example: EXAMPLE.dateTime }) updatedAt!: string;
  @ApiPropertyOptional({ type: LastChangeView, description: 'who did what last (from the events)' }) lastChange?: LastChangeView;
}

export class OrderListView {
  @ApiProperty({ type: [OrderView] }) items!: OrderView[];
}

export class OrderPageView implements NumberedPage<OrderView> {
  @ApiProperty({ type: [OrderView] }) items!: OrderView[];
  @ApiProperty({ example: 132, description: 'orders matching the search, on every page' }) total!: number;
  @ApiProperty({ example: 1 }) page!: number;
  @ApiProperty({ example: 50 }) pageSize!: number;
}

export class OrderEventView implements OrderEvent {
  @ApiProperty({ example: '1042', description: "the event's id, as the live feed numbers it" }) id!: string;
  @ApiProperty({ example: 'offer.accepted' }) type!: string;
  @ApiProperty({ format: 'date-time', example: EXAMPLE.dateTime }) at!: string;
  @ApiProperty({ type: String, nullable: true, example: 'key:5b8d2f4a-7c9e-4a1b-9d3f-1e5a7c9b3d26', description: 'who caused it: person:<id>, key:<id>, operator, or null for the platform' }) by!: string | null;
  @ApiProperty({ type: 'object', additionalProperties: true, example: { orderId: EXAMPLE.orderId, allocationId: EXAMPLE.allocationId, factoryId: EXAMPLE.factoryId }, description: "the event's payload, as the live feed carries it" })
  payload!: Record<string, unknown>;
}

export class OrderHistoryView {
  @ApiProperty({ type: [OrderEventView], description: 'oldest first' }) items!: OrderEventView[];
}

const HOLDING = new Set<AllocationEntity['status']>(['offered', 'accepted', 'in_production', 'produced']);

/** Work already running keeps its sizes first: an allocation's share depends only on those listed before it (sizeShares). */
const SIZE_RANK: Readonly<Record<AllocationStatus, number>> = { produced: 0, in_production: 1, accepted: 2, offered: 3, rejected: 4, expired: 4, cancelled: 4 };

/**
 * Each holding allocation's pieces per size, by allocation id: shares of the order's breakdown
 * that sum to each allocation's quantity and, across them, to each size (libs/matching sizeShares).
 */
export function allocationSizes(sizes: SizeBreakdown | null | undefined, allocations: readonly AllocationEntity[]): ReadonlyMap<string, SizeBreakdown> {
  if (!sizes) return new Map();
  const holding = allocations
    .filter((a) => HOLDING.has(a.status))
    .sort((x, y) => SIZE_RANK[x.status] - SIZE_RANK[y.status] || x.createdAt.getTime() - y.createdAt.getTime() || (x.id < y.id ? -1 : x.id > y.id ? 1 : 0));
  const shares = sizeShares(sizes, holding.map((a) => a.quantity));
  return new Map(holding.map((a, i) => [a.id, shares[i]!]));
}

/** `allocationSizes` over several orders: their breakdowns by order id and all their allocations. */
export function allocationSizesOf(sizesByOrder: ReadonlyMap<string, SizeBreakdown>, allocations: readonly AllocationEntity[]): ReadonlyMap<string, SizeBreakdown> {
  const out = new Map<string, SizeBreakdown>();
  for (const [orderId, sizes] of sizesByOrder) for (const [id, share] of allocationSizes(sizes, allocations.filter((a) => a.orderId === orderId))) out.set(id, share);
  return out;
}

/**
 * CNY per meter or piece. Three decimals: a meter's processing is often well under one yuan
 * (0.405 at 3,000 picks a meter), where whole fen would hide a tenth of the difference.
 */
export function perUnit(total: number, quantity: number): number {
  return quantity > 0 ? Math.round((total / quantity) * 1000) / 1000 : 0;
}

export function allocationView(a: AllocationEntity, sizes?: SizeBreakdown): AllocationView {
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
    pricePerUnit: perUnit(a.price, a.quantity),
    unit: a.unit,
    priceCovers: a.priceCovers,
    producedQuantity: a.producedQuantity,
    ...(a.status === 'rejected' && a.rejectReasonCode !== null ? { rejectReason: { code: a.rejectReasonCode, ...(a.rejectNote !== null ? { note: a.rejectNote } : {}) } } : {}),
    ...(sizes ? { sizes: sizes.map((x) => ({ size: x.size, quantity: x.quantity })) } : {}),
    ...(a.stage !== null ? { stage: a.stage } : {}),
  };
}

/** A style order's fabric side as its brand sent it (defaults filled). */
function styleOf(style: StoredStyle): StyleSchema {
  const { fabric, fabricPerPieceM, wastagePct, finishing, transitDays } = style;
  return { fabric, fabricPerPieceM, wastagePct, ...(finishing ? { finishing } : {}), transitDays };
}

/** The allocations that deliver the order's product: all of them, or a style order's sewing stage's. */
export function delivering<T extends Pick<AllocationEntity, 'stage'>>(allocations: readonly T[]): T[] {
  return allocations.filter((a) => a.stage === null || a.stage === 'sewing');
}

/** A style order's stages, weaving to sewing, each with its own allocations, offers and progress. */
export function stagesOf(order: OrderEntity, style: StoredStyle, views: readonly AllocationView[]): OrderStageView[] {
  const meters = fabricMetersFor(style, order.quantity);
  const kinds: AllocationStage[] = style.finishing ? ['weaving', 'finishing', 'sewing'] : ['weaving', 'sewing'];
  const failed = order.explanation?.failedStage?.kind;
  let previousEnd: string | null = null;
  return kinds.map((kind, i) => {
    const mine = views.filter((a) => a.stage === kind);
    const live = mine.filter((a) => HOLDING.has(a.status));
    const quantity = kind === 'sewing' ? order.quantity : meters;
    const held = live.reduce((sum, a) => sum + a.quantity, 0);
    const startDate = live.length > 0 ? live.map((a) => a.startDate).sort()[0]! : null;
    const endDate = live.length > 0 ? live.map((a) => a.endDate).sort().at(-1)! : null;
    const inputReadyDate = i === 0 ? order.earliestStart : previousEnd === null ? null : addDays(previousEnd, style.transitDays);
    previousEnd = endDate;
    const count = (status: AllocationStatus): number => mine.filter((a) => a.status === status).length;
    const status: OrderStageView['status'] = held === 0 ? 'unplanned' : held < quantity ? 'short'
      : live.every((a) => a.status === 'produced') ? 'produced'
      : live.some((a) => a.status === 'in_production' || a.status === 'produced') ? 'in_production'
      : live.some((a) => a.status === 'offered') ? 'offered' : 'accepted';
    return {
      kind, quantity, unit: kind === 'sewing' ? 'pieces' : 'meters', status, startDate, endDate, inputReadyDate,
      allocations: mine,
      offers: { open: count('offered'), accepted: live.filter((a) => a.status !== 'offered').length, rejected: count('rejected'), expired: count('expired') },
      progress: { producedQuantity: live.reduce((sum, a) => sum + a.producedQuantity, 0), quantity },
      ...(failed === kind && order.explanation ? { explanation: order.explanation.summary } : {}),
    };
  });
}


/** Telemetry forecasts per allocation (libs/market telemetry `forecastAllocations`); null: stopped. */
export type AllocationForecasts = ReadonlyMap<string, string | null>;

function progressOf(order: OrderEntity, allocations: readonly AllocationEntity[], forecasts: AllocationForecasts): OrderView['progress'] {
  const live = delivering(allocations).filter((a) => HOLDING.has(a.status));
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

/**
 * The status in words, for the brand. A `partial` order says how much it holds and that only the
 * rest is still sought; at its due date it ends with what it holds (DESIGN.md §3 has `expired` for
 * an order still unmatched at its due date; an order holding work is not thrown away with it).
 */
export function outlookOf(order: OrderEntity, progress: OrderView['progress'], held: number): string {
  const due = `the due date (${order.dueDate})`;
  switch (order.status) {
    case 'pending':
    case 'matching':
      return 'Waiting for the matcher.';
    case 'unmatched':
      return `No plan yet; tried again when capacity appears, until ${due}, when it expires.`;
    case 'partial':
      return `${held} of ${order.quantity} placed (${progress.producedQuantity} produced); the remaining ${order.quantity - held} have no plan and are tried again when capacity appears until ${due}. After it the order ends with what it holds: completed short once that is produced.`;
    case 'proposed':
      return 'Planned in full; waiting for the factories to accept.';
    case 'confirmed':
      return 'Planned in full and accepted.';
    case 'in_production':
      return `In production: ${progress.producedQuantity} of ${order.quantity} produced.`;
    case 'completed':
      return progress.producedQuantity < order.quantity
        ? `Completed short: ${progress.producedQuantity} of ${order.quantity} made; the rest could not be placed by ${due}.`
        : `Completed: ${progress.producedQuantity} of ${order.quantity} made.`;
    case 'cancelled':
      return 'Cancelled: nothing more is planned or made for it.';
    case 'expired':
      return `Expired: no plan by ${due}; nothing is made for it.`;
    case 'awaiting_approval':
      return `A new plan costs CNY ${order.approval?.price ?? '?'}, above the agreed CNY ${order.agreedPrice ?? '?'}: approve or decline it by ${order.approval?.expiresAt ?? 'the approval time'}; unanswered, it counts as declined. Nothing is reserved for it meanwhile.`;
  }
}

export function orderView(order: OrderEntity, allocations: readonly AllocationEntity[], forecasts: AllocationForecasts = new Map()): OrderView {
  const progress = progressOf(order, allocations, forecasts);
  const held = delivering(allocations).filter((a) => HOLDING.has(a.status)).reduce((sum, a) => sum + a.quantity, 0);
  // Sizes are the sewing stage's: the fabric stages' meters have none.
  const bySize = allocationSizes(order.sizes, delivering(allocations));
  const views = allocations.map((a) => allocationView(a, bySize.get(a.id)));
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
    ...(order.targetPrice !== null ? { targetPrice: order.targetPrice, targetPricePerUnit: perUnit(order.targetPrice, order.quantity) } : {}),
    ...(order.agreedPrice !== null ? { agreedPrice: order.agreedPrice, agreedPricePerUnit: perUnit(order.agreedPrice, order.quantity) } : {}),
    unit: order.kind === 'fabric' ? 'meter' : 'piece',
    priceTolerancePct: order.priceTolerancePct,
    ...(order.approval !== null && order.status === 'awaiting_approval'
      ? { approval: { ...order.approval, pricePerUnit: perUnit(order.approval.price, order.quantity), agreedPricePerUnit: perUnit(order.approval.agreedPrice, order.quantity) } }
      : {}),
    ...(order.sizes ? { sizes: order.sizes.map((x) => ({ size: x.size, quantity: x.quantity })) } : {}),
    allocations: views,
    ...(order.style ? { style: styleOf(order.style), stages: stagesOf(order, order.style, views) } : {}),
    progress,
    outlook: outlookOf(order, progress, held),
    explanation: order.explanation,
    createdAt: order.createdAt.toISOString(),
    updatedAt: order.updatedAt.toISOString(),
  };
}

/** The view with who did what: the order's last change, and who answered each of its offers. */
export function withActors(view: OrderView, change: LastChange | undefined, answerers: ReadonlyMap<string, string | null>): OrderView {
  return {
    ...view, ...(change ? { lastChange: change } : {}), allocations: view.allocations.map((a) => withAnswerer(a, answerers)),
    ...(view.stages ? { stages: view.stages.map((s) => ({ ...s, allocations: s.allocations.map((a) => withAnswerer(a, answerers)) })) } : {}),
  };
}

export function withAnswerer(view: AllocationView, answerers: ReadonlyMap<string, string | null>): AllocationView {
  return answerers.has(view.id) ? { ...view, answeredBy: answerers.get(view.id) ?? null } : view;
}

/** What `POST /orders` answers: the order as stored, before the matcher has decided anything. */
export const POSTED_ORDER_EXAMPLE: OrderView = {
  id: EXAMPLE.orderId,
  brandId: EXAMPLE.brandId,
  kind: 'fabric',
  status: 'pending',
  fabric: FABRIC_EXAMPLE,
  quantity: 3000,
  unit: 'meter',
  earliestStart: AHEAD.earliestStart,
  dueDate: AHEAD.dueDate,
  maxSplits: 3,
  certifications: ['OEKO-TEX'],
  priceTolerancePct: 0,
  allocations: [],
  progress: { producedQuantity: 0, quantity: 3000, expectedCompletion: null, onTime: null, forecastCompletion: null, onTimeRisk: null },
  outlook: 'Waiting for the matcher, which decides within moments.',
  explanation: null,
  createdAt: EXAMPLE.dateTime,
  updatedAt: EXAMPLE.dateTime,
};
/** The view with the offer's latest counter, where it has one. */
export function withCounter(view: AllocationView, counters: ReadonlyMap<string, Counter>): AllocationView {
  const counter = counters.get(view.id);
  return counter ? { ...view, counter } : view;
}
