/** A raw HTTP answer: JSON parsed when it is JSON, text otherwise, streams cut after the headers. */
export interface RawResponse {
  status: number;
  headers: Headers;
  text: string;
  json: unknown;
  contentType: string;
}

export interface RawRequest {
  method: string;
  url: string;
  headers?: Record<string, string>;
  /** A string is sent as is; anything else as JSON. */
  body?: unknown;
}

export async function send(req: RawRequest): Promise<RawResponse> {
  const controller = new AbortController();
  const body = req.body === undefined ? undefined : typeof req.body === 'string' ? req.body : JSON.stringify(req.body);
  const headers = { ...(body !== undefined && typeof req.body !== 'string' ? { 'content-type': 'application/json' } : {}), ...req.headers };
  const res = await fetch(req.url, { method: req.method, headers, body, signal: controller.signal, redirect: 'manual' });
  const contentType = res.headers.get('content-type') ?? '';
  if (contentType.startsWith('text/event-stream')) {
    // A live stream never ends: its status and headers are the answer here.
    controller.abort();
    return { status: res.status, headers: res.headers, text: '', json: undefined, contentType };
  }
  const text = await res.text();
  let json: unknown;
  if (/json/.test(contentType) && text !== '') json = JSON.parse(text);
  return { status: res.status, headers: res.headers, text, json, contentType };
}

/** The keys an RFC 9457 problem document of this API may carry; anything else is data leaking. */
export const PROBLEM_KEYS = new Set(['type', 'title', 'status', 'detail', 'instance', 'code', 'errors', 'requestId']);
