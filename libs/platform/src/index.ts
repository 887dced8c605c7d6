export * from './config/app-config';
export * from './errors/domain-error';
export * from './http/problem.filter';
export * from './http/validation';
export * from './http/openapi';
export * from './http/rate-limiter';
export * from './queue/queue-backend';
export * from './embedded/embedded-postgres';
