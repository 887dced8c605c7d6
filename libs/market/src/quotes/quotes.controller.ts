import { Body, Controller, HttpCode, Post } from '@nestjs/common';
import { ApiBearerAuth, ApiTags } from '@nestjs/swagger';
import { CurrentPrincipal, type Principal, Roles } from '../identity/principal';
import { CreateOrderDto } from '../orders/orders.dto';
import { QuotesService, type QuoteView } from './quotes.service';

@ApiTags('brand')
@ApiBearerAuth()
@Roles('brand')
@Controller('quotes')
export class QuotesController {
  constructor(private readonly quotes: QuotesService) {}

  /** Same body as POST /orders; answers earliest completion and price, or why not. Reserves nothing. */
  @Post()
  @HttpCode(200)
  quote(@CurrentPrincipal() principal: Principal, @Body() dto: CreateOrderDto): Promise<QuoteView> {
    return this.quotes.quote(principal, dto);
  }
}
