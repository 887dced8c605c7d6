export * from './queues';
export * from './events';
export * from './views';
