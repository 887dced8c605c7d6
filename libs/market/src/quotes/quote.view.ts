import { ApiProperty } from '@nestjs/swagger';
import type { StageKind } from '@cloudloom/matching';
import { EXAMPLE } from '../core/openapi-examples';
import { CoverageSchema, ReasonSchema } from '../orders/order.view';
import { PRICE_COVERS, type PriceCovers, type PriceUnit, type Quote, type StyleQuote, type StyleQuoteStage } from '@cloudloom/contracts';

class QuoteBase {
  @ApiProperty({ example: 3000 }) quantity!: number;
  @ApiProperty({ format: 'date', example: EXAMPLE.date }) dueDate!: string;
  @ApiProperty({ format: 'date-time', example: EXAMPLE.dateTime }) quotedAt!: string;
}

/** The order could be planned now: when it would be done and what it would cost. */
export class FeasibleQuoteView extends QuoteBase implements Extract<Quote, { feasible: true }> {
  @ApiProperty({ type: Boolean, enum: [true], example: true }) feasible!: true;
  @ApiProperty({ format: 'date', example: EXAMPLE.endDate }) earliestCompletion!: string;
  @ApiProperty({ example: 11, description: 'days between completion and the due date' }) slackDays!: number;
  @ApiProperty({ example: 324.5, description: 'CNY for the whole order' }) price!: number;
  @ApiProperty({ example: 0.108, description: 'CNY per meter (fabric) or per piece (garment)' }) pricePerUnit!: number;
  @ApiProperty({ enum: ['meter', 'piece'], example: 'meter' }) unit!: PriceUnit;
  @ApiProperty({ enum: [...PRICE_COVERS, 'mixed'], example: 'processing', description: "what the price pays for, as the plan's lines declare it: processing only, the yarn too, or mixed when its lines differ" })
  priceCovers!: PriceCovers | 'mixed';
  @ApiProperty({ enum: ['CNY'], example: 'CNY' }) currency!: 'CNY';
  @ApiProperty({ type: Boolean, nullable: true, example: true, description: 'null without a target price' }) withinTargetPrice!: boolean | null;
  @ApiProperty({ example: 1 }) splits!: number;
  @ApiProperty({ example: 1 }) factories!: number;
}

/** No plan now: the reasons, and how close the best plan comes. */
export class InfeasibleQuoteView extends QuoteBase implements Extract<Quote, { feasible: false }> {
  @ApiProperty({ type: Boolean, enum: [false], example: false }) feasible!: false;
  @ApiProperty({ type: [ReasonSchema] }) reasons!: ReasonSchema[];
  @ApiProperty({ type: CoverageSchema }) closestMiss!: CoverageSchema;
}

export type QuoteView = FeasibleQuoteView | InfeasibleQuoteView;

/** One stage of a quoted style chain: what it makes, on how many lines, when, and its part of the price. */
export class StyleQuoteStageView implements StyleQuoteStage {
  @ApiProperty({ enum: ['weaving', 'finishing', 'sewing'], example: 'weaving' }) kind!: StageKind;
  @ApiProperty({ example: 494 }) quantity!: number;
  @ApiProperty({ enum: ['meters', 'pieces'], example: 'meters' }) unit!: 'meters' | 'pieces';
  @ApiProperty({ example: 1, description: 'lines the stage is split across' }) lines!: number;
  @ApiProperty({ example: 1 }) factories!: number;
  @ApiProperty({ format: 'date', example: EXAMPLE.date, description: "the day this stage's input is ready at the earliest (the previous stage's end plus transit)" }) inputReadyDate!: string;
  @ApiProperty({ format: 'date', example: EXAMPLE.date }) startDate!: string;
  @ApiProperty({ format: 'date', example: EXAMPLE.endDate }) endDate!: string;
  @ApiProperty({ example: 120.5, description: "CNY: this stage's part of the price" }) price!: number;
  @ApiProperty({ example: 0.244, description: "CNY per unit of this stage: per meter woven or finished, per piece sewn" }) pricePerUnit!: number;
  @ApiProperty({ enum: [...PRICE_COVERS, 'mixed'], example: 'processing', description: "what this stage's price pays for, as its lines declare it" }) priceCovers!: PriceCovers | 'mixed';
}

class StyleQuoteBase {
  @ApiProperty({ enum: ['style'], example: 'style' }) kind!: 'style';
  @ApiProperty({ example: 300, description: 'pieces' }) quantity!: number;
  @ApiProperty({ format: 'date', example: EXAMPLE.date }) dueDate!: string;
  @ApiProperty({ format: 'date-time', example: EXAMPLE.dateTime }) quotedAt!: string;
}

/** Every stage of the chain could be planned now: one ready date, one price, each stage's part. */
export class FeasibleStyleQuoteView extends StyleQuoteBase implements Extract<StyleQuote, { feasible: true }> {
  @ApiProperty({ type: Boolean, enum: [true], example: true }) feasible!: true;
  @ApiProperty({ format: 'date', example: EXAMPLE.endDate, description: 'the last day of sewing' }) readyDate!: string;
  @ApiProperty({ example: 11, description: 'days between the ready date and the due date' }) slackDays!: number;
  @ApiProperty({ example: 1324.5, description: 'CNY for the whole chain' }) price!: number;
  @ApiProperty({ example: 4.415, description: 'CNY per piece for the whole chain' }) pricePerUnit!: number;
  @ApiProperty({ enum: ['CNY'], example: 'CNY' }) currency!: 'CNY';
  @ApiProperty({ type: Boolean, nullable: true, example: true, description: 'null without a target price' }) withinTargetPrice!: boolean | null;
  @ApiProperty({ type: [StyleQuoteStageView] }) stages!: StyleQuoteStageView[];
}

/** The stage no chain reaches, when its input would arrive, and how close that stage comes. */
export class FailedStageView {
  @ApiProperty({ example: 2, description: 'position in the chain, from 0' }) index!: number;
  @ApiProperty({ enum: ['weaving', 'finishing', 'sewing'], example: 'sewing' }) kind!: StageKind;
  @ApiProperty({ format: 'date', example: EXAMPLE.date, description: 'the earliest day its input arrives' }) inputReadyDate!: string;
}

/** No chain now: the failing stage, the reasons, and that stage's closest miss. */
export class InfeasibleStyleQuoteView extends StyleQuoteBase implements Extract<StyleQuote, { feasible: false }> {
  @ApiProperty({ type: Boolean, enum: [false], example: false }) feasible!: false;
  @ApiProperty({ type: FailedStageView }) failedStage!: FailedStageView;
  @ApiProperty({ type: [ReasonSchema] }) reasons!: ReasonSchema[];
  @ApiProperty({ type: CoverageSchema, description: "the failing stage's closest miss; for PRICE_ABOVE_TARGET, cheapestPrice is the cheapest whole chain found" }) closestMiss!: CoverageSchema;
}

export type StyleQuoteView = FeasibleStyleQuoteView | InfeasibleStyleQuoteView;
