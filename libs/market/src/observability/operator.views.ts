import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { ALLOCATION_STATUSES, ORDER_STATUSES, type OrderExplanation, REJECT_REASON_CODES, type RejectReasonCode } from '@cloudloom/persistence';
import { type OrderSpec, REASON_CODES } from '@cloudloom/matching';
import { EXAMPLE } from '../core/openapi-examples';
import { ExplanationSchema, FABRIC_EXAMPLE } from '../orders/order.view';
import { FabricDto, GarmentDto } from '../orders/orders.dto';
import type { FactoryLoad, MarketOrder, Match, NumberedPage, Stats, UnmatchedByReason } from '@cloudloom/contracts';

/** An allocation with the names an operator reads it by. */
export class MatchView implements Match {
  @ApiProperty({ format: 'uuid', example: EXAMPLE.allocationId }) allocationId!: string;
  @ApiProperty({ format: 'uuid', example: EXAMPLE.orderId }) orderId!: string;
  @ApiProperty({ enum: ['fabric', 'garment'], example: 'fabric' }) orderKind!: 'fabric' | 'garment';
  @ApiProperty({ enum: ORDER_STATUSES, example: 'proposed' }) orderStatus!: string;
  @ApiProperty({ format: 'uuid', example: EXAMPLE.brandId }) brandId!: string;
  @ApiProperty({ example: 'Canton Studio' }) brandName!: string;
  @ApiProperty({ format: 'uuid', example: EXAMPLE.factoryId }) factoryId!: string;
  @ApiProperty({ example: 'Keqiao Weaving No. 3' }) factoryName!: string;
  @ApiProperty({ type: String, nullable: true, example: 'Shaoxing' }) factoryCity!: string | null;
  @ApiProperty({ format: 'uuid', example: EXAMPLE.lineId }) lineId!: string;
  @ApiProperty({ example: 'Hall A air-jets' }) lineName!: string;
  @ApiProperty({ example: 3000 }) quantity!: number;
  @ApiProperty({ enum: ALLOCATION_STATUSES, example: 'offered' }) status!: string;
  @ApiProperty({ example: 0.74 }) score!: number;
  @ApiProperty({ example: 324, description: 'CNY' }) price!: number;
  @ApiProperty({ format: 'date', example: EXAMPLE.startDate }) startDate!: string;
  @ApiProperty({ format: 'date', example: EXAMPLE.endDate }) endDate!: string;
  @ApiProperty({ format: 'date-time', example: EXAMPLE.dateTime }) matchedAt!: string;
  @ApiProperty({ example: 0.42 }) secondsToMatch!: number;
}

export class MatchListView {
  @ApiProperty({ type: [MatchView] }) items!: MatchView[];
}

/** What an order asks for: fabric or a garment. */
export class OrderSpecSchema {
  @ApiProperty({ enum: ['fabric', 'garment'], example: 'fabric' }) kind!: OrderSpec['kind'];
  @ApiPropertyOptional({ type: FabricDto, example: FABRIC_EXAMPLE }) fabric?: FabricDto;
  @ApiPropertyOptional({ type: GarmentDto }) garment?: GarmentDto;
}

/** An order of any brand, with its brand's name. */
export class MarketOrderView implements MarketOrder {
  @ApiProperty({ format: 'uuid', example: EXAMPLE.orderId }) id!: string;
  @ApiProperty({ enum: ['fabric', 'garment'], example: 'fabric' }) kind!: 'fabric' | 'garment';
  @ApiProperty({ enum: ORDER_STATUSES, example: 'unmatched' }) status!: string;
  @ApiProperty({ type: OrderSpecSchema }) spec!: OrderSpec;
  @ApiProperty({ example: 3000 }) quantity!: number;
  @ApiProperty({ format: 'date', example: EXAMPLE.startDate }) earliestStart!: string;
  @ApiProperty({ format: 'date', example: EXAMPLE.date }) dueDate!: string;
  @ApiProperty({ format: 'uuid', example: EXAMPLE.brandId }) brandId!: string;
  @ApiProperty({ example: 'Canton Studio' }) brandName!: string;
  @ApiProperty({ example: 1, description: 'allocations still holding capacity' }) allocations!: number;
  @ApiProperty({ type: ExplanationSchema, nullable: true }) explanation!: OrderExplanation | null;
  @ApiProperty({ format: 'date-time', example: EXAMPLE.dateTime }) createdAt!: string;
  @ApiProperty({ format: 'date-time', example: EXAMPLE.dateTime }) updatedAt!: string;
}

