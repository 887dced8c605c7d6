import { Body, Controller, HttpCode, Param, Post } from '@nestjs/common';
import { ApiBearerAuth, ApiTags } from '@nestjs/swagger';
import { CurrentPrincipal, type Principal, Roles } from '../identity/principal';
import type { AllocationView } from '../orders/order.view';
import { ProgressDto } from './production.dto';
import { ProductionService } from './production.service';

@ApiTags('factory')
@ApiBearerAuth()
@Roles('factory')
@Controller('allocations')
export class ProductionController {
  constructor(private readonly production: ProductionService) {}

  @Post(':id/progress')
  @HttpCode(200)
  progress(@CurrentPrincipal() principal: Principal, @Param('id') id: string, @Body() dto: ProgressDto): Promise<AllocationView> {
    return this.production.report(principal, id, dto.producedQuantity);
  }
}
