/** The API as the console speaks it: JSON in, JSON out, RFC 9457 problem documents on failure. */

export interface FieldError {
  readonly field: string;
  readonly message: string;
}

/** A failed request, carrying the problem document the API sent (or one made up for network errors). */
export class ApiProblem extends Error {
  constructor(
    readonly status: number,
    readonly title: string,
    readonly detail: string | undefined,
    readonly errors: readonly FieldError[] = [],
    readonly requestId?: string,
    /** The API's machine-readable code (e.g. SECOND_FACTOR_REQUIRED), when it sent one. */
    readonly code?: string,
  ) {
    super(detail ?? title);
  }

  /** The message for one form field, if the API named it. */
  fieldMessage(field: string): string | undefined {
    return this.errors.filter((e) => e.field === field).map((e) => e.message).join('; ') || undefined;
  }
}

export const API_BASE = '/api/v1';

let currentKey: string | undefined;
export function setApiKey(key: string | undefined): void {
  currentKey = key;
}

/**
 * A person's session: the browser sends its httpOnly cookie by itself (same origin); the console
 * adds the session's CSRF token to every changing request, which the server requires with it.
 */
let currentCsrf: string | undefined;
export function setCsrfToken(token: string | undefined): void {
  currentCsrf = token;
}
const SAFE = new Set(['GET', 'HEAD', 'OPTIONS']);

interface ProblemBody {
  title?: string;
  detail?: string;
  errors?: FieldError[];
  requestId?: string;
  code?: string;
}

export async function api<T>(method: string, path: string, body?: unknown, key: string | undefined = currentKey, headers: Record<string, string> = {}): Promise<T> {
  let response: Response;
  try {
    response = await fetch(`${API_BASE}${path}`, {
      method,
      headers: {
        accept: 'application/json',
        // A FormData body (a file upload) sets its own multipart content type and boundary.
        ...(body !== undefined && !(body instanceof FormData) ? { 'content-type': 'application/json' } : {}),
        ...(key ? { authorization: `Bearer ${key}` } : {}),
        ...(!key && currentCsrf && !SAFE.has(method) ? { 'x-csrf-token': currentCsrf } : {}),
        ...headers,
      },
      credentials: 'same-origin',
      body: body === undefined ? undefined : body instanceof FormData ? body : JSON.stringify(body),
    });
  } catch {
    throw new ApiProblem(0, 'Network error', 'The server could not be reached. Check your connection and try again.');
  }
  const text = await response.text();
  let parsed: unknown;
  try {
    parsed = text ? JSON.parse(text) : undefined;
  } catch {
    parsed = undefined;
  }
  if (!response.ok) {
    const p = (parsed ?? {}) as ProblemBody;
    throw new ApiProblem(response.status, p.title ?? response.statusText ?? 'Error', p.detail, p.errors ?? [], p.requestId, p.code);
  }
  return parsed as T;
}

/** A file the API serves (an attachment), as a Blob: downloads need the bearer key, so no plain link. */
export async function apiBlob(path: string): Promise<Blob> {
  const response = await fetch(`${API_BASE}${path.replace(/^\/api\/v1/, '')}`, { headers: currentKey ? { authorization: `Bearer ${currentKey}` } : {} });
  if (!response.ok) throw new ApiProblem(response.status, response.statusText || 'Error', undefined);
  return response.blob();
}

export const asProblem = (error: unknown): ApiProblem =>
  error instanceof ApiProblem ? error : new ApiProblem(0, 'Unexpected error', error instanceof Error ? error.message : String(error));

/** Pages of `/counterparties` a console reads at most (500 names of each kind per page). */
const COUNTERPARTY_PAGES = 20;

/** Every page of `GET /counterparties`, its lists joined: the console names what it shows. */
export async function allCounterparties<T extends { nextCursor?: string }>(): Promise<T> {
  let page = await api<T>('GET', '/counterparties?limit=500');
  const merged: Record<string, unknown> = { ...page };
  for (let i = 1; page.nextCursor !== undefined && i < COUNTERPARTY_PAGES; i++) {
    page = await api<T>('GET', `/counterparties?limit=500&cursor=${encodeURIComponent(page.nextCursor)}`);
    for (const [name, items] of Object.entries(page)) if (Array.isArray(items)) merged[name] = [...(merged[name] as unknown[]), ...(items as unknown[])];
  }
  delete merged.nextCursor;
  return merged as T;
}
