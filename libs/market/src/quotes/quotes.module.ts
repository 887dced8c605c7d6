import { Module } from '@nestjs/common';
import { MatchingModule } from '../matching/matching.module';
import { QuotesController } from './quotes.controller';
import { QuotesService } from './quotes.service';

@Module({ imports: [MatchingModule], controllers: [QuotesController], providers: [QuotesService] })
export class QuotesModule {}
