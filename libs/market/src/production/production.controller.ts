import { Body, Controller, HttpCode, Param, Post } from '@nestjs/common';
import { ApiOkResponse, ApiOperation, ApiTags } from '@nestjs/swagger';
import { ApiProblems } from '@cloudloom/platform';
import { CurrentPrincipal, People, type Principal, Roles } from '../identity/principal';
import { AllocationView } from '../orders/order.view';
import { ProgressDto } from './production.dto';
import { ProductionService } from './production.service';

@ApiTags('factory')
@Roles('factory')
@Controller('allocations')
export class ProductionController {
  constructor(private readonly production: ProductionService) {}

  @People('owner', 'dispatcher')
  @Post(':id/progress')
  @HttpCode(200)
  @ApiOperation({ summary: 'Report production on an accepted allocation', description: 'Cumulative: never backwards, never above the allocation.' })
  @ApiOkResponse({ type: AllocationView })
  @ApiProblems(409)
  progress(@CurrentPrincipal() principal: Principal, @Param('id') id: string, @Body() dto: ProgressDto): Promise<AllocationView> {
    return this.production.report(principal, id, dto.producedQuantity);
  }
}
