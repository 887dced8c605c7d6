import { Module } from '@nestjs/common';
import { EventsModule } from '../events/events.module';
import { AlertsController } from './alerts.controller';
import { AlertsEvaluator } from './alerts';
import { ForecastController } from './forecast.controller';
import { ForecastQueries } from './forecast.queries';

/** The alerts' evaluation, for the sweep (worker side) and the API's reads. */
@Module({
  imports: [EventsModule],
  providers: [AlertsEvaluator],
  exports: [AlertsEvaluator],
})
export class RadarAlertsModule {}

/** The operator's radar (DESIGN.md §12): the look ahead per cluster and the early warnings. */
@Module({
  imports: [RadarAlertsModule],
  controllers: [ForecastController, AlertsController],
  providers: [ForecastQueries],
})
export class RadarModule {}
