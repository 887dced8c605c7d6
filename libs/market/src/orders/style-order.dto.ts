import { ApiProperty, ApiPropertyOptional, getSchemaPath } from '@nestjs/swagger';
import { Type } from 'class-transformer';
import { Allow, ArrayMaxSize, ArrayMinSize, IsArray, IsDateString, IsIn, IsInt, IsNumber, IsObject, IsOptional, Matches, Max, Min, ValidateNested } from 'class-validator';
import { FINISHING_PROCESSES, type FinishingProcess } from '@cloudloom/matching';
import { createValidationPipe } from '@cloudloom/platform';
import { CreateOrderDto, FabricDto, GarmentDto, ISO_DATE, MAX_SIZES, type SizesInput } from './orders.dto';
import { AHEAD } from '../core/openapi-examples';

export class StyleFinishingDto {
  @ApiProperty({ enum: FINISHING_PROCESSES, example: 'dyeing' })
  @IsIn(FINISHING_PROCESSES)
  process!: FinishingProcess;
}

/**
 * A style order (DESIGN.md §8): one garment style with its fabric, planned as one chain
 * weaving → finishing (when asked) → sewing. The garment and fabric parts are the garment and
 * fabric orders' own classes, so their rules (and `spec` in place of `samMinutes`) are the same.
 * Taken by `POST /quotes` and `POST /orders`; the worker matches the chain in one transaction.
 */
export class StyleOrderDto {
  @ApiProperty({ enum: ['style'], example: 'style' })
  @IsIn(['style'])
  kind!: 'style';

  @ApiProperty({ type: GarmentDto })
  @IsObject() @ValidateNested() @Type(() => GarmentDto)
  garment!: GarmentDto;

  @ApiProperty({ type: FabricDto })
  @IsObject() @ValidateNested() @Type(() => FabricDto)
  fabric!: FabricDto;

  @ApiProperty({ example: 1.6, description: 'meters of fabric per piece' })
  @IsNumber({ allowNaN: false, allowInfinity: false }) @Min(0.05) @Max(50)
  fabricPerPieceM!: number;

  @ApiPropertyOptional({ example: 3, description: 'percent of fabric lost in cutting and finishing; default 3' })
  @IsOptional() @IsNumber({ allowNaN: false, allowInfinity: false }) @Min(0) @Max(50)
  wastagePct?: number;

  @ApiPropertyOptional({ type: StyleFinishingDto, description: 'a finishing stage between weaving and sewing; default none' })
  @IsOptional() @IsObject() @ValidateNested() @Type(() => StyleFinishingDto)
  finishing?: StyleFinishingDto;

  @ApiProperty({ example: 300, description: 'pieces' })
  @IsInt() @Min(1) @Max(1_000_000)
  quantity!: number;

  @ApiPropertyOptional({
    type: 'object', additionalProperties: { type: 'integer', minimum: 1 }, example: { S: 100, M: 150, L: 50 },
    description: `pieces per size, as on a garment order; at most ${MAX_SIZES} sizes, summing to quantity`,
  })
  @IsOptional() @Allow()
  sizes?: SizesInput;

  @ApiProperty({ example: AHEAD.dueDate, description: 'the day the sewn pieces are due' })
  @Matches(ISO_DATE, { message: 'dueDate must be a date YYYY-MM-DD' }) @IsDateString({ strict: true })
  dueDate!: string;

  @ApiPropertyOptional({ example: AHEAD.earliestStart, description: 'the first day weaving may start; default tomorrow' })
  @IsOptional() @Matches(ISO_DATE, { message: 'earliestStart must be a date YYYY-MM-DD' }) @IsDateString({ strict: true })
  earliestStart?: string;

  @ApiPropertyOptional({ example: 2, description: "days from a stage's last day to the next stage's first day at the earliest; default 2" })
  @IsOptional() @IsInt() @Min(0) @Max(30)
  transitDays?: number;

  @ApiPropertyOptional({ example: 2, description: 'lines each stage may be split across; default 3 for weaving and finishing, 2 for sewing' })
  @IsOptional() @IsInt() @Min(1) @Max(10)
  maxSplits?: number;

  @ApiPropertyOptional({ example: 25000, description: 'CNY for the whole chain: a ceiling no first plan of the chain exceeds (a miss says PRICE_ABOVE_TARGET with the cheapest chain price); the agreed price for later plans' })
  @IsOptional() @IsNumber({ allowNaN: false, allowInfinity: false }) @Min(0) @Max(1e9)
  targetPrice?: number;

  @ApiPropertyOptional({ example: 5, description: 'percent a later plan of the chain (after a refusal, an expiry, a breakdown) may go above the agreed price without asking; default 0' })
  @IsOptional() @IsNumber({ allowNaN: false, allowInfinity: false }) @Min(0) @Max(1000)
  priceTolerancePct?: number;
}

/**
 * The body's class follows its `kind`: a style is a different shape from a fabric or garment
 * order, and the strict pipe (unknown fields refused, fields named) must check it as that shape.
 * For `POST /orders` and `POST /quotes`, which take either.
 */
const validation = createValidationPipe();

export async function orderOrStyle(body: unknown): Promise<{ readonly style: StyleOrderDto } | { readonly order: CreateOrderDto }> {
  const isStyle = typeof body === 'object' && body !== null && !Array.isArray(body) && (body as Record<string, unknown>)['kind'] === 'style';
  if (isStyle) return { style: (await validation.transform(body, { type: 'body', metatype: StyleOrderDto })) as StyleOrderDto };
  return { order: (await validation.transform(body, { type: 'body', metatype: CreateOrderDto })) as CreateOrderDto };
}

export const MAX_ORDERS_PER_POST = 100;

/**
 * Several orders at once, as an ERP posts them: all are stored, or none. Each item is checked as
 * the shape its `kind` names (a style as `StyleOrderDto`, anything else as `CreateOrderDto`, whose
 * `kind` rule names a wrong kind), so a bad field is named `orders.<i>.<field>` as in one post.
 */
export class CreateOrdersDto {
  @ApiProperty({
    type: 'array',
    items: { oneOf: [{ $ref: getSchemaPath(CreateOrderDto) }, { $ref: getSchemaPath(StyleOrderDto) }] },
    minItems: 1,
    maxItems: MAX_ORDERS_PER_POST,
    example: [
      { kind: 'fabric', fabric: { fiber: 'cotton', weave: 'twill', widthCm: 150, picksPerCm: 30 }, quantity: 3000, dueDate: AHEAD.dueDate },
      { kind: 'garment', garment: { category: 'tshirt', fabricType: 'knit', samMinutes: 12.5 }, quantity: 300, dueDate: AHEAD.dueDate },
      { kind: 'style', garment: { category: 'dress', fabricType: 'woven', samMinutes: 40 }, fabric: { fiber: 'cotton', weave: 'plain', widthCm: 150, picksPerCm: 30 }, fabricPerPieceM: 2, finishing: { process: 'dyeing' }, quantity: 300, dueDate: AHEAD.dueDate },
    ],
  })
  @IsArray() @ArrayMinSize(1) @ArrayMaxSize(MAX_ORDERS_PER_POST) @ValidateNested({ each: true })
  @Type(() => CreateOrderDto, { discriminator: { property: 'kind', subTypes: [{ value: StyleOrderDto, name: 'style' }] }, keepDiscriminatorProperty: true })
  orders!: (CreateOrderDto | StyleOrderDto)[];
}
