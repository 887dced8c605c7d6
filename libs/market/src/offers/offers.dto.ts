import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { ArrayMaxSize, ArrayMinSize, ArrayUnique, IsArray, IsDateString, IsIn, IsNumber, IsOptional, IsPositive, IsString, IsUUID, Length, Matches, Max } from 'class-validator';
import { EXAMPLE } from '../core/openapi-examples';
import { ISO_DATE } from '../orders/orders.dto';
import { ALLOCATION_STATUSES, type AllocationStatus, REJECT_REASON_CODES, type RejectReasonCode } from '@cloudloom/persistence';

/** A message is a question or an answer about one offer, not a document (files go to the order's attachments). */
export const MESSAGE_MAX_LENGTH = 2000;

/** Why the factory says no: the order's brand reads it, operators sum it, other factories never see it. */
export class RejectOfferDto {
  @ApiPropertyOptional({ enum: REJECT_REASON_CODES, example: 'NO_CAPACITY', description: 'default OTHER' })
  @IsOptional() @IsIn(REJECT_REASON_CODES, { message: `reasonCode must be one of ${REJECT_REASON_CODES.join(', ')}` })
  reasonCode?: RejectReasonCode;

  @ApiPropertyOptional({ example: 'looms booked for a repeat order', maxLength: 500 })
  @IsOptional() @IsString() @Length(1, 500)
  note?: string;

  @ApiPropertyOptional({ example: 'looms booked for a repeat order', maxLength: 500, deprecated: true, description: 'the note, as older clients send it' })
  @IsOptional() @IsString() @Length(1, 500)
  reason?: string;
}

/** The most offers one bulk accept takes: a page of the queue (GET /offers lists 100). */
export const MAX_OFFERS_PER_ACCEPT = 100;

/** Several offers of the queue accepted at once; each is answered on its own. */
export class AcceptOffersDto {
  @ApiProperty({ type: [String], format: 'uuid', example: [EXAMPLE.allocationId], minItems: 1, maxItems: MAX_OFFERS_PER_ACCEPT, description: 'the offers to accept, each once' })
  @IsArray({ message: 'ids must be a list of offer ids' })
  @ArrayMinSize(1, { message: 'ids must name at least one offer' })
  @ArrayMaxSize(MAX_OFFERS_PER_ACCEPT, { message: `ids must name at most ${MAX_OFFERS_PER_ACCEPT} offers` })
  @ArrayUnique({ message: 'ids must name each offer once' })
  @IsUUID('all', { each: true, message: 'each of ids must be the id of an offer' })
  ids!: string[];
}

export class ListOffersQuery {
  @ApiPropertyOptional({ enum: ALLOCATION_STATUSES, example: 'offered', description: 'offered: the queue of offers waiting for an answer, the one expiring soonest first' })
  @IsOptional() @IsIn(ALLOCATION_STATUSES)
  status?: AllocationStatus;

  @ApiPropertyOptional({ format: 'uuid', example: EXAMPLE.lineId, description: "only this line's (another factory's line, or none: an empty list)" })
  @IsOptional() @IsUUID('all', { message: 'lineId must be the id of one of your lines' })
  lineId?: string;
}

/** A factory's own terms for its offer (DESIGN.md §9): a price, a later end date, or both. */
export class CounterOfferDto {
  @ApiPropertyOptional({ example: 356.4, description: 'CNY for this offer (its whole quantity); absent: the offer\'s price stands' })
  @IsOptional() @IsNumber({ allowNaN: false, allowInfinity: false, maxDecimalPlaces: 2 }, { message: 'price must be a number of CNY with at most 2 decimals' })
  @IsPositive({ message: 'price must be more than 0' }) @Max(1e9, { message: 'price must not be more than 1000000000' })
  price?: number;

  @ApiPropertyOptional({ example: '2026-12-12', description: 'a later end date, on or before the order\'s due date; absent: the offer\'s end date stands' })
  @IsOptional() @Matches(ISO_DATE, { message: 'endDate must be a date YYYY-MM-DD' }) @IsDateString({ strict: true }, { message: 'endDate must be a date YYYY-MM-DD' })
  endDate?: string;

  @ApiPropertyOptional({ example: '纱线涨价，需加价 10%', maxLength: 500 })
  @IsOptional() @IsString() @Length(1, 500, { message: 'note must be 1 to 500 characters' })
  note?: string;
}

/** One message of an offer's conversation. */
export class OfferMessageDto {
  @ApiProperty({ example: '请确认纱线批号，交货地址为广州市海珠区。', minLength: 1, maxLength: MESSAGE_MAX_LENGTH })
  @IsString({ message: 'body must be text' }) @Length(1, MESSAGE_MAX_LENGTH, { message: `body must be 1 to ${MESSAGE_MAX_LENGTH} characters` })
  body!: string;
}
