import { Module } from '@nestjs/common';
import { EventsModule } from '../events/events.module';
import { LinesController } from './lines.controller';
import { LinesService } from './lines.service';
import { LineCalendar } from './calendar';

@Module({ imports: [EventsModule], controllers: [LinesController], providers: [LinesService, LineCalendar], exports: [LinesService] })
export class LinesModule {}
