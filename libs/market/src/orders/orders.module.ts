import { Module } from '@nestjs/common';
import { EventsModule } from '../events/events.module';
import { OrderImportController } from './order-import.controller';
import { OrderImportService } from './order-import.service';
import { OrdersController } from './orders.controller';
import { OrdersService } from './orders.service';
import { PriceApprovalService } from './price-approval.service';

@Module({
  imports: [EventsModule],
  controllers: [OrderImportController, OrdersController],
  providers: [OrdersService, PriceApprovalService, OrderImportService],
  exports: [OrdersService],
})
export class OrdersModule {}
