import { Controller, Get, Res } from '@nestjs/common';
import { ApiBearerAuth, ApiProduces, ApiTags } from '@nestjs/swagger';
import type { Response } from 'express';
import { Roles } from '../identity/principal';
import { MarketMetrics } from './market.metrics';

/**
 * Prometheus text for scrapers. Operator key only: the numbers describe the whole market
 * (scrape with `authorization: { credentials: <OPERATOR_API_KEY> }`).
 */
@ApiTags('operator')
@ApiBearerAuth()
@Roles('operator')
@Controller('metrics')
export class MetricsController {
  constructor(private readonly metrics: MarketMetrics) {}

  @Get()
  @ApiProduces('text/plain')
  async scrape(@Res({ passthrough: true }) res: Response): Promise<string> {
    const text = await this.metrics.text();
    res.type(this.metrics.contentType());
    return text;
  }
}
