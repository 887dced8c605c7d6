import { ApiPropertyOptional } from '@nestjs/swagger';
import { IsIn, IsOptional, IsString, IsUUID, Length } from 'class-validator';
import { EXAMPLE } from '../core/openapi-examples';
import { ALLOCATION_STATUSES, type AllocationStatus, REJECT_REASON_CODES, type RejectReasonCode } from '@cloudloom/persistence';

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

export class ListOffersQuery {
  @ApiPropertyOptional({ enum: ALLOCATION_STATUSES, example: 'offered', description: 'offered: the queue of offers waiting for an answer, the one expiring soonest first' })
  @IsOptional() @IsIn(ALLOCATION_STATUSES)
  status?: AllocationStatus;

  @ApiPropertyOptional({ format: 'uuid', example: EXAMPLE.lineId, description: "only this line's (another factory's line, or none: an empty list)" })
  @IsOptional() @IsUUID('all', { message: 'lineId must be the id of one of your lines' })
  lineId?: string;
}
