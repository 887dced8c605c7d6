import { ApiProperty } from '@nestjs/swagger';
import { EXAMPLE } from '../core/openapi-examples';
import { CoverageSchema, ReasonSchema } from '../orders/order.view';

class QuoteBase {
  @ApiProperty({ example: 3000 }) quantity!: number;
  @ApiProperty({ format: 'date', example: EXAMPLE.date }) dueDate!: string;
  @ApiProperty({ format: 'date-time', example: EXAMPLE.dateTime }) quotedAt!: string;
}

/** The order could be planned now: when it would be done and what it would cost. */
export class FeasibleQuoteView extends QuoteBase {
  @ApiProperty({ type: Boolean, enum: [true], example: true }) feasible!: true;
  @ApiProperty({ format: 'date', example: EXAMPLE.endDate }) earliestCompletion!: string;
  @ApiProperty({ example: 11, description: 'days between completion and the due date' }) slackDays!: number;
  @ApiProperty({ example: 324.5, description: 'CNY for the whole order' }) price!: number;
  @ApiProperty({ enum: ['CNY'], example: 'CNY' }) currency!: 'CNY';
  @ApiProperty({ type: Boolean, nullable: true, example: true, description: 'null without a target price' }) withinTargetPrice!: boolean | null;
  @ApiProperty({ example: 1 }) splits!: number;
  @ApiProperty({ example: 1 }) factories!: number;
}

/** No plan now: the reasons, and how close the best plan comes. */
export class InfeasibleQuoteView extends QuoteBase {
  @ApiProperty({ type: Boolean, enum: [false], example: false }) feasible!: false;
  @ApiProperty({ type: [ReasonSchema] }) reasons!: ReasonSchema[];
  @ApiProperty({ type: CoverageSchema }) closestMiss!: CoverageSchema;
}

export type QuoteView = FeasibleQuoteView | InfeasibleQuoteView;
