import { Logger } from '@nestjs/common';
import { randomUUID } from 'node:crypto';
import type { NestExpressApplication } from '@nestjs/platform-express';
import type { NextFunction, Request, Response } from 'express';
import helmet from 'helmet';
import IORedis from 'ioredis';
import { type AppConfig, corsAllows, DomainError, FailoverRateCounter, type RateCounter, RateLimiter, RedisRateLimiter, sendProblem, type SecurityConfig } from '@cloudloom/platform';
import { hashApiKey } from '../identity/api-key';
import { withActorScope } from '../core/actor';
import { sessionTokenOf } from '../people/session-cookie';

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
  // One scope per request for the actor its events record (core/actor.ts); the guard fills it in.
  app.use((_req: Request, _res: Response, next: NextFunction) => withActorScope(next));
  // helmet's default CSP asks browsers to upgrade every request to https, which breaks the
  // console on a plain-http address other than localhost (a LAN box, a demo VM). TLS belongs
  // to the proxy in front; HSTS stays on for when it is there.
  app.use(helmet({ contentSecurityPolicy: { directives: { upgradeInsecureRequests: null } } }));
  app.enableCors({
    origin: (origin: string | undefined, done: (error: Error | null, allow?: boolean) => void) => done(null, corsAllows(security, origin)),
    methods: ['GET', 'POST', 'PUT', 'PATCH', 'DELETE'],
    allowedHeaders: ['Authorization', 'Content-Type', 'Idempotency-Key', 'Last-Event-ID', 'X-Request-Id', 'X-CSRF-Token'],
    exposedHeaders: ['X-Request-Id', 'Retry-After', 'RateLimit-Limit', 'RateLimit-Remaining', 'RateLimit-Reset', 'Location'],
    credentials: false,
    maxAge: 600,
  });
  const counter = rateCounter(config);
  app.getHttpServer().on('close', () => void counter.close());
  app.use(rateLimits(security, counter));
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
 * With Redis, every API process counts against the same limits; without it (the embedded,
 * single-process setup), or while Redis cannot be reached, each process counts in its own memory.
 */
function rateCounter(config: AppConfig): RateCounter {
  const windowMs = config.security.rateLimitWindowSeconds * 1000;
  const memory = new RateLimiter(windowMs);
  if (!config.redisUrl) return memory;
  // Commands wait for the first connection (so nothing goes uncounted at start-up), but never
  // long: after 300 ms the count falls back to memory.
  const redis = new IORedis(config.redisUrl, { maxRetriesPerRequest: 1, commandTimeout: 300 });
  redis.on('error', () => undefined);
  return new FailoverRateCounter(new RedisRateLimiter(redis, config.queuePrefix, windowMs), memory, warnAtMostEvery10s);
}

const logger = new Logger('rate-limit');
let lastWarning = 0;
function warnAtMostEvery10s(error: unknown): void {
  if (Date.now() - lastWarning < 10_000) return;
  lastWarning = Date.now();
  logger.warn({ err: error instanceof Error ? error.message : String(error) }, 'rate limit counters in Redis unavailable; counting in memory');
}

/**
 * Keys (by their SHA-256) that authenticated recently in this process. Not a credential cache
 * (that is identity/key-cache.ts, which forgets a key the moment it changes): it only decides
 * which requests are charged to the failed-authentication limit before their lookup; bounded,
 * oldest first.
 */
class VouchedKeys {
  private readonly seen = new Map<string, number>();
  constructor(
    private readonly ttlMs = 10 * 60_000,
    private readonly max = 50_000,
  ) {}

  has(hash: string): boolean {
    const at = this.seen.get(hash);
    return at !== undefined && Date.now() - at < this.ttlMs;
  }

  add(hash: string): void {
    this.seen.delete(hash);
    this.seen.set(hash, Date.now());
    // Map iterates in insertion order: the oldest entries go first.
    for (const oldest of this.seen.keys()) {
      if (this.seen.size <= this.max) break;
      this.seen.delete(oldest);
    }
  }
}

/**
 * Per API key (by the SHA-256 of what was sent, so the key itself is never held), per address
 * for requests without a key, and per address for failed authentications. A key not seen to
 * work lately is charged to its address's failure budget *before* it is looked up, and refunded
 * once it proves good: 200 guesses sent at once cost at most the budget's worth of lookups, not
 * 200 (counting after the answer let them all through first). A known key that fails (revoked)
 * is counted after its 401, and an address over the limit is refused before any key lookup.
 * Health probes are not limited here (readiness is cached instead). Should counting fail
 * altogether the request goes through (fail open): an outage of the counters must not become
 * an outage of the API.
 */
