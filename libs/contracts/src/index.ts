export * from './queues';
export * from './events';
export * from './event-audience';
export * from './views';
export * from './lots';
export * from './webhooks';
export * from './imports';
