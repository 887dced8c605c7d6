import { Body, Controller, Get, HttpCode, Param, Post, Query } from '@nestjs/common';
import { ApiBearerAuth, ApiTags } from '@nestjs/swagger';
import { CurrentPrincipal, type Principal, Roles } from '../identity/principal';
import type { AllocationView } from '../orders/order.view';
import { ListOffersQuery, RejectOfferDto } from './offers.dto';
import { OffersService } from './offers.service';

@ApiTags('factory')
@ApiBearerAuth()
@Roles('factory')
@Controller('offers')
export class OffersController {
  constructor(private readonly offers: OffersService) {}

  @Get()
  list(@CurrentPrincipal() principal: Principal, @Query() query: ListOffersQuery): Promise<{ items: AllocationView[] }> {
    return this.offers.list(principal, query.status);
  }

  @Post(':id/accept')
  @HttpCode(200)
  accept(@CurrentPrincipal() principal: Principal, @Param('id') id: string): Promise<AllocationView> {
    return this.offers.accept(principal, id);
  }

  @Post(':id/reject')
  @HttpCode(200)
  reject(@CurrentPrincipal() principal: Principal, @Param('id') id: string, @Body() dto: RejectOfferDto): Promise<AllocationView> {
    return this.offers.reject(principal, id, dto.reason);
  }
}
