import { ApiProperty } from '@nestjs/swagger';
import { Type } from 'class-transformer';
import { ArrayMaxSize, ArrayMinSize, IsArray, IsString, Length, Matches, ValidateNested } from 'class-validator';
import { AHEAD } from '../core/openapi-examples';

/** A loom or sewing station as the factory's gateway names it. */
export class MachineDto {
  @ApiProperty({ example: 'HALL-A-017', description: "the gateway's id for this machine; unique within the factory" })
  @IsString() @Length(1, 100) @Matches(/^[\x21-\x7e]+$/, { message: 'externalId must be visible ASCII characters' })
  externalId!: string;
}

export class RegisterMachinesDto {
  @ApiProperty({ type: [MachineDto] })
  @IsArray() @ArrayMinSize(1) @ArrayMaxSize(500) @ValidateNested({ each: true }) @Type(() => MachineDto)
  machines!: MachineDto[];
}

/** Documents POST /telemetry; the body is checked by `parseTelemetryBatch` (thousands of readings, one pass). */
export class ReadingDto {
  @ApiProperty({ example: 'HALL-A-017', description: "the machine's external id" })
  machineId!: string;

  @ApiProperty({ example: AHEAD.readingAt, description: 'when the gateway read the machine (ISO 8601 with time zone; a real calendar date, at most 10 minutes ahead, no older than the telemetry retention, 14 days by default)' })
  at!: string;

  @ApiProperty({ enum: ['running', 'idle', 'down'] })
  state!: 'running' | 'idle' | 'down';

  @ApiProperty({ required: false, example: 42000, description: 'weft picks woven since the previous reading of this machine' })
  picks?: number;
}

export class TelemetryBatchDto {
  @ApiProperty({ type: [ReadingDto], maxItems: 5000 })
  readings!: ReadingDto[];
}
