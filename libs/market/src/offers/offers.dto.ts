import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { IsIn, IsOptional, IsString, Length } from 'class-validator';
import { ALLOCATION_STATUSES, type AllocationStatus } from '@cloudloom/persistence';

export class RejectOfferDto {
  @ApiProperty({ example: 'looms booked for a repeat order', maxLength: 500 })
  @IsString() @Length(1, 500)
  reason!: string;
}

export class ListOffersQuery {
  @ApiPropertyOptional({ enum: ALLOCATION_STATUSES })
  @IsOptional() @IsIn(ALLOCATION_STATUSES)
  status?: AllocationStatus;
}
