import { request as httpRequest, type IncomingMessage } from 'node:http';
import { request as httpsRequest } from 'node:https';
import type { LookupFunction } from 'node:net';
import { resolveTarget, type Resolver, TargetRefused } from './webhook-target';

/** What the log keeps of a receiver's answer: enough to debug, never its whole body. */
const SNIPPET_BYTES = 256;
/** A receiver's body is read no further than this; a larger one fails the attempt (`too_large`). */
const MAX_RESPONSE_BYTES = 64 * 1024;

export type SendErrorClass = 'http_status' | 'timeout' | 'connection' | 'refused_target' | 'too_large' | 'dns';

export interface SendResult {
  readonly ok: boolean;
  readonly statusCode?: number;
  readonly durationMs: number;
  readonly errorClass?: SendErrorClass;
  readonly snippet?: string;
}

export interface SendOptions {
  readonly allowPrivate: boolean;
  readonly timeoutMs: number;
  readonly resolve?: Resolver;
}

/**
 * One POST to a receiver. The name is resolved and checked here, and the connection goes to the
 * checked address (the request's `lookup` answers with it), so what was checked is what is
 * reached; TLS still verifies the certificate against the name. Redirects are not followed (a
 * 3xx is a failed attempt), the whole exchange is bounded by `timeoutMs`, and the answer's body
 * is read only up to a bound.
 */
export async function sendWebhook(url: URL, body: string, headers: Record<string, string>, options: SendOptions): Promise<SendResult> {
  const started = Date.now();
  const took = (): number => Date.now() - started;
  let addresses: { address: string; family: 4 | 6 }[];
  try {
    addresses = await withTimeout(resolveTarget(url, options.allowPrivate, options.resolve), options.timeoutMs);
  } catch (error) {
    return { ok: false, durationMs: took(), errorClass: error instanceof TargetRefused ? 'refused_target' : error instanceof Timeout ? 'timeout' : 'dns' };
  }
  const pinned = addresses[0]!;
  const lookup: LookupFunction = (_hostname, opts, callback) => {
    if ((opts as { all?: boolean }).all) (callback as unknown as (e: null, a: { address: string; family: number }[]) => void)(null, [pinned]);
    else callback(null, pinned.address, pinned.family);
  };
  return new Promise<SendResult>((resolve) => {
    let settled = false;
    const finish = (result: Omit<SendResult, 'durationMs'>): void => {
      if (settled) return;
      settled = true;
      clearTimeout(timer);
      req.destroy();
      resolve({ ...result, durationMs: took() });
    };
    const send = url.protocol === 'https:' ? httpsRequest : httpRequest;
    const req = send(url, { method: 'POST', headers: { ...headers, 'content-length': String(Buffer.byteLength(body)) }, lookup, agent: false }, (res: IncomingMessage) => {
      const chunks: Buffer[] = [];
      let size = 0;
      let kept = 0;
      res.on('data', (chunk: Buffer) => {
        size += chunk.length;
        if (size > MAX_RESPONSE_BYTES) return finish({ ok: false, statusCode: res.statusCode, errorClass: 'too_large' });
        if (kept < SNIPPET_BYTES) {
          chunks.push(chunk);
          kept += chunk.length;
        }
      });
      res.on('end', () => {
        const status = res.statusCode ?? 0;
        const snippet = Buffer.concat(chunks).subarray(0, SNIPPET_BYTES).toString('utf8').replace(/\p{Cc}/gu, ' ').trim();
        const ok = status >= 200 && status < 300;
        finish({ ok, statusCode: status, ...(ok ? {} : { errorClass: 'http_status' as const }), ...(snippet ? { snippet } : {}) });
      });
      res.on('error', () => finish({ ok: false, statusCode: res.statusCode, errorClass: 'connection' }));
    });
    const timer = setTimeout(() => finish({ ok: false, errorClass: 'timeout' }), Math.max(options.timeoutMs - took(), 1));
    req.on('error', () => finish({ ok: false, errorClass: 'connection' }));
    req.end(body);
  });
}

class Timeout extends Error {}

async function withTimeout<T>(work: Promise<T>, ms: number): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  try {
    return await Promise.race([work, new Promise<never>((_, fail) => (timer = setTimeout(() => fail(new Timeout()), ms)))]);
  } finally {
    clearTimeout(timer);
  }
}
