export { ApiModule, WorkerAppModule } from './api.module';
export { Clock, addDays, daysBetween } from './core/clock';
export { QUEUE_BACKEND } from './core/tokens';
export { MatchOrderHandler } from './worker/match-order.handler';
export { SweepHandler } from './worker/sweep.handler';
export { createApiApp, API_PREFIX, DOCS_PATH } from './bootstrap/http-app';
export { openDatabase, type Database } from './bootstrap/database';
export * from './seed';