export class MarketOrderListView implements NumberedPage<MarketOrderView> {
  @ApiProperty({ type: [MarketOrderView] }) items!: MarketOrderView[];
  @ApiProperty({ example: 158, description: 'orders matching the search, on every page' }) total!: number;
  @ApiProperty({ example: 1 }) page!: number;
  @ApiProperty({ example: 50 }) pageSize!: number;
}

class UnmatchedReasonView {
  @ApiProperty({ enum: REASON_CODES, example: 'INSUFFICIENT_CAPACITY_BEFORE_DUE' }) code!: string;
  @ApiProperty({ example: 102, description: 'orders unmatched or partial now for this reason' }) orders!: number;
  @ApiProperty({ format: 'date', example: EXAMPLE.date, description: 'the earliest due date among them: what expires first' }) soonestDue!: string;
  @ApiProperty({ type: [String], format: 'uuid', example: [EXAMPLE.orderId], description: 'the newest few (up to 5); the full list is GET /market/orders?reason=' }) orderIds!: string[];
}

export class UnmatchedByReasonView implements UnmatchedByReason {
  @ApiProperty({ example: 158, description: 'orders unmatched or partial now (an order with two reasons is in two groups but counted once here)' }) total!: number;
  @ApiProperty({ type: [UnmatchedReasonView], description: 'the most orders first' }) items!: UnmatchedReasonView[];
}

class LineLoadView {
  @ApiProperty({ format: 'uuid', example: EXAMPLE.lineId }) id!: string;
  @ApiProperty({ example: 'Hall A air-jets' }) name!: string;
  @ApiProperty({ enum: ['weaving', 'sewing', 'finishing'], example: 'weaving' }) kind!: 'weaving' | 'sewing' | 'finishing';
  @ApiProperty({ example: 'air_jet', description: "the loom type, or the line's kind (sewing, finishing)" }) machineType!: string;
  @ApiProperty({ example: 37_643_520 }) dailyCapacity!: number;
  @ApiProperty({ example: true }) active!: boolean;
  @ApiProperty({ type: 'array', items: { type: 'number', nullable: true }, example: [0.8, 0.35, null], description: "per day: reserved share of that day's capacity (null: no ledger row)" })
  load!: (number | null)[];
  @ApiProperty({ type: 'array', items: { type: 'number', nullable: true }, example: [1, 0.5, null], description: "per day: that day's capacity as a share of the nominal (below 1: holiday, maintenance)" })
  open!: (number | null)[];
}

export class FactoryLoadView implements FactoryLoad {
  @ApiProperty({ format: 'uuid', example: EXAMPLE.factoryId }) id!: string;
  @ApiProperty({ example: 'Keqiao Weaving No. 3' }) name!: string;
  @ApiProperty({ type: String, nullable: true, example: 'Shaoxing' }) city!: string | null;
  @ApiProperty({ type: String, nullable: true, example: 'Zhejiang' }) province!: string | null;
  @ApiProperty({ example: true }) verified!: boolean;
  @ApiProperty({ example: true }) active!: boolean;
  @ApiProperty({ example: false }) autoAccept!: boolean;
  @ApiProperty({ type: [String], example: ['OEKO-TEX'] }) certifications!: string[];
  @ApiProperty({ type: Number, nullable: true, example: 0.62, description: "mean reserved share of the shown lines' open days ahead (null: none open)" }) load!: number | null;
  @ApiProperty({ type: [LineLoadView] }) lines!: LineLoadView[];
}

export class FactoryPageView {
  @ApiProperty({ type: [String], format: 'date', example: [EXAMPLE.startDate, '2026-12-03', '2026-12-04'], description: 'the dates of each line’s `load` and `open`' }) days!: string[];
  @ApiProperty({ type: [String], example: ['Foshan', 'Shaoxing'], description: 'every city with a factory: the values `city` filters by' }) cities!: string[];
  @ApiProperty({ type: [FactoryLoadView] }) items!: FactoryLoadView[];
  @ApiPropertyOptional({ example: 'WyJmYWxzZSIsIktlcWlhbyJd', description: 'pass as `cursor` for the next page; absent on the last' }) nextCursor?: string;
}

