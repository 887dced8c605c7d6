import { type CanActivate, type ExecutionContext, Injectable, Logger } from '@nestjs/common';
import { Reflector } from '@nestjs/core';
import { DomainError } from '@cloudloom/platform';
import type { OrganizationKind } from '@cloudloom/persistence';
import { setActor } from '../core/actor';
import { sessionTokenOf } from '../people/session-cookie';
import { SessionsService } from '../people/sessions.service';
import { csrfTokenOf, sameSecret } from '../people/secrets';
import { IdentityService } from './identity.service';
import { OPTIONAL_KEY, PEOPLE_ONLY, PERSON_ROLES, type PersonRole, type Principal, PUBLIC_ROUTE, QUERY_TOKEN, ROLES } from './principal';

/** Requests that change nothing: no CSRF token needed with a session cookie. */
const SAFE_METHODS = new Set(['GET', 'HEAD', 'OPTIONS']);

/** `Bearer <key>`: keys are printable ASCII without spaces; anything else is no key at all. */
const BEARER = /^Bearer\s+([\x21-\x7e]{10,200})$/i;
const KEY = /^[\x21-\x7e]{10,200}$/;

/**
 * Every route needs a key or a person's session cookie unless marked @Public. A route meant for
 * another kind of organization answers 404, like any object that is not the caller's. A route
 * that declares neither @Public nor @Roles is refused to everyone, and a route that does not
 * list a person's role in @People refuses that person (403): access is granted, never assumed.
 * A key in the Authorization header wins over a cookie. A changing request made with the
 * cookie must carry the session's CSRF token (X-CSRF-Token); a key needs none, since no other
 * site can make a browser send it.
 */
@Injectable()
export class AuthGuard implements CanActivate {
  private readonly logger = new Logger('auth');
  private readonly undeclared = new Set<string>();

  constructor(
    private readonly reflector: Reflector,
    private readonly identity: IdentityService,
    private readonly sessions: SessionsService,
  ) {}

  async canActivate(ctx: ExecutionContext): Promise<boolean> {
    const targets = [ctx.getHandler(), ctx.getClass()];
    const request = ctx.switchToHttp().getRequest<{
      method?: string; headers: Record<string, string | string[] | undefined>; query?: Record<string, unknown>; principal?: Principal; authAccepted?: () => void; keyRejected?: boolean;
    }>();
    const header = request.headers.authorization;
    if (this.reflector.getAllAndOverride<boolean>(PUBLIC_ROUTE, targets)) {
      if (header === undefined || !this.reflector.getAllAndOverride<boolean>(OPTIONAL_KEY, targets)) return true;
    }
    const fromQuery = header === undefined && this.reflector.getAllAndOverride<boolean>(QUERY_TOKEN, targets) ? request.query?.access_token : undefined;
    const key = typeof header === 'string' ? BEARER.exec(header.trim())?.[1] : typeof fromQuery === 'string' && KEY.test(fromQuery) ? fromQuery : undefined;
    const sessionToken = key === undefined && header === undefined ? sessionTokenOf(request) : undefined;
    const principal = key ? await this.identity.resolve(key) : sessionToken ? await this.sessions.resolve(sessionToken) : undefined;
    const optional = this.reflector.getAllAndOverride<boolean>(OPTIONAL_KEY, targets) === true;
    if (!principal && optional) {
      // A public page asked with a key that is not (or no longer) valid answers as to anyone;
      // the key still counts against the address's failed-authentication budget.
      request.keyRejected = true;
      return true;
    }
    if (!principal) throw new DomainError('UNAUTHORIZED', 'A valid API key (Authorization: Bearer <key>) or a signed-in session is required');
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
    if (principal.person) {
      if (sessionToken && !SAFE_METHODS.has(request.method ?? 'GET')) {
        const sent = request.headers['x-csrf-token'];
        if (typeof sent !== 'string' || !sameSecret(sent, csrfTokenOf(sessionToken))) throw new DomainError('FORBIDDEN', 'A changing request made with a session needs its CSRF token: send X-CSRF-Token (from POST /sessions or GET /sessions/current)');
      }
      const allowed = this.reflector.getAllAndOverride<PersonRole[] | undefined>(PERSON_ROLES, targets) ?? [];
      if (!allowed.includes(principal.person.role)) throw new DomainError('FORBIDDEN', `Your role (${principal.person.role}) may not do this`);
    } else if (this.reflector.getAllAndOverride<boolean>(PEOPLE_ONLY, targets)) {
      throw new DomainError('NOT_FOUND', 'Not found');
    }
    request.principal = principal;
    setActor(principal.person ? `person:${principal.person.id}` : principal.keyId ? `key:${principal.keyId}` : 'operator');
    return true;
  }

  private reportUndeclared(ctx: ExecutionContext): void {
    const name = `${ctx.getClass().name}.${ctx.getHandler().name}`;
    if (this.undeclared.has(name)) return;
    this.undeclared.add(name);
    this.logger.error(`${name} declares neither @Roles nor @Public: refused to every caller`);
  }
}
