import { Module } from '@nestjs/common';
import { EventsModule } from '../events/events.module';
import { LineImportController } from './line-import.controller';
import { LineImportService } from './line-import.service';
import { LinesController } from './lines.controller';
import { LinesService } from './lines.service';
import { LineCalendar } from './calendar';
import { MarketRatesController } from './market-rates.controller';
import { MarketRatesService } from './market-rates';

@Module({
  imports: [EventsModule],
  controllers: [LineImportController, LinesController, MarketRatesController],
  providers: [LinesService, LineCalendar, MarketRatesService, LineImportService],
  exports: [LinesService],
})
export class LinesModule {}