function rateLimits(security: SecurityConfig, counter: RateCounter): Middleware {
  const window = security.rateLimitWindowSeconds;
  const vouched = new VouchedKeys();
  const check = async (req: Request, res: Response): Promise<boolean> => {
    if (req.path.startsWith('/api/v1/health')) return true;
    const address = req.ip ?? req.socket.remoteAddress ?? 'unknown';
    const failBucket = `fail:${address}`;
    const header = req.headers.authorization;
    const token = (req.query as Record<string, unknown> | undefined)?.access_token;
    const bearer = typeof header === 'string' ? BEARER.exec(header)?.[1] : typeof token === 'string' && token !== '' ? token : undefined;
    const hash = bearer === undefined ? undefined : hashApiKey(bearer);
    if (hash !== undefined && !vouched.has(hash)) {
      const attempt = await counter.take(failBucket, security.rateLimitAuthFailures);
      if (!attempt.allowed) {
        refuse(req, res, attempt.resetSeconds, `Too many failed authentications from this address: wait ${attempt.resetSeconds} s`);
        return false;
      }
      // Refunded as soon as the guard accepts the key (an event stream's answer never finishes),
      // or when a public route answers anything but 401; vouched only by the guard.
      let settled = false;
      const refund = (): void => {
        if (settled) return;
        settled = true;
        counter.refund(failBucket).catch(() => undefined);
      };
      (req as Request & { authAccepted?: () => void }).authAccepted = () => {
        vouched.add(hash);
        refund();
      };
      res.on('finish', () => {
        // A public route that looked at the key and found it invalid answered without it: still a failure.
        if (res.statusCode !== 401 && !(req as Request & { keyRejected?: boolean }).keyRejected) refund();
      });
    } else if (header !== undefined || hash !== undefined || sessionTokenOf(req) !== undefined) {
      res.on('finish', () => {
        if (res.statusCode === 401) counter.take(failBucket, security.rateLimitAuthFailures).catch(() => undefined);
      });
      const failures = await counter.peek(failBucket, security.rateLimitAuthFailures);
      if (!failures.allowed) {
        refuse(req, res, failures.resetSeconds, `Too many failed authentications from this address: wait ${failures.resetSeconds} s`);
        return false;
      }
    }
    // A signed-in person counts like a key, per session: an office of people behind one address
    // is not held to the anonymous limit. An unknown session is refused by the guard (401).
    const session = hash === undefined ? sessionTokenOf(req) : undefined;
    const decision = hash !== undefined
      ? await counter.take(`key:${hash}`, security.rateLimitPerKey)
      : session !== undefined
        ? await counter.take(`session:${hashApiKey(session)}`, security.rateLimitPerKey)
        : await counter.take(`ip:${address}`, security.rateLimitAnonymous);
    res.setHeader('RateLimit-Limit', String(decision.limit));
    res.setHeader('RateLimit-Remaining', String(decision.remaining));
    res.setHeader('RateLimit-Reset', String(decision.resetSeconds));
    if (!decision.allowed) {
      const who = hash !== undefined ? 'this API key' : session !== undefined ? 'this session' : 'this address without an API key';
      refuse(req, res, decision.resetSeconds, `Rate limit reached: ${decision.limit} requests per ${window} s for ${who}`);
      return false;
    }
    return true;
  };
  return (req, res, next) => {
    check(req, res).then(
      (pass) => {
        if (pass) next();
      },
      (error: unknown) => {
        warnAtMostEvery10s(error);
        next();
      },
    );
  };
}

function refuse(req: Request, res: Response, retryAfter: number, detail: string): void {
  sendProblem(req, res, new DomainError('RATE_LIMITED', detail), { 'Retry-After': String(retryAfter) });
}

/** The routes that take files (attachments, spreadsheet imports): multipart there, JSON everywhere else. */
const MULTIPART_TYPE = /^multipart\/form-data\s*;/i;
const UPLOAD_PATH = /^\/api\/v1\/(orders\/[^/]+\/attachments|orders\/import|lines\/import)\/?$/;

/** A body must be JSON (a file upload: multipart); anything else is refused before it is read. */
function jsonOnly(): Middleware {
  return (req, res, next) => {
    const length = req.headers['content-length'];
    const hasBody = req.headers['transfer-encoding'] !== undefined || (length !== undefined && length !== '0');
    if (!hasBody) return next();
    const type = req.headers['content-type'];
    if (typeof type === 'string' && JSON_TYPE.test(type)) return next();
    const upload = req.method === 'POST' && UPLOAD_PATH.test(req.path);
    if (upload && typeof type === 'string' && MULTIPART_TYPE.test(type)) return next();
    sendProblem(req, res, new DomainError('UNSUPPORTED_MEDIA_TYPE', upload ? 'Send the file as multipart/form-data (field "file")' : 'Send the body as application/json'));
  };
}
