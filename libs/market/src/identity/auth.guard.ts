import { type CanActivate, type ExecutionContext, Injectable } from '@nestjs/common';
import { Reflector } from '@nestjs/core';
import { DomainError } from '@cloudloom/platform';
import type { OrganizationKind } from '@cloudloom/persistence';
import { IdentityService } from './identity.service';
import { type Principal, PUBLIC_ROUTE, ROLES } from './principal';

/**
 * Every route needs a key unless marked @Public. A route meant for another kind of
 * organization answers 404, like any object that is not the caller's.
 */
@Injectable()
export class AuthGuard implements CanActivate {
  constructor(
    private readonly reflector: Reflector,
    private readonly identity: IdentityService,
  ) {}

  async canActivate(ctx: ExecutionContext): Promise<boolean> {
    const targets = [ctx.getHandler(), ctx.getClass()];
    if (this.reflector.getAllAndOverride<boolean>(PUBLIC_ROUTE, targets)) return true;
    const request = ctx.switchToHttp().getRequest<{ headers: Record<string, string | undefined>; principal?: Principal }>();
    const match = /^Bearer\s+(\S{10,200})$/i.exec(request.headers.authorization ?? '');
    const principal = match?.[1] ? await this.identity.resolve(match[1]) : undefined;
    if (!principal) throw new DomainError('UNAUTHORIZED', 'A valid API key is required: Authorization: Bearer <key>');
    const roles = this.reflector.getAllAndOverride<OrganizationKind[] | undefined>(ROLES, targets);
    if (roles && !roles.includes(principal.kind)) throw new DomainError('NOT_FOUND', 'Not found');
    request.principal = principal;
    return true;
  }
}
