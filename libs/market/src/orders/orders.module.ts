import { Module } from '@nestjs/common';
import { EventsModule } from '../events/events.module';
import { OrdersController } from './orders.controller';
import { OrdersService } from './orders.service';
import { PriceApprovalService } from './price-approval.service';

@Module({ imports: [EventsModule], controllers: [OrdersController], providers: [OrdersService, PriceApprovalService], exports: [OrdersService] })
export class OrdersModule {}
