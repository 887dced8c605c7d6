import { Module } from '@nestjs/common';
import { EventsFeedModule } from '../events/events.module';
import { CounterpartiesController } from './counterparties.controller';
import { MarketMetrics } from './market.metrics';
import { MarketQueries } from './market.queries';
import { MetricsController } from './metrics.controller';
import { OperatorController } from './operator.controller';
import { OperatorQueries } from './operator.queries';

/** What operators watch the market with: Prometheus metrics and the console's read endpoints. */
@Module({
  imports: [EventsFeedModule],
  controllers: [MetricsController, OperatorController, CounterpartiesController],
  providers: [MarketQueries, MarketMetrics, OperatorQueries],
  exports: [MarketMetrics],
})
export class ObservabilityModule {}