class Utilization {
  @ApiProperty({ example: 'air_jet' }) key!: string;
  @ApiProperty({ example: 812_000_000 }) reserved!: number;
  @ApiProperty({ example: 1_129_305_600 }) capacity!: number;
  @ApiProperty({ example: 0.72 }) ratio!: number;
}

const COUNTS = { type: 'object', additionalProperties: { type: 'integer' } } as const;

class OrderCounts {
  @ApiProperty({ ...COUNTS, example: { proposed: 12, confirmed: 40, unmatched: 3 } }) byStatus!: Record<string, number>;
  @ApiProperty({ example: 55 }) total!: number;
}

class OfferCounts {
  @ApiProperty({ ...COUNTS, example: { offered: 12, accepted: 40, rejected: 2 } }) byStatus!: Record<string, number>;
  @ApiProperty({ type: Number, nullable: true, example: 0.95 }) acceptanceRate!: number | null;
}

class HistogramBar {
  @ApiProperty({ type: Number, nullable: true, example: 1, description: 'upper bound in seconds; null: slower than the last bound' }) le!: number | null;
  @ApiProperty({ example: 37, description: 'orders matched within (previous bound, le]' }) count!: number;
}

class TimeToMatch {
  @ApiProperty({ example: 52 }) count!: number;
  @ApiProperty({ type: Number, nullable: true, example: 0.31 }) p50Seconds!: number | null;
  @ApiProperty({ type: Number, nullable: true, example: 1.8 }) p95Seconds!: number | null;
  @ApiProperty({ type: [HistogramBar] }) histogram!: HistogramBar[];
}

class UtilizationView {
  @ApiProperty({ example: 30 }) days!: number;
  @ApiProperty({ type: [Utilization] }) byMachineType!: Utilization[];
  @ApiProperty({ type: [Utilization] }) byCluster!: Utilization[];
}

class FairnessView {
  @ApiProperty({ example: 120, description: 'verified factories with an active line' }) factories!: number;
  @ApiProperty({ example: 84, description: 'of them small mills: at most 50 looms and at most 30 operators on their active lines' }) smallMills!: number;
  @ApiProperty({ type: Number, nullable: true, example: 0.41, description: 'share of the orders holding work that have some of it at a small mill' }) smallMillOrderShare!: number | null;
  @ApiProperty({ type: Number, nullable: true, example: 0.33, description: 'share of the processing value (CNY) of the work held that small mills hold' }) smallMillValueShare!: number | null;
  @ApiProperty({ type: Number, nullable: true, example: 0.52, description: 'Gini coefficient of processing value over the factories (0 equal, towards 1 concentrated); null with no work' }) gini!: number | null;
}

export class MarketStats implements Stats {
  @ApiProperty({ type: OrderCounts }) orders!: OrderCounts;
  @ApiProperty({ type: Number, nullable: true, example: 0.93, description: 'share of orders that reached a plan, among those the matcher has decided on' }) fillRate!: number | null;
  @ApiProperty({ type: OfferCounts }) offers!: OfferCounts;
  @ApiProperty({ type: TimeToMatch }) timeToMatch!: TimeToMatch;
  @ApiProperty({ type: UtilizationView }) utilization!: UtilizationView;
  @ApiProperty({ type: FairnessView, description: 'does the work reach the small mills (work held: offered, accepted, running or produced)' }) fairness!: FairnessView;
}

export class RematchView {
  @ApiProperty({ format: 'uuid', example: EXAMPLE.orderId }) id!: string;
  @ApiProperty({ enum: ['pending', 'matching', 'unmatched'], example: 'unmatched' }) status!: string;
  @ApiProperty({ type: Boolean, enum: [true], example: true }) queued!: true;
}

export class VerifiedView {
  @ApiProperty({ format: 'uuid', example: EXAMPLE.factoryId }) id!: string;
  @ApiProperty({ type: Boolean, enum: [true], example: true }) verified!: true;
}

/** How often one factory gave one reason for a no. */
export class RejectReasonCountView {
  @ApiProperty({ format: 'uuid', example: EXAMPLE.factoryId }) factoryId!: string;
  @ApiProperty({ example: 'Keqiao Weaving No. 3' }) factoryName!: string;
  @ApiProperty({ enum: REJECT_REASON_CODES, example: 'NO_CAPACITY' }) code!: RejectReasonCode;
  @ApiProperty({ example: 4 }) count!: number;
}

export class RejectReasonListView {
  @ApiProperty({ type: [RejectReasonCountView] }) items!: RejectReasonCountView[];
}
