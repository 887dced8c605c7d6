import type { INestApplication } from '@nestjs/common';
import { createBullBoard } from '@bull-board/api';
import { BullMQAdapter } from '@bull-board/api/bullMQAdapter';
import { ExpressAdapter } from '@bull-board/express';
import { type AppConfig, APP_CONFIG, type QueueBackend } from '@cloudloom/platform';
import express, { type Express, type NextFunction, type Request, type Response } from 'express';
import { createHmac, randomBytes, timingSafeEqual } from 'node:crypto';
import { existsSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { QUEUE_BACKEND } from '../core/tokens';
import { sameKey } from '../identity/api-key';

export const QUEUE_BOARD_PATH = '/admin/queues';
const BOARD_COOKIE = 'cl_board';

/** Built by `npm run build:console` into dist/console; found from the sources and from dist alike. */
function consoleDir(): string | undefined {
  return [resolve(__dirname, '../../../../dist/console'), resolve(__dirname, '../../../../console')].find((dir) => existsSync(join(dir, 'index.html')));
}

const NOT_BUILT = `<!doctype html><meta charset="utf-8"><title>cloudloom</title>
<body style="font-family:system-ui;max-width:40rem;margin:4rem auto;padding:0 1rem">
<h1>cloudloom</h1><p>The console is not built yet. Run <code>npm run build:console</code> (or <code>npm start</code>, which builds it) and reload.</p>
<p>The API is at <a href="/api/v1/health">/api/v1</a>, its documentation at <a href="/api/docs">/api/docs</a>.</p></body>`;

/** How long a queue-board sign-in lasts; the console signs in again when it lapses. */
export const BOARD_SESSION_SECONDS = 8 * 3600;

/**
 * The cookie proves the operator key without holding it: `<expires>.<nonce>.<HMAC>`, keyed by
 * the key itself over the expiry and a fresh nonce. So it lapses on its own, each sign-in gets
 * a different one, and a new operator key voids them all.
 */
function boardToken(operatorKey: string, expires: number, nonce: string): string {
  return createHmac('sha256', operatorKey).update(`cloudloom queue board|${expires}|${nonce}`).digest('hex');
}

function newBoardCookie(operatorKey: string, now = Date.now()): string {
  const expires = Math.floor(now / 1000) + BOARD_SESSION_SECONDS;
  const nonce = randomBytes(16).toString('hex');
  return `${expires}.${nonce}.${boardToken(operatorKey, expires, nonce)}`;
}

function validBoardCookie(operatorKey: string, given: string | undefined, now = Date.now()): boolean {
  const parts = /^(\d{1,12})\.([0-9a-f]{32})\.([0-9a-f]{64})$/.exec(given ?? '');
  if (!parts) return false;
  const expires = Number(parts[1]);
  if (expires * 1000 <= now) return false;
  return timingSafeEqual(Buffer.from(parts[3]!), Buffer.from(boardToken(operatorKey, expires, parts[2]!)));
}

function cookie(req: Request, name: string): string | undefined {
  for (const part of (req.headers.cookie ?? '').split(';')) {
    const [k, ...v] = part.trim().split('=');
    if (k === name) return v.join('=');
  }
  return undefined;
}

function presentedKey(req: Request): string | undefined {
  const header = req.headers.authorization ?? '';
  const bearer = /^Bearer\s+(\S{10,200})$/i.exec(header);
  if (bearer) return bearer[1];
  const basic = /^Basic\s+([A-Za-z0-9+/=]{1,400})$/i.exec(header);
  if (basic?.[1]) {
    const decoded = Buffer.from(basic[1], 'base64').toString('utf8');
    return decoded.slice(decoded.indexOf(':') + 1);
  }
  return undefined;
}

function unauthorized(res: Response, basic: boolean): void {
  if (basic) res.setHeader('WWW-Authenticate', 'Basic realm="cloudloom queues", charset="UTF-8"');
  res.status(401).type('application/problem+json').json({
    type: 'https://cloudloom.dev/problems/unauthorized',
    title: 'Unauthorized',
    status: 401,
    code: 'UNAUTHORIZED',
    detail: 'The queue board is for operators: sign in to the console as operator, or give the operator key as the password.',
  });
}

/** Bull-board for operators only: the operator key as Bearer or Basic password, or the console's board cookie. */
function operatorOnly(operatorKey: string) {
  return (req: Request, res: Response, next: NextFunction): void => {
    const key = presentedKey(req);
    if ((key !== undefined && sameKey(key, operatorKey)) || validBoardCookie(operatorKey, cookie(req, BOARD_COOKIE))) return next();
    unauthorized(res, true);
  };
}

function mountQueueBoard(http: Express, config: AppConfig, queues: QueueBackend): void {
  const board = new ExpressAdapter();
  board.setBasePath(QUEUE_BOARD_PATH);
  createBullBoard({ queues: queues.allQueues().map((q) => new BullMQAdapter(q)), serverAdapter: board, options: { uiConfig: { boardTitle: 'cloudloom queues' } } });
  // The console exchanges the operator key (a header, never a URL) for a cookie scoped to /admin.
  http.post('/admin/session', (req: Request, res: Response) => {
    const key = presentedKey(req);
    if (key === undefined || !sameKey(key, config.operatorApiKey)) return unauthorized(res, false);
    res.cookie(BOARD_COOKIE, newBoardCookie(config.operatorApiKey), { httpOnly: true, sameSite: 'strict', path: '/admin', secure: req.secure, maxAge: BOARD_SESSION_SECONDS * 1000 });
    res.status(204).end();
  });
  http.use(QUEUE_BOARD_PATH, operatorOnly(config.operatorApiKey), board.getRouter() as express.Router);
}

function mountConsole(http: Express): void {
  const dir = consoleDir();
  // Source maps are never served, even if a build left one behind: they publish the sources.
  http.use((req: Request, res: Response, next: NextFunction) => (req.path.endsWith('.map') && !req.path.startsWith('/api/') ? res.status(404).end() : next()));
  // Hashed assets may be cached for good; index.html must be fetched again to pick up a new build.
  if (dir) http.use('/assets', express.static(join(dir, 'assets'), { immutable: true, maxAge: '365d', fallthrough: false }));
  const page = (_req: Request, res: Response): void => {
    res.setHeader('Cache-Control', 'no-cache');
    if (dir) res.sendFile(join(dir, 'index.html'));
    else res.type('html').send(NOT_BUILT);
  };
  // The console is one page; its own paths (/orders/…) come back to index.html.
  http.get(/^\/(?!api\/|api$|admin\/|admin$|assets\/)[^.]*$/, page);
  // A lot's phone page: its identifier (`CL/roll.<code>`) has a slash and a dot of its own.
  http.get(/^\/id\/[A-Za-z0-9.-]{1,32}\/[a-z]{1,10}\.[0-9A-Za-z*]{17}$/, page);
  if (dir) http.use(express.static(dir, { index: false }));
}

/** Serves the operators', brands' and factories' console at `/` and the queue board at `/admin/queues`. */
export function serveConsoleAndQueueBoard(app: INestApplication): void {
  const http = app.getHttpAdapter().getInstance() as Express;
  mountQueueBoard(http, app.get<AppConfig>(APP_CONFIG), app.get<QueueBackend>(QUEUE_BACKEND));
  mountConsole(http);
}
