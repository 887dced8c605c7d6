import { Module } from '@nestjs/common';
import { EventsModule } from '../events/events.module';
import { LinesController } from './lines.controller';
import { LinesService } from './lines.service';

@Module({ imports: [EventsModule], controllers: [LinesController], providers: [LinesService], exports: [LinesService] })
export class LinesModule {}
