import { applyDecorators, createParamDecorator, type ExecutionContext, SetMetadata } from '@nestjs/common';
import { ApiBearerAuth, ApiExtension, ApiSecurity } from '@nestjs/swagger';
import type { OrganizationKind } from '@cloudloom/persistence';
import { ApiProblems } from '@cloudloom/platform';

/**
 * A person's role inside their organization (DESIGN.md §11): brand `owner | merchandiser |
 * viewer`, factory `owner | dispatcher | viewer`, and `operator` for the platform's people.
 */
export type PersonRole = 'owner' | 'merchandiser' | 'dispatcher' | 'viewer' | 'operator';
export const PERSON_ROLES_OF: Readonly<Record<OrganizationKind, readonly PersonRole[]>> = {
  brand: ['owner', 'merchandiser', 'viewer'],
  factory: ['owner', 'dispatcher', 'viewer'],
  operator: ['operator'],
};

/**
 * The organization making the request, and the key it used (the operator's key has no row), or
 * the person signed in with a session cookie (then `keyId` is absent and `session` is set).
 */
export interface Principal {
  readonly organizationId: string;
  readonly kind: OrganizationKind;
  readonly keyId?: string;
  readonly person?: { readonly id: string; readonly role: PersonRole; readonly sessionId: string };
}

/** The operator is not a stored organization: its key comes from the environment. */
export const OPERATOR_ORGANIZATION_ID = '00000000-0000-0000-0000-000000000000';

export const PUBLIC_ROUTE = 'cloudloom:public';
export const ROLES = 'cloudloom:roles';
export const QUERY_TOKEN = 'cloudloom:query-token';
export const OPTIONAL_KEY = 'cloudloom:optional-key';
export const PERSON_ROLES = 'cloudloom:person-roles';
export const PEOPLE_ONLY = 'cloudloom:people-only';

/**
 * No API key needed (signup, health). Documented in OpenAPI as `x-public: true` with an
 * empty security requirement.
 */
export const Public = (): MethodDecorator & ClassDecorator =>
  applyDecorators(SetMetadata(PUBLIC_ROUTE, true), ApiExtension('x-public', true), ApiSecurity({}), ApiProblems(400, 413, 415, 429));

/**
 * Public, and a key when one is given tells who asks (a lot's resolution shows its parties more).
 * A key that is not valid gets the public answer (a phone page with a stale key still shows the
 * label), and is charged to the address's failed-authentication budget as on any route.
 */
export const PublicOrKey = (): MethodDecorator & ClassDecorator =>
  applyDecorators(Public(), SetMetadata(OPTIONAL_KEY, true), ApiExtension('x-optional-key', true));

/**
 * Only these kinds of organization may call; others get 404 as if the route did not exist.
 * Every route needs either this or @Public: the guard refuses a route that declares neither.
 * The kinds are published in OpenAPI as `x-roles`, which the access-matrix test reads.
 */
export const Roles = (...kinds: OrganizationKind[]): MethodDecorator & ClassDecorator =>
  applyDecorators(SetMetadata(ROLES, kinds), ApiExtension('x-roles', kinds), ApiBearerAuth(), ApiProblems(400, 401, 404, 413, 415, 429));

/**
 * Which people may call a route, by role; API keys are not concerned (a key acts for its whole
 * organization, as its owner would). A person whose role is not listed gets 403, and a route
 * that lists none refuses every person: people are granted routes, never assumed to have them.
 * The organization kinds still come from @Roles (another kind: 404). Published in OpenAPI as
 * `x-person-roles`, which the access-matrix test reads.
 */
export const People = (...roles: PersonRole[]): MethodDecorator & ClassDecorator =>
  applyDecorators(SetMetadata(PERSON_ROLES, roles), ApiExtension('x-person-roles', roles), ApiProblems(403));

/**
 * Only a signed-in person may call (their own settings): an API key gets the 404 of a route that
 * does not exist. Published in OpenAPI as `x-people-only`.
 */
export const PeopleOnly = (): MethodDecorator & ClassDecorator => applyDecorators(SetMetadata(PEOPLE_ONLY, true), ApiExtension('x-people-only', true));

/** Every role of every kind: reads, and a person's own settings. */
export const EVERYONE: readonly PersonRole[] = ['owner', 'merchandiser', 'dispatcher', 'viewer', 'operator'];

/**
 * The key may also come as `?access_token=` (server-sent events: a browser's EventSource cannot
 * send headers). Only for routes that need it; request logs never include query strings.
 */
export const QueryToken = (): MethodDecorator & ClassDecorator => SetMetadata(QUERY_TOKEN, true);

export const CurrentPrincipal = createParamDecorator((_: unknown, ctx: ExecutionContext): Principal => {
  const request = ctx.switchToHttp().getRequest<{ principal?: Principal }>();
  if (!request.principal) throw new Error('CurrentPrincipal used on a public route');
  return request.principal;
});

/** The caller on a @PublicOrKey route: undefined without a key. */
export const OptionalPrincipal = createParamDecorator((_: unknown, ctx: ExecutionContext): Principal | undefined => ctx.switchToHttp().getRequest<{ principal?: Principal }>().principal);
