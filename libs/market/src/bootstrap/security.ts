import { randomUUID } from 'node:crypto';
import type { NestExpressApplication } from '@nestjs/platform-express';
import type { NextFunction, Request, Response } from 'express';
import helmet from 'helmet';
import { type AppConfig, corsAllows, DomainError, RateLimiter, sendProblem, type SecurityConfig } from '@cloudloom/platform';
import { hashApiKey } from '../identity/api-key';

type Middleware = (req: Request, res: Response, next: NextFunction) => void;

const REQUEST_ID = /^[\w.-]{1,64}$/;
const JSON_TYPE = /^application\/(?:[\w.+-]+\+)?json\s*(?:;.*)?$/i;
const BEARER = /^Bearer\s+(\S+)\s*$/i;

/**
 * Every defence that sits in front of the router, in the order a request meets them:
 * request id, security headers, CORS, rate limits, content type, body size. Authentication
 * and authorization come after, in the global AuthGuard. See docs/security.md.
 */
export function applySecurity(app: NestExpressApplication, config: AppConfig): void {
  const security = config.security;
  app.set('trust proxy', security.trustProxyHops > 0 ? security.trustProxyHops : false);
  app.use(requestId());
  app.use(helmet());
  app.enableCors({
    origin: (origin: string | undefined, done: (error: Error | null, allow?: boolean) => void) => done(null, corsAllows(security, origin)),
    methods: ['GET', 'POST', 'PUT', 'PATCH', 'DELETE'],
    allowedHeaders: ['Authorization', 'Content-Type', 'Idempotency-Key', 'Last-Event-ID', 'X-Request-Id'],
    exposedHeaders: ['X-Request-Id', 'Retry-After', 'RateLimit-Limit', 'RateLimit-Remaining', 'RateLimit-Reset', 'Location'],
    credentials: false,
    maxAge: 600,
  });
  app.use(rateLimits(security));
  app.use(jsonOnly());
  app.useBodyParser('json', { limit: `${security.bodyLimitKb}kb`, type: ['application/json', 'application/*+json'], strict: true });
}

/** Takes a well-formed X-Request-Id from the caller or makes one; echoes it; pino logs it on every line. */
function requestId(): Middleware {
  return (req, res, next) => {
    const given = req.headers['x-request-id'];
    const id = typeof given === 'string' && REQUEST_ID.test(given) ? given : randomUUID();
    (req as Request & { id?: string }).id = id;
    res.setHeader('X-Request-Id', id);
    next();
  };
}

/**
 * Per API key (by the SHA-256 of what was sent, so the key itself is never held), per address
 * for requests without a key, and per address for failed authentications: a 401 counts
 * against the address, and an address over that limit is refused before any key lookup.
 * Health probes are not limited.
 */
function rateLimits(security: SecurityConfig): Middleware {
  const limiter = new RateLimiter(security.rateLimitWindowSeconds * 1000);
  const window = security.rateLimitWindowSeconds;
  return (req, res, next) => {
    if (req.path.startsWith('/api/v1/health')) return next();
    const address = req.ip ?? req.socket.remoteAddress ?? 'unknown';
    const header = req.headers.authorization;
    const token = (req.query as Record<string, unknown> | undefined)?.access_token;
    const bearer = typeof header === 'string' ? BEARER.exec(header)?.[1] : typeof token === 'string' && token !== '' ? token : undefined;
    res.on('finish', () => {
      if (res.statusCode === 401) limiter.take(`fail:${address}`, security.rateLimitAuthFailures);
    });
    if (header !== undefined || bearer !== undefined) {
      const failures = limiter.peek(`fail:${address}`, security.rateLimitAuthFailures);
      if (!failures.allowed) return refuse(req, res, failures.resetSeconds, `Too many failed authentications from this address: wait ${failures.resetSeconds} s`);
    }
    const decision = bearer
      ? limiter.take(`key:${hashApiKey(bearer)}`, security.rateLimitPerKey)
      : limiter.take(`ip:${address}`, security.rateLimitAnonymous);
    res.setHeader('RateLimit-Limit', String(decision.limit));
    res.setHeader('RateLimit-Remaining', String(decision.remaining));
    res.setHeader('RateLimit-Reset', String(decision.resetSeconds));
    if (!decision.allowed) {
      const who = bearer ? 'this API key' : 'this address without an API key';
      return refuse(req, res, decision.resetSeconds, `Rate limit reached: ${decision.limit} requests per ${window} s for ${who}`);
    }
    next();
  };
}

function refuse(req: Request, res: Response, retryAfter: number, detail: string): void {
  sendProblem(req, res, new DomainError('RATE_LIMITED', detail), { 'Retry-After': String(retryAfter) });
}

/** A body must be JSON; anything else is refused before it is read. */
function jsonOnly(): Middleware {
  return (req, res, next) => {
    const length = req.headers['content-length'];
    const hasBody = req.headers['transfer-encoding'] !== undefined || (length !== undefined && length !== '0');
    if (!hasBody) return next();
    const type = req.headers['content-type'];
    if (typeof type === 'string' && JSON_TYPE.test(type)) return next();
    sendProblem(req, res, new DomainError('UNSUPPORTED_MEDIA_TYPE', 'Send the body as application/json'));
  };
}
