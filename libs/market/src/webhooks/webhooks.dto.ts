import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { ArrayMaxSize, ArrayMinSize, ArrayUnique, IsArray, IsBoolean, IsIn, IsOptional, IsString, Length } from 'class-validator';
import { EVENT_TYPES, type EventType } from '@cloudloom/contracts';

const URL_EXAMPLE = 'https://erp.example.com/cloudloom/hooks';

export class CreateWebhookDto {
  @ApiProperty({ example: URL_EXAMPLE, maxLength: 2000, description: 'http or https, to a public address' })
  @IsString() @Length(1, 2000)
  url!: string;

  @ApiProperty({ enum: EVENT_TYPES, isArray: true, example: ['order.matched', 'order.cancelled'], description: 'the events of your own trades to send' })
  @IsArray() @ArrayMinSize(1) @ArrayMaxSize(EVENT_TYPES.length) @ArrayUnique() @IsIn(EVENT_TYPES, { each: true })
  events!: EventType[];
}

export class UpdateWebhookDto {
  @ApiPropertyOptional({ example: URL_EXAMPLE, maxLength: 2000 })
  @IsOptional() @IsString() @Length(1, 2000)
  url?: string;

  @ApiPropertyOptional({ enum: EVENT_TYPES, isArray: true, example: ['order.matched'] })
  @IsOptional() @IsArray() @ArrayMinSize(1) @ArrayMaxSize(EVENT_TYPES.length) @ArrayUnique() @IsIn(EVENT_TYPES, { each: true })
  events?: EventType[];

  @ApiPropertyOptional({ example: false, description: 'false: no deliveries for new events until set back' })
  @IsOptional() @IsBoolean()
  active?: boolean;
}

export class DeliveriesQuery {
  @ApiPropertyOptional({ example: 'eyJjIjoiMjAyNi0xMi0wN1QwNDowMDowMC4wMDBaIiwiaSI6ImQyYTRjNmU4LTFiM2QtNGY1YS05YzdlLTJiNGQ2ZjhhMGMxMyJ9', description: "the previous page's nextCursor" })
  @IsOptional() @IsString() @Length(1, 200)
  cursor?: string;
}
