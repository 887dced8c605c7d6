import { Controller, Get, Query } from '@nestjs/common';
import { ApiOkResponse, ApiOperation, ApiTags } from '@nestjs/swagger';
import { EVERYONE, People, Roles } from '../identity/principal';
import { MarketRatesQuery, MarketRatesService, MarketRatesView } from './market-rates';

/**
 * What lines like one's own charge: for a factory pricing a line (the console's line form starts
 * from the median) and for operators. Brands see prices in their quotes, not the mills' rate card.
 */
@ApiTags('factory')
@Roles('factory', 'operator')
@Controller('market/rates')
export class MarketRatesController {
  constructor(private readonly rates: MarketRatesService) {}

  @People(...EVERYONE)
  @Get()
  @ApiOperation({
    summary: "The market's band of rates for a kind of line",
    description: 'Quartiles (p25, median, p75) of active lines of verified factories: per loom type (weaving), garment category (sewing) or process (finishing), in a city when it has at least 5 such lines, else across the market.',
  })
  @ApiOkResponse({ type: MarketRatesView })
  band(@Query() query: MarketRatesQuery): Promise<MarketRatesView> {
    return this.rates.band(query);
  }
}
