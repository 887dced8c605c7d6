import { Body, Controller, Get, Headers, HttpCode, Param, Post } from '@nestjs/common';
import { ApiBearerAuth, ApiHeader, ApiTags } from '@nestjs/swagger';
import { CurrentPrincipal, type Principal, Roles } from '../identity/principal';
import { CreateOrderDto } from './orders.dto';
import { OrdersService } from './orders.service';
import type { OrderView } from './order.view';

@ApiTags('brand')
@ApiBearerAuth()
@Controller('orders')
export class OrdersController {
  constructor(private readonly orders: OrdersService) {}

  /** 202: the order is stored and queued; matching happens in the worker within moments. */
  @Roles('brand')
  @Post()
  @HttpCode(202)
  @ApiHeader({ name: 'Idempotency-Key', required: false, description: 'a retry with the same key returns the first order' })
  create(@CurrentPrincipal() principal: Principal, @Body() dto: CreateOrderDto, @Headers('idempotency-key') key?: string): Promise<OrderView> {
    return this.orders.create(principal, dto, key);
  }

  @Roles('brand', 'operator')
  @Get()
  list(@CurrentPrincipal() principal: Principal): Promise<{ items: OrderView[] }> {
    return this.orders.list(principal);
  }

  @Roles('brand', 'operator')
  @Post(':id/cancel')
  @HttpCode(200)
  cancel(@CurrentPrincipal() principal: Principal, @Param('id') id: string): Promise<OrderView> {
    return this.orders.cancel(principal, id);
  }

  @Roles('brand', 'operator')
  @Get(':id')
  get(@CurrentPrincipal() principal: Principal, @Param('id') id: string): Promise<OrderView> {
    return this.orders.get(principal, id);
  }
}
