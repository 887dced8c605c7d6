import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { Type } from 'class-transformer';
import { ArrayMaxSize, ArrayMinSize, IsArray, IsIn, IsInt, IsOptional, IsString, Matches, Max, MaxLength, Min, ValidateNested } from 'class-validator';
import { LOT_KINDS, type LotKind } from './identifier';

/** A batch of at most this many lots: a gateway's or an ERP's shift, well inside the body limit. */
export const LOTS_BATCH_MAX = 500;

export class CreateLotDto {
  @ApiProperty({ enum: LOT_KINDS, example: 'roll', description: 'weaving lines make rolls, finishing lines batches, sewing lines bundles and cartons' })
  @IsIn(LOT_KINDS)
  kind!: LotKind;

  @ApiProperty({ example: 120, description: 'meters (rolls, batches) or pieces (bundles, cartons)' })
  @IsInt() @Min(1) @Max(1_000_000)
  quantity!: number;

  @ApiPropertyOptional({ type: [String], example: [], description: "identifiers of the lots it was made from: an earlier stage of the same order (a bundle's rolls), or a carton's bundles" })
  @IsOptional() @IsArray() @ArrayMaxSize(200) @IsString({ each: true }) @MaxLength(80, { each: true })
  inputs?: string[];
}

export class CreateLotsDto {
  @ApiProperty({ type: [CreateLotDto], description: `1 to ${LOTS_BATCH_MAX} lots, recorded all or none` })
  @IsArray() @ArrayMinSize(1) @ArrayMaxSize(LOTS_BATCH_MAX) @ValidateNested({ each: true }) @Type(() => CreateLotDto)
  lots!: CreateLotDto[];
}

export class ListLotsQuery {
  @ApiPropertyOptional({ example: '1042', description: 'nextCursor of the previous page' })
  @IsOptional() @Matches(/^[0-9]{1,18}$/, { message: 'cursor must be the nextCursor of a previous page' })
  cursor?: string;

  @ApiPropertyOptional({ example: 100, minimum: 1, maximum: 500 })
  @IsOptional() @Type(() => Number) @IsInt() @Min(1) @Max(500)
  limit?: number;
}
