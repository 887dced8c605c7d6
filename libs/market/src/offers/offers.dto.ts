import { ApiPropertyOptional } from '@nestjs/swagger';
import { IsIn, IsOptional, IsString, Length } from 'class-validator';
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
  @ApiPropertyOptional({ enum: ALLOCATION_STATUSES })
  @IsOptional() @IsIn(ALLOCATION_STATUSES)
  status?: AllocationStatus;
}
