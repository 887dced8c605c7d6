import { Module } from '@nestjs/common';
import { ForecastController } from './forecast.controller';
import { ForecastQueries } from './forecast.queries';

/** The operator's radar (DESIGN.md §12): the look ahead per cluster. */
@Module({
  controllers: [ForecastController],
  providers: [ForecastQueries],
})
export class RadarModule {}
