import { Module } from '@nestjs/common';
import { ProductionModule } from '../production/production.module';
import { LabelsService } from './labels.service';
import { LotsController, ResolutionController } from './lots.controller';
import { LotsService } from './lots.service';
import { ResolutionService } from './resolution.service';

/** Lots, their identifiers, labels and resolution (DESIGN.md §10); only the API process serves them. */
@Module({ imports: [ProductionModule], controllers: [LotsController, ResolutionController], providers: [LotsService, LabelsService, ResolutionService] })
export class LotsModule {}
