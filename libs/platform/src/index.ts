export * from './config/app-config';
export * from './errors/domain-error';
export * from './http/problem.filter';
export * from './http/validation';
export * from './queue/queue-backend';
export * from './embedded/embedded-postgres';
