import { appRoutes } from '@bull-board/api/dist/routes.js';

/** The operators' queue board, mounted outside Nest's router (libs/market/src/bootstrap/console.ts). */
export const BOARD_PATH = '/admin/queues';

export interface BoardRoute {
  readonly method: string;
  /** As bull-board declares it: `/api/queues/:queueName/:jobId/retry`. */
  readonly route: string;
  readonly label: string;
  /** Changes queues: pauses, retries, cleans, removes, adds jobs. */
  readonly writes: boolean;
}

const list = <T>(x: T | T[]): T[] => (Array.isArray(x) ? x : [x]);

/**
 * Every route of the board, read from bull-board's own route table: the page and its JSON API.
 * An upgrade that adds a route puts it in the matrix without editing the test.
 */
export function boardRoutes(): BoardRoute[] {
  const routes = [appRoutes.entryPoint, ...appRoutes.api].flatMap((r) => list(r.method).flatMap((method) => list(r.route).map((route) => ({ method: method.toUpperCase(), route }))));
  return routes.map((r) => ({ ...r, label: `${r.method} ${BOARD_PATH}${r.route}`, writes: r.method !== 'GET' }));
}

/** Fills `:name` parameters; throws on one it has no value for, so a new kind of parameter is noticed. */
export function fillBoardRoute(route: string, values: Record<string, string>): string {
  return route.replace(/:(\w+)/g, (_, name: string) => {
    const value = values[name];
    if (value === undefined) throw new Error(`no value for board route parameter :${name} in ${route}; add it in tests/security/access-matrix.e2e.ts`);
    return encodeURIComponent(value);
  });
}
