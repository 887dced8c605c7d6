import type { SecurityConfig } from '../config/app-config';

const LOCALHOST = /^http:\/\/(?:localhost|127\.0\.0\.1|\[::1\])(?::\d{1,5})?$/;

/**
 * Origins a browser may call the API from: the configured list, plus localhost outside
 * production (the console's dev server). A request without Origin is not a browser's CORS
 * request, so CORS has nothing to say about it.
 */
export function corsAllows(security: SecurityConfig, origin: string | undefined): boolean {
  if (origin === undefined) return true;
  return security.corsOrigins.includes(origin) || (security.corsAllowLocalhost && LOCALHOST.test(origin));
}
