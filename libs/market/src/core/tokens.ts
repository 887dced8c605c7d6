export { APP_CONFIG } from '@cloudloom/platform';
export const QUEUE_BACKEND = Symbol('QUEUE_BACKEND');
