import { Module } from '@nestjs/common';
import { LinesModule } from '../lines/lines.module';
import { OrdersModule } from '../orders/orders.module';
import { ImportsController } from './imports.controller';
import { ImportsService } from './imports.service';

@Module({ imports: [OrdersModule, LinesModule], controllers: [ImportsController], providers: [ImportsService] })
export class ImportsModule {}
