import { type ArgumentsHost, Catch, type ExceptionFilter, HttpException, Logger, NotFoundException } from '@nestjs/common';
import type { Request, Response } from 'express';
import { DomainError, type FieldError } from '../errors/domain-error';

/** RFC 9457 problem document. */
export interface ProblemDocument {
  type: string;
  title: string;
  status: number;
  detail?: string;
  instance?: string;
  code?: string;
  errors?: FieldError[];
  requestId?: string;
}

const TITLES: Record<number, string> = {
  400: 'Bad Request',
  401: 'Unauthorized',
  403: 'Forbidden',
  404: 'Not Found',
  405: 'Method Not Allowed',
  409: 'Conflict',
  413: 'Payload Too Large',
  415: 'Unsupported Media Type',
  422: 'Unprocessable Content',
  429: 'Too Many Requests',
  431: 'Request Header Fields Too Large',
  500: 'Internal Server Error',
  503: 'Service Unavailable',
};

/** What body-parser and similar middleware say, in words a client can act on. */
const MIDDLEWARE_DETAIL: Record<string, string> = {
  'entity.parse.failed': 'The request body is not valid JSON',
  'entity.too.large': 'The request body is too large',
  'entity.verify.failed': 'The request body was refused',
  'request.aborted': 'The request was aborted',
  'request.size.invalid': 'The request body does not match its Content-Length',
  'charset.unsupported': 'Unsupported charset: send UTF-8 JSON',
  'encoding.unsupported': 'Unsupported Content-Encoding',
  'stream.encoding.set': 'The request body could not be read',
  'parameters.too.many': 'Too many parameters',
};

/** Body-parser and similar middleware raise plain errors carrying an HTTP status. */
function middlewareStatus(error: unknown): number | undefined {
  if (typeof error !== 'object' || error === null) return undefined;
  const status = (error as { status?: unknown; statusCode?: unknown }).status ?? (error as { statusCode?: unknown }).statusCode;
  return typeof status === 'number' && status >= 400 && status < 500 ? status : undefined;
}

/**
 * A body that its Content-Encoding (gzip, deflate, br) cannot decode: zlib's own message
 * ("incorrect header check") names the library, not the fault, so it is never passed on.
 */
function isDecompressionError(...errors: unknown[]): boolean {
  return errors.some((e) => {
    const code = typeof e === 'object' && e !== null ? (e as { code?: unknown }).code : undefined;
    return typeof code === 'string' && /^(Z_|ERR_ZLIB|ERR_BROTLI|ERR__ERROR)/.test(code);
  });
}

export function problemType(code: string): string {
  return `https://cloudloom.dev/problems/${code.toLowerCase().replaceAll('_', '-')}`;
}

/**
 * Every 404 looks the same whether the route does not exist, belongs to another kind of
 * organization, or names an object that is not the caller's: nothing to tell them apart by.
 */
const NOT_FOUND: ProblemDocument = { type: problemType('NOT_FOUND'), title: TITLES[404]!, status: 404, detail: 'Not found', code: 'NOT_FOUND' };

/** The problem document for any error. 5xx say nothing about the cause. */
export function toProblem(exception: unknown): ProblemDocument {
  if (exception instanceof DomainError) {
    if (exception.status === 404) return { ...NOT_FOUND };
    return {
      type: problemType(exception.code),
      title: TITLES[exception.status] ?? 'Error',
      status: exception.status,
      detail: exception.message,
      code: exception.code,
      ...(exception.fields.length > 0 ? { errors: [...exception.fields] } : {}),
    };
  }
  if (exception instanceof NotFoundException) return { ...NOT_FOUND };
  // Body-parser and Express errors: Nest wraps them as HttpExceptions with the original as cause.
  const raw = exception instanceof HttpException && exception.cause !== undefined ? exception.cause : exception;
  const status = exception instanceof HttpException ? exception.getStatus() : middlewareStatus(raw);
  const kind = typeof raw === 'object' && raw !== null ? (raw as { type?: unknown }).type : undefined;
  if (isDecompressionError(raw, exception, exception instanceof Error ? exception.cause : undefined)) {
    return { type: 'about:blank', title: TITLES[400]!, status: 400, detail: 'The request body could not be decompressed: it is not valid for its Content-Encoding' };
  }
  if (status !== undefined && status < 500 && (typeof kind === 'string' || raw instanceof URIError || !(exception instanceof HttpException))) {
    const detail = (typeof kind === 'string' ? MIDDLEWARE_DETAIL[kind] : undefined) ?? (raw instanceof URIError ? 'The URL is not correctly percent-encoded' : (TITLES[status] ?? 'Bad request'));
    return { type: 'about:blank', title: TITLES[status] ?? 'Error', status, detail };
  }
  if (exception instanceof HttpException && status !== undefined && status < 500) {
    const body = exception.getResponse();
    const message = typeof body === 'string' ? body : (body as { message?: unknown }).message;
    const detail = Array.isArray(message) ? message.map(String).join('; ') : typeof message === 'string' ? message : exception.message;
    return { type: 'about:blank', title: TITLES[status] ?? 'Error', status, detail };
  }
  return { type: 'about:blank', title: TITLES[500]!, status: 500, detail: 'An unexpected error occurred; quote the request id when reporting it.' };
}

const logger = new Logger('http');

/**
 * What of an unexpected error goes to the log: its name, message and code, with the request
 * id beside them. Not the whole object (a query error carries the SQL and its parameters, which
 * can hold key hashes or personal data) and not the stack trace: the request id and the message
 * find the failing statement in the database log.
 */
function loggable(exception: unknown): Record<string, unknown> {
  if (!(exception instanceof Error)) return { message: String(exception) };
  const code = (exception as { code?: unknown }).code;
  return { name: exception.name, message: exception.message.split('\n')[0], ...(typeof code === 'string' ? { code } : {}) };
}

/**
 * Writes the problem document for `exception`. Used by the global filter and by the
 * middleware that runs before Nest's router (rate limits, content types), so every 4xx
 * has one shape.
 */
export function sendProblem(req: Request, res: Response, exception: unknown, headers: Record<string, string> = {}): void {
  const problem = toProblem(exception);
  problem.instance = req.originalUrl?.split('?')[0];
  const id: unknown = (req as { id?: unknown }).id;
  if (typeof id === 'string' || typeof id === 'number') problem.requestId = String(id);
  if (problem.status >= 500) {
    logger.error({ err: loggable(exception), requestId: problem.requestId }, 'unhandled error');
  }
  if (problem.status === 429 && exception instanceof HttpException) {
    const retry = (exception.getResponse() as { retryAfter?: number }).retryAfter;
    if (retry !== undefined) res.setHeader('Retry-After', String(retry));
  }
  for (const [name, value] of Object.entries(headers)) res.setHeader(name, value);
  if (res.headersSent) {
    // A stream (server-sent events) already started: all that is left is to end it.
    res.end();
    return;
  }
  res.status(problem.status).type('application/problem+json').json(problem);
}

/**
 * Turns every error into a problem document. 4xx carry what the caller needs to fix the
 * request; 5xx carry only the request id, so no stack trace, SQL or secret leaves the process.
 */
@Catch()
export class ProblemFilter implements ExceptionFilter {
  catch(exception: unknown, host: ArgumentsHost): void {
    const ctx = host.switchToHttp();
    sendProblem(ctx.getRequest<Request>(), ctx.getResponse<Response>(), exception);
  }
}
