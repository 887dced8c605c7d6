import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import type { OrderSpec } from '@cloudloom/matching';
import { EXAMPLE } from '../core/openapi-examples';
import { OrderSpecSchema } from './operator.views';
import type { FactoryContacts, BrandCounterparties as ApiBrandCounterparties, FactoryCounterparties as ApiFactoryCounterparties } from '@cloudloom/contracts';

class CounterpartyContacts implements FactoryContacts {
  @ApiPropertyOptional({ example: '李伟' }) name?: string;
  @ApiPropertyOptional({ example: '+86 138 0571 2345' }) phone?: string;
  @ApiPropertyOptional({ example: 'keqiao_liwei' }) wechat?: string;
}

class CounterpartyFactory {
  @ApiProperty({ format: 'uuid', example: EXAMPLE.factoryId }) id!: string;
  @ApiProperty({ example: 'Keqiao Weaving No. 3' }) name!: string;
  @ApiProperty({ type: String, nullable: true, example: 'Shaoxing' }) city!: string | null;
  @ApiProperty({ type: String, nullable: true, example: 'Zhejiang' }) province!: string | null;
  @ApiProperty({ type: CounterpartyContacts, nullable: true, description: "the factory's contacts once it has taken some of your work (accepted an offer); null before" }) contacts!: FactoryContacts | null;
}

class CounterpartyLine {
  @ApiProperty({ format: 'uuid', example: EXAMPLE.lineId }) id!: string;
  @ApiProperty({ example: 'Hall A air-jets' }) name!: string;
  @ApiProperty({ enum: ['weaving', 'sewing', 'finishing'], example: 'weaving' }) kind!: 'weaving' | 'sewing' | 'finishing';
  @ApiProperty({ example: 'air_jet', description: "the loom type, or the line's kind (sewing, finishing)" }) machineType!: string;
}

const NEXT_CURSOR = { example: 'WyI3YjJlOWM0MS0wZDNhLTRmNWItOGM2ZS0xYTJiM2M0ZDVlNmYiLG51bGxd', description: 'pass as `cursor` for the next page of both lists; absent on the last' };

/** A brand's view: the factories and lines working its orders, a page of each (by id). */
export class BrandCounterparties implements ApiBrandCounterparties {
  @ApiProperty({ type: [CounterpartyFactory] }) factories!: CounterpartyFactory[];
  @ApiProperty({ type: [CounterpartyLine] }) lines!: CounterpartyLine[];
  @ApiPropertyOptional(NEXT_CURSOR) nextCursor?: string;
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

/** A factory's view: the brands and orders it was offered, a page of each (by id). */
export class FactoryCounterparties implements ApiFactoryCounterparties {
  @ApiProperty({ type: [CounterpartyBrand] }) brands!: CounterpartyBrand[];
  @ApiProperty({ type: [CounterpartyOrder] }) orders!: CounterpartyOrder[];
  @ApiPropertyOptional(NEXT_CURSOR) nextCursor?: string;
}
