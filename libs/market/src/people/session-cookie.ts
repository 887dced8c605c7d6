import type { AppConfig } from '@cloudloom/platform';

export const SESSION_COOKIE = 'cl_session';

/** The session cookie: httpOnly (no script reads it), SameSite=Strict (no other site sends it), Secure in production. */
export function sessionCookie(config: AppConfig, value: string, maxAgeSeconds: number): string {
  return [`${SESSION_COOKIE}=${value}`, 'Path=/api', 'HttpOnly', 'SameSite=Strict', `Max-Age=${maxAgeSeconds}`, ...(config.env === 'production' ? ['Secure'] : [])].join('; ');
}

/** The session token a request's cookie carries, if it is well-formed at all. */
export function sessionTokenOf(req: { headers: Record<string, string | string[] | undefined> }): string | undefined {
  const header = req.headers.cookie;
  if (typeof header !== 'string') return undefined;
  for (const part of header.split(';')) {
    const [name, ...rest] = part.trim().split('=');
    if (name === SESSION_COOKIE) {
      const value = rest.join('=');
      return /^[\w-]{20,100}$/.test(value) ? value : undefined;
    }
  }
  return undefined;
}
