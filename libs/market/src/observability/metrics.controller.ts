import { Controller, Get, Res } from '@nestjs/common';
import { ApiOkResponse, ApiOperation, ApiTags } from '@nestjs/swagger';
import type { Response } from 'express';
import { EVERYONE, People, Roles } from '../identity/principal';
import { MarketMetrics } from './market.metrics';

/**
 * Prometheus text for scrapers. Operator key only: the numbers describe the whole market
 * (scrape with `authorization: { credentials: <OPERATOR_API_KEY> }`).
 */
@ApiTags('operator')
@Roles('operator')
@Controller('metrics')
export class MetricsController {
  constructor(private readonly metrics: MarketMetrics) {}

  @People(...EVERYONE)
  @Get()
  @ApiOperation({ summary: 'Prometheus metrics of the market and the process' })
  @ApiOkResponse({
    description: 'Prometheus text exposition format',
    content: { 'text/plain': { schema: { type: 'string' }, example: '# HELP cloudloom_orders Orders by status\n# TYPE cloudloom_orders gauge\ncloudloom_orders{status="confirmed"} 40\n' } },
  })
  async scrape(@Res({ passthrough: true }) res: Response): Promise<string> {
    const text = await this.metrics.text();
    res.type(this.metrics.contentType());
    return text;
  }
}
