import { Module } from '@nestjs/common';
import { EventsModule } from '../events/events.module';
import { AlertsController } from './alerts.controller';
import { AlertsEvaluator } from './alerts';
import { ForecastController } from './forecast.controller';
import { ForecastQueries } from './forecast.queries';
import { HistoryController } from './history.controller';
import { HistoryQueries } from './history.queries';
import { MarketRollups } from './rollups';

/** What the sweep runs for the radar (the alerts' evaluation, the rollups); the API reads the alerts through it too. */
@Module({
  imports: [EventsModule],
  providers: [AlertsEvaluator, MarketRollups],
  exports: [AlertsEvaluator, MarketRollups],
})
export class RadarJobsModule {}

/** The operator's radar (DESIGN.md §12): the look ahead per cluster and the early warnings. */
@Module({
  imports: [RadarJobsModule],
  controllers: [ForecastController, HistoryController, AlertsController],
  providers: [ForecastQueries, HistoryQueries],
})
export class RadarModule {}
