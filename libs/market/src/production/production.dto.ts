import { ApiProperty } from '@nestjs/swagger';
import { IsInt, Max, Min } from 'class-validator';

export class ProgressDto {
  @ApiProperty({ example: 1200, description: 'cumulative meters or pieces produced so far on this allocation' })
  @IsInt() @Min(0) @Max(1_000_000)
  producedQuantity!: number;
}
