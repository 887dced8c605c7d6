import { Module } from '@nestjs/common';
import { EventsModule } from '../events/events.module';
import { LinesController } from './lines.controller';
import { LinesService } from './lines.service';
import { LineCalendar } from './calendar';
import { MarketRatesController } from './market-rates.controller';
import { MarketRatesService } from './market-rates';

@Module({ imports: [EventsModule], controllers: [LinesController, MarketRatesController], providers: [LinesService, LineCalendar, MarketRatesService], exports: [LinesService] })
export class LinesModule {}
