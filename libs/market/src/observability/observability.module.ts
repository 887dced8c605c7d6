import { Module } from '@nestjs/common';
import { AuditController } from './audit.controller';
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
  controllers: [MetricsController, OperatorController, CounterpartiesController, AuditController],
  providers: [MarketQueries, MarketMetrics, OperatorQueries],
  exports: [MarketMetrics],
})
export class ObservabilityModule {}
