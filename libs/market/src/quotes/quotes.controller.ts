import { Body, Controller, HttpCode, Post } from '@nestjs/common';
import { ApiBody, ApiExtraModels, ApiOkResponse, ApiOperation, ApiTags, getSchemaPath } from '@nestjs/swagger';
import { createValidationPipe } from '@cloudloom/platform';
import { CurrentPrincipal, EVERYONE, People, type Principal, Roles } from '../identity/principal';
import { CreateOrderDto, QUOTE_BODY_EXAMPLES } from '../orders/orders.dto';
import { StyleOrderDto } from '../orders/style-order.dto';
import {
  FeasibleQuoteView, FeasibleStyleQuoteView, InfeasibleQuoteView, InfeasibleStyleQuoteView, type QuoteView, type StyleQuoteView,
} from './quote.view';
import { QuotesService } from './quotes.service';

/**
 * The body's class follows its `kind`: a style is a different shape from a fabric or garment
 * order, and the strict pipe (unknown fields refused, fields named) must check it as that shape.
 */
const validation = createValidationPipe();

function isStyle(body: unknown): boolean {
  return typeof body === 'object' && body !== null && !Array.isArray(body) && (body as Record<string, unknown>)['kind'] === 'style';
}

@ApiTags('brand')
@Roles('brand')
@ApiExtraModels(CreateOrderDto, StyleOrderDto, FeasibleQuoteView, InfeasibleQuoteView, FeasibleStyleQuoteView, InfeasibleStyleQuoteView)
@Controller('quotes')
export class QuotesController {
  constructor(private readonly quotes: QuotesService) {}

  /** Same body as POST /orders (or a style, §8); answers earliest completion and price, or why not. Reserves nothing. */
  // A quote reserves nothing: a viewer may ask for one.
  @People(...EVERYONE)
  @Post()
  @HttpCode(200)
  @ApiOperation({
    summary: 'Instant quote',
    description: 'The same body as POST /orders, or a style (kind "style": weaving, finishing when asked, sewing) planned as one chain; the planner answers without reserving anything.',
  })
  @ApiBody({ schema: { oneOf: [{ $ref: getSchemaPath(CreateOrderDto) }, { $ref: getSchemaPath(StyleOrderDto) }] }, examples: QUOTE_BODY_EXAMPLES })
  @ApiOkResponse({
    schema: {
      oneOf: [
        { $ref: getSchemaPath(FeasibleQuoteView) }, { $ref: getSchemaPath(InfeasibleQuoteView) },
        { $ref: getSchemaPath(FeasibleStyleQuoteView) }, { $ref: getSchemaPath(InfeasibleStyleQuoteView) },
      ],
    },
  })
  async quote(@CurrentPrincipal() principal: Principal, @Body() body: unknown): Promise<QuoteView | StyleQuoteView> {
    if (isStyle(body)) {
      const dto = (await validation.transform(body, { type: 'body', metatype: StyleOrderDto })) as StyleOrderDto;
      return this.quotes.quoteStyle(principal, dto);
    }
    const dto = (await validation.transform(body, { type: 'body', metatype: CreateOrderDto })) as CreateOrderDto;
    return this.quotes.quote(principal, dto);
  }
}
