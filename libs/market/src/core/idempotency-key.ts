import { createParamDecorator, type ExecutionContext } from '@nestjs/common';

/**
 * The `Idempotency-Key` header. Not `@Headers(...)`: Swagger documents that as a required header
 * of its own, beside the optional one `@ApiHeader` describes, and the key is optional.
 */
export const IdempotencyKey = createParamDecorator((_: unknown, ctx: ExecutionContext): string | undefined => {
  const value = ctx.switchToHttp().getRequest<{ headers: Record<string, string | string[] | undefined> }>().headers['idempotency-key'];
  return Array.isArray(value) ? value.join(',') : value;
});
