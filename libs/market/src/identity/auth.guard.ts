import { type CanActivate, type ExecutionContext, Injectable, Logger } from '@nestjs/common';
import { Reflector } from '@nestjs/core';
import { DomainError } from '@cloudloom/platform';
import type { OrganizationKind } from '@cloudloom/persistence';
import { IdentityService } from './identity.service';
import { OPTIONAL_KEY, type Principal, PUBLIC_ROUTE, QUERY_TOKEN, ROLES } from './principal';

/** `Bearer <key>`: keys are printable ASCII without spaces; anything else is no key at all. */
const BEARER = /^Bearer\s+([\x21-\x7e]{10,200})$/i;
const KEY = /^[\x21-\x7e]{10,200}$/;

/**
 * Every route needs a key unless marked @Public. A route meant for another kind of
 * organization answers 404, like any object that is not the caller's. A route that declares
 * neither @Public nor @Roles is refused to everyone: access is granted, never assumed.
 */
@Injectable()
export class AuthGuard implements CanActivate {
  private readonly logger = new Logger('auth');
  private readonly undeclared = new Set<string>();

  constructor(
    private readonly reflector: Reflector,
    private readonly identity: IdentityService,
  ) {}

  async canActivate(ctx: ExecutionContext): Promise<boolean> {
    const targets = [ctx.getHandler(), ctx.getClass()];
    const request = ctx.switchToHttp().getRequest<{ headers: Record<string, string | string[] | undefined>; query?: Record<string, unknown>; principal?: Principal; authAccepted?: () => void; keyRejected?: boolean }>();
    const header = request.headers.authorization;
    if (this.reflector.getAllAndOverride<boolean>(PUBLIC_ROUTE, targets)) {
      if (header === undefined || !this.reflector.getAllAndOverride<boolean>(OPTIONAL_KEY, targets)) return true;
    }
    const fromQuery = header === undefined && this.reflector.getAllAndOverride<boolean>(QUERY_TOKEN, targets) ? request.query?.access_token : undefined;
    const key = typeof header === 'string' ? BEARER.exec(header.trim())?.[1] : typeof fromQuery === 'string' && KEY.test(fromQuery) ? fromQuery : undefined;
    const principal = key ? await this.identity.resolve(key) : undefined;
    const optional = this.reflector.getAllAndOverride<boolean>(OPTIONAL_KEY, targets) === true;
    if (!principal && optional) {
      // A public page asked with a key that is not (or no longer) valid answers as to anyone;
      // the key still counts against the address's failed-authentication budget.
      request.keyRejected = true;
      return true;
    }
    if (!principal) throw new DomainError('UNAUTHORIZED', 'A valid API key is required: Authorization: Bearer <key>');
    // The rate limiter charged an unfamiliar key to its address's failure budget before this
    // lookup (bootstrap/security.ts); a key that resolves gets it back at once.
    request.authAccepted?.();
    if (optional) {
      request.principal = principal;
      return true;
    }
    const roles = this.reflector.getAllAndOverride<OrganizationKind[] | undefined>(ROLES, targets);
    if (!roles) this.reportUndeclared(ctx);
    if (!roles || !roles.includes(principal.kind)) throw new DomainError('NOT_FOUND', 'Not found');
    request.principal = principal;
    return true;
  }

  private reportUndeclared(ctx: ExecutionContext): void {
    const name = `${ctx.getClass().name}.${ctx.getHandler().name}`;
    if (this.undeclared.has(name)) return;
    this.undeclared.add(name);
    this.logger.error(`${name} declares neither @Roles nor @Public: refused to every caller`);
  }
}
