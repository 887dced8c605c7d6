export * from './data-source';
export * from './entities/allocation.entity';
export * from './entities/api-key.entity';
export * from './entities/capacity-day.entity';
export * from './entities/event.entity';
export * from './entities/line.entity';
export * from './entities/order.entity';
export * from './entities/organization.entity';
