import { ApiProperty } from '@nestjs/swagger';
import type { OrderSpec } from '@cloudloom/matching';
import { EXAMPLE } from '../core/openapi-examples';
import { OrderSpecSchema } from './operator.views';
import type { BrandCounterparties as ApiBrandCounterparties, FactoryCounterparties as ApiFactoryCounterparties } from '@cloudloom/contracts';

class CounterpartyFactory {
  @ApiProperty({ format: 'uuid', example: EXAMPLE.factoryId }) id!: string;
  @ApiProperty({ example: 'Keqiao Weaving No. 3' }) name!: string;
  @ApiProperty({ type: String, nullable: true, example: 'Shaoxing' }) city!: string | null;
  @ApiProperty({ type: String, nullable: true, example: 'Zhejiang' }) province!: string | null;
}

class CounterpartyLine {
  @ApiProperty({ format: 'uuid', example: EXAMPLE.lineId }) id!: string;
  @ApiProperty({ example: 'Hall A air-jets' }) name!: string;
  @ApiProperty({ enum: ['weaving', 'sewing'], example: 'weaving' }) kind!: 'weaving' | 'sewing';
  @ApiProperty({ example: 'air_jet', description: "the loom type, or 'sewing'" }) machineType!: string;
}

/** A brand's view: the factories and lines working its orders. */
export class BrandCounterparties implements ApiBrandCounterparties {
  @ApiProperty({ type: [CounterpartyFactory] }) factories!: CounterpartyFactory[];
  @ApiProperty({ type: [CounterpartyLine] }) lines!: CounterpartyLine[];
}

class CounterpartyBrand {
  @ApiProperty({ format: 'uuid', example: EXAMPLE.brandId }) id!: string;
  @ApiProperty({ example: 'Canton Studio' }) name!: string;
  @ApiProperty({ type: String, nullable: true, example: 'Guangzhou' }) city!: string | null;
}

class CounterpartyOrder {
  @ApiProperty({ format: 'uuid', example: EXAMPLE.orderId }) id!: string;
  @ApiProperty({ format: 'uuid', example: EXAMPLE.brandId }) brandId!: string;
  @ApiProperty({ enum: ['fabric', 'garment'], example: 'fabric' }) kind!: 'fabric' | 'garment';
  @ApiProperty({ type: OrderSpecSchema }) spec!: OrderSpec;
  @ApiProperty({ example: 3000 }) quantity!: number;
  @ApiProperty({ format: 'date', example: EXAMPLE.date }) dueDate!: string;
}

/** A factory's view: the brands and orders it was offered. */
export class FactoryCounterparties implements ApiFactoryCounterparties {
  @ApiProperty({ type: [CounterpartyBrand] }) brands!: CounterpartyBrand[];
  @ApiProperty({ type: [CounterpartyOrder] }) orders!: CounterpartyOrder[];
}
