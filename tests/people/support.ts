import type { ApiResponse, TestApp } from '../support/harness';

/** A signed-in person: the cookie a browser would keep, and the CSRF token it would send. */
export interface Session {
  cookie: string;
  csrf: string;
  personId: string;
}

export async function signIn(t: TestApp, email: string, password: string, extra: Record<string, unknown> = {}, headers: Record<string, string> = {}): Promise<ApiResponse<{ csrfToken: string; person: { id: string }; code?: string; detail?: string }>> {
  return t.request('POST', '/sessions', { body: { email, password, ...extra }, headers });
}

export async function session(t: TestApp, email: string, password: string, extra: Record<string, unknown> = {}): Promise<Session> {
  const res = await signIn(t, email, password, extra);
  if (res.status !== 201) throw new Error(`sign-in failed: ${res.status} ${JSON.stringify(res.body)}`);
  const cookie = /^cl_session=[^;]+/.exec(res.headers.get('set-cookie') ?? '')?.[0];
  if (!cookie) throw new Error('no session cookie');
  return { cookie, csrf: res.body.csrfToken, personId: res.body.person.id };
}

/** A request made as the browser would with this session: the cookie always, the CSRF token unless told not to. */
export function as<T = Record<string, unknown>>(t: TestApp, s: Session, method: string, path: string, body?: unknown, csrf = true): Promise<ApiResponse<T>> {
  return t.request<T>(method, path, { body, headers: { cookie: s.cookie, ...(csrf ? { 'x-csrf-token': s.csrf } : {}) } });
}
