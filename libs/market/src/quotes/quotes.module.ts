import { Module } from '@nestjs/common';
import { PlanningModule } from '../planning/planning.module';
import { QuotesController } from './quotes.controller';
import { QuotesService } from './quotes.service';

@Module({ imports: [PlanningModule], controllers: [QuotesController], providers: [QuotesService] })
export class QuotesModule {}
