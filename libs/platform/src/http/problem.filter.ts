import { type ArgumentsHost, Catch, type ExceptionFilter, HttpException, Logger } from '@nestjs/common';
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
  500: 'Internal Server Error',
  503: 'Service Unavailable',
};

/** Body-parser and similar middleware raise plain errors carrying an HTTP status. */
function middlewareStatus(error: unknown): number | undefined {
  if (typeof error !== 'object' || error === null) return undefined;
  const status = (error as { status?: unknown; statusCode?: unknown }).status ?? (error as { statusCode?: unknown }).statusCode;
  return typeof status === 'number' && status >= 400 && status < 500 ? status : undefined;
}

/**
 * Turns every error into a problem document. 4xx carry what the caller needs to fix the
 * request; 5xx carry only the request id, so no stack trace, SQL or secret leaves the process.
 */
@Catch()
export class ProblemFilter implements ExceptionFilter {
  private readonly logger = new Logger('http');

  catch(exception: unknown, host: ArgumentsHost): void {
    const ctx = host.switchToHttp();
    const req = ctx.getRequest<Request & { id?: string | number }>();
    const res = ctx.getResponse<Response>();
    const problem = this.toProblem(exception);
    problem.instance = req.originalUrl?.split('?')[0];
    if (req.id !== undefined) problem.requestId = String(req.id);
    if (problem.status >= 500) {
      this.logger.error({ err: exception, requestId: problem.requestId }, 'unhandled error');
    }
    if (problem.status === 429 && exception instanceof HttpException) {
      const retry = (exception.getResponse() as { retryAfter?: number }).retryAfter;
      if (retry !== undefined) res.setHeader('Retry-After', String(retry));
    }
    res.status(problem.status).type('application/problem+json').json(problem);
  }

  private toProblem(exception: unknown): ProblemDocument {
    if (exception instanceof DomainError) {
      return {
        type: `https://cloudloom.dev/problems/${exception.code.toLowerCase().replaceAll('_', '-')}`,
        title: TITLES[exception.status] ?? 'Error',
        status: exception.status,
        detail: exception.message,
        code: exception.code,
        ...(exception.fields.length > 0 ? { errors: [...exception.fields] } : {}),
      };
    }
    if (exception instanceof HttpException && exception.getStatus() < 500) {
      const status = exception.getStatus();
      const body = exception.getResponse();
      const message = typeof body === 'string' ? body : (body as { message?: unknown }).message;
      const detail = Array.isArray(message) ? message.map(String).join('; ') : typeof message === 'string' ? message : exception.message;
      return { type: 'about:blank', title: TITLES[status] ?? 'Error', status, detail };
    }
    const status = middlewareStatus(exception);
    if (status !== undefined) {
      const detail = status === 400 ? 'The request body is not valid JSON' : (TITLES[status] ?? 'Bad request');
      return { type: 'about:blank', title: TITLES[status] ?? 'Error', status, detail };
    }
    return { type: 'about:blank', title: TITLES[500]!, status: 500, detail: 'An unexpected error occurred; quote the request id when reporting it.' };
  }
}
