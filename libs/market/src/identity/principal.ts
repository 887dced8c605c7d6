import { createParamDecorator, type ExecutionContext, SetMetadata } from '@nestjs/common';
import type { OrganizationKind } from '@cloudloom/persistence';

/** The organization making the request. */
export interface Principal {
  readonly organizationId: string;
  readonly kind: OrganizationKind;
}

/** The operator is not a stored organization: its key comes from the environment. */
export const OPERATOR_ORGANIZATION_ID = '00000000-0000-0000-0000-000000000000';

export const PUBLIC_ROUTE = 'cloudloom:public';
export const ROLES = 'cloudloom:roles';

/** No API key needed (signup, health). */
export const Public = (): MethodDecorator & ClassDecorator => SetMetadata(PUBLIC_ROUTE, true);
/** Only these kinds of organization may call; others get 404 as if the route did not exist. */
export const Roles = (...kinds: OrganizationKind[]): MethodDecorator & ClassDecorator => SetMetadata(ROLES, kinds);

export const CurrentPrincipal = createParamDecorator((_: unknown, ctx: ExecutionContext): Principal => {
  const request = ctx.switchToHttp().getRequest<{ principal?: Principal }>();
  if (!request.principal) throw new Error('CurrentPrincipal used on a public route');
  return request.principal;
});
