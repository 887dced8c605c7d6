import { createHmac, randomUUID } from 'node:crypto';
import { OPERATOR_KEY, startTestApp, type TestApp } from '../support/harness';
import { openStream } from '../support/sse';
import { BOARD_PATH, boardRoutes, fillBoardRoute } from './support/board';
import { PROBLEM_KEYS, type RawResponse, send } from './support/http';
import { exampleOf, fillPath, loadOpenApi, type OpenApiDocument, type Operation, operationsOf } from './support/openapi';
import { ResponseSchemas } from './support/schemas';
import { buildWorld, type Caller, CALLERS, foreignIds, headersFor, idsOf, isPerson, keyFor, KEY_CALLERS, kindOf, orgOf, roleOf, sessionHeaders, signInAgain, targetOf, type World } from './support/world';

/**
 * Bodies for writes whose document examples would tie the two trading pairs together: a new
 * order no line can make (wool jacquard), a new line no fixture order can use (water-jet).
 */
const unmakeable = (): Record<string, unknown> => ({ kind: 'fabric', fabric: { fiber: 'wool', weave: 'jacquard', widthCm: 400, picksPerCm: 60 }, quantity: 10, dueDate: new Date(Date.now() + 30 * 86_400_000).toISOString().slice(0, 10) });
const BODIES: Record<string, () => unknown> = {
  'POST /api/v1/orders': unmakeable,
  'POST /api/v1/orders/batch': () => ({ orders: [unmakeable(), unmakeable()] }),
  'POST /api/v1/lines': () => ({ kind: 'weaving', name: 'Water-jets', machineType: 'water_jet', machines: 4, rpm: 600, maxWidthCm: 190, ratePerUnit: 0.01 }),
};

type Expectation = 'allowed' | 'unauthenticated' | 'hidden' | 'forbidden';

/**
 * Who gets what: the rule the whole API keeps, from DESIGN.md §1, §6 and §11. A route for another
 * kind of organization, or a person-only route called with a key: 404. A person whose role the
 * route does not list: 403 (a viewer changes nothing). Then another organization's object: 404.
 */
function expectation(world: World, op: Operation, caller: Caller): Expectation {
  if (op.roles === 'public') return 'allowed';
  if (caller === 'noKey' || caller === 'revokedKey' || caller === 'endedSession') return 'unauthenticated';
  const kind = kindOf(caller)!;
  if (routeHidden(op, caller)) return 'hidden';
  const role = roleOf(caller);
  if (role !== undefined && !op.personRoles.includes(role)) return 'forbidden';
  // The operator sees the whole market, but `/me/...` objects are each organization's own, the operator's too.
  if (kind === 'operator' && !op.path.includes('/me/')) return 'allowed';
  const target = targetOf(world, op.path, op.method);
  if (target && !target.owners.includes(orgOf(caller))) return 'hidden';
  return 'allowed';
}

/** The route itself does not exist for this caller: another kind's, or a person-only route and a key. */
function routeHidden(op: Operation, caller: Caller): boolean {
  return !op.roles || op.roles === 'public' || !op.roles.includes(kindOf(caller)!) || (op.peopleOnly && !isPerson(caller));
}

/** Callers in an order where the owner, whose call may change the object, comes last. */
function orderedCallers(world: World, op: Operation): Caller[] {
  const owners = targetOf(world, op.path, op.method)?.owners ?? [];
  const rank = (c: Caller): number => (owners.includes(orgOf(c)) ? 3 : kindOf(c) === 'operator' ? 2 : 1);
  return [...CALLERS].sort((x, y) => rank(x) - rank(y));
}

const comparable = (r: RawResponse): unknown => {
  const body = r.json as Record<string, unknown> | undefined;
  return { status: r.status, type: body?.type, title: body?.title, detail: body?.detail, code: body?.code, errors: body?.errors };
};

describe('access matrix: every route x every caller', () => {
  let t: TestApp;
  let world: World;
  let doc: OpenApiDocument;
  let schemas: ResponseSchemas;

  beforeAll(async () => {
    // High limits: this file makes hundreds of calls, many of them deliberately unauthenticated.
    t = await startTestApp({ RATE_LIMIT_PER_KEY: '100000', RATE_LIMIT_ANONYMOUS: '100000', RATE_LIMIT_AUTH_FAILURES: '100000' });
    world = await buildWorld(t);
    BODIES['POST /api/v1/sessions'] = () => ({ email: world.people.brandAViewer.email, password: world.people.brandAViewer.password });
    doc = await loadOpenApi(t.baseUrl);
    schemas = new ResponseSchemas(doc);
  });
  afterAll(async () => {
    if (t) await t.close();
  });

  it('covers every operation of the OpenAPI document, and each declares who may call it', () => {
    const ops = operationsOf(doc);
    const labels = ops.map((o) => o.label);
    // The routes this file was written against; new ones are picked up from the document.
    expect(labels).toEqual(expect.arrayContaining([
      'GET /api/v1/me', 'GET /api/v1/orders/{id}', 'POST /api/v1/orders', 'GET /api/v1/offers', 'POST /api/v1/offers/{id}/accept',
      'GET /api/v1/lines', 'DELETE /api/v1/me/keys/{id}', 'POST /api/v1/factories/{id}/verify', 'POST /api/v1/signup',
      'POST /api/v1/offers/{id}/counter', 'POST /api/v1/offers/{id}/counter/accept', 'POST /api/v1/offers/{id}/counter/decline',
      'GET /api/v1/offers/{id}/messages', 'POST /api/v1/offers/{id}/messages',
    ]));
    expect(ops.filter((o) => o.roles === undefined).map((o) => o.label)).toEqual([]);
  });

  it('lets a viewer change nothing: no changing route admits viewers but their own settings, signing out, quotes and estimates', () => {
    // A quote or a SAM estimate reserves and stores nothing; signing out and one's own settings change no market object.
    const harmless = ['DELETE /api/v1/sessions', 'PATCH /api/v1/me/person', 'POST /api/v1/quotes', 'POST /api/v1/sam-estimates'];
    const changing = operationsOf(doc).filter((o) => o.method !== 'GET' && o.roles !== 'public');
    expect(changing.filter((o) => o.personRoles.includes('viewer') && !harmless.includes(o.label)).map((o) => o.label)).toEqual([]);
    // Managing people is the owner's (and the platform's operators'), nobody else's.
    for (const o of operationsOf(doc).filter((x) => x.path.startsWith('/api/v1/me/people'))) expect([...o.personRoles].sort(), o.label).toEqual(['operator', 'owner']);
  });

  it('replays and streams each party only the events of its own trades', async () => {
    // Everything from the first event on: tenant B's offer is the newest event of the world,
    // so once it has arrived the whole replay has been seen.
    const streamB = openStream(`${t.baseUrl}/events`, { authorization: `Bearer ${world.b.brand.key}`, 'last-event-id': '0' });
    const streamA = openStream(`${t.baseUrl}/events?access_token=${world.a.factory.key}&lastEventId=0`);
    const operator = openStream(`${t.baseUrl}/events`, { authorization: `Bearer ${OPERATOR_KEY}`, 'last-event-id': '0' });
    const revoked = openStream(`${t.baseUrl}/events?access_token=${world.revokedKey}`);
    try {
      expect(await streamB.status).toBe(200);
      expect(await streamA.status).toBe(200);
      expect(await revoked.status).toBe(401);
      const offered = (m: { event: string; data: { orderId: string | null } }, orderId: string): boolean => m.event === 'offer.created' && m.data.orderId === orderId;
      await expect.poll(() => streamB.messages.some((m) => offered(m, world.b.orderId)), { timeout: 10_000 }).toBe(true);
      await expect.poll(() => operator.messages.some((m) => offered(m, world.b.orderId)), { timeout: 10_000 }).toBe(true);
      await expect.poll(() => streamA.messages.some((m) => offered(m, world.a.orderId)), { timeout: 10_000 }).toBe(true);
      const seenByB = JSON.stringify(streamB.messages);
      expect(idsOf(world.a).filter((id) => seenByB.includes(id))).toEqual([]);
      // Factory A's stream has had time to replay everything up to B's offer too, which came later.
      await expect.poll(() => operator.messages.length, { timeout: 10_000 }).toBeGreaterThan(streamB.messages.length);
      const lastB = Number(streamB.messages.at(-1)!.id);
      expect(Number(streamA.messages.at(-1)!.id)).toBeLessThan(lastB);
      const seenByA = JSON.stringify(streamA.messages);
      expect(idsOf(world.b).filter((id) => seenByA.includes(id))).toEqual([]);
      // The operator sees both sides.
      expect(operator.messages.some((m) => offered(m, world.a.orderId))).toBe(true);
    } finally {
      for (const s of [streamA, streamB, operator, revoked]) s.close();
    }
  });

  it('answers each caller as the rules say, as documented, and never shows a foreign id, a key or a hash', async () => {
    const unknownRoute = await send({ method: 'GET', url: `${t.baseUrl}/no-such-route-${randomUUID()}`, headers: { authorization: `Bearer ${world.a.brand.key}` } });
    expect(unknownRoute.status).toBe(404);
    const failures: string[] = [];
    const cells: string[] = [];
    for (const op of operationsOf(doc)) {
      const target = targetOf(world, op.path, op.method);
      const body = op.body ? (BODIES[op.label]?.() ?? exampleOf(doc, op.body)) : undefined;
      let removed = false;
      for (const caller of orderedCallers(world, op)) {
        // Signing out ends the session it is made with: each person does it with a session of its own.
        const headers = op.label === 'DELETE /api/v1/sessions' && isPerson(caller) ? sessionHeaders(await signInAgain(t, world.people[caller])) : headersFor(world, caller);
        const url = `${t.baseUrl.replace(/\/api\/v1$/, '')}${fillPath(op.path, { ...target?.params, id: target?.id ?? '' })}`;
        const res = await send({ method: op.method, url, headers, body });
        const expected = expectation(world, op, caller);
        cells.push(`${op.label} ${caller} ${res.status}`);
        const fail = (why: string): void => void failures.push(`${op.label} as ${caller}: ${why} (got ${res.status} ${res.text.slice(0, 200)})`);

        if (res.status >= 500) fail('server error');
        switch (expected) {
          case 'unauthenticated':
            if (res.status !== 401) fail('expected 401');
            break;
          case 'hidden': {
            if (routeHidden(op, caller)) {
              // A route for another kind of organization: exactly what a route that does not exist answers.
              if (JSON.stringify(comparable(res)) !== JSON.stringify(comparable(unknownRoute))) fail('expected the same 404 as an unknown route');
            } else {
              // Someone else's object: exactly what an id that does not exist answers.
              const ghost = await send({ method: op.method, url: `${t.baseUrl.replace(/\/api\/v1$/, '')}${fillPath(op.path, { ...target?.params, id: randomUUID() })}`, headers, body });
              if (![400, 404].includes(res.status)) fail('expected 404');
              if (JSON.stringify(comparable(res)) !== JSON.stringify(comparable(ghost))) fail(`answer differs from a nonexistent id's: ${ghost.status} ${ghost.text.slice(0, 120)}`);
            }
            break;
          }
          case 'forbidden':
            if (res.status !== 403 || (res.json as { code?: string } | undefined)?.code !== 'FORBIDDEN') fail('expected 403 for this role');
            break;
          case 'allowed':
            // A removal done by an earlier caller with the right leaves nothing for the next one.
            if (op.method === 'DELETE' && removed && res.status === 404) break;
            if ([401, 403, 404].includes(res.status)) fail('expected access');
            if (op.method === 'DELETE' && res.status < 300) removed = true;
            if (op.method === 'GET' && res.status !== 200) fail('expected 200');
            // What the document promises for this answer is what came (streams and text are not JSON).
            if (res.status < 300 && res.json !== undefined) for (const misfit of schemas.check(op.method, op.path, res.status, res.json)) fail(misfit);
            break;
        }
        if (res.status >= 400 && res.json !== undefined) {
          const extra = Object.keys(res.json as object).filter((k) => !PROBLEM_KEYS.has(k));
          if (extra.length > 0) fail(`error answer carries data fields ${extra.join(', ')}`);
        }
        // An id the caller sent (echoed in `instance`) tells them nothing they did not know.
        const sent = `${url} ${JSON.stringify(body ?? '')}`;
        const leaked = foreignIds(world, caller).filter((id) => !sent.includes(id) && res.text.includes(id));
        if (leaked.length > 0) fail(`foreign ids in the answer: ${leaked.join(', ')}`);
        const secrets = world.secrets.filter((s) => res.text.includes(s));
        if (secrets.length > 0) fail('an API key secret in the answer');
        if (/key_?hash/i.test(res.text)) fail('a key hash field in the answer');
      }
    }
    expect(failures).toEqual([]);
    // Every cell was really exercised: operations x every caller (seven by key, eight by session).
    expect(cells.length).toBe(operationsOf(doc).length * CALLERS.length);
    // The roles really were told apart: a viewer was refused somewhere a merchandiser was let in.
    expect(cells.filter((c) => / brandAViewer 403$/.test(c)).length).toBeGreaterThan(3);
    // Fifteen callers over every route: about a thousand requests, more than the runner's default allows on a busy machine.
  }, 180_000);

  it('keeps the objects of tenant A intact after tenant B tried every route on them', async () => {
    const [order] = await t.sql<{ brand_id: string }>('SELECT brand_id FROM orders WHERE id = $1', [world.a.orderId]);
    expect(order!.brand_id).toBe(world.a.brand.id);
    const [line] = await t.sql<{ factory_id: string }>('SELECT factory_id FROM lines WHERE id = $1', [world.a.lineId]);
    expect(line!.factory_id).toBe(world.a.factory.id);
    const [b] = await t.sql<{ status: string }>('SELECT status FROM orders WHERE id = $1', [world.b.orderId]);
    // Tenant B's own order was only ever touched by tenant B: it is still waiting on its offer.
    expect(b!.status).toBe('proposed');
  });

  /**
   * The queue board is Express, not Nest, so it is not in the OpenAPI document: its routes come
   * from bull-board's own table. Every route x every caller; only the operator gets in.
   */
  it('opens the queue board, its page and its API, to the operator alone', async () => {
    const root = t.baseUrl.replace(/\/api\/v1$/, '');
    const queues = ['matching', 'offers', 'capacity', 'maintenance', 'telemetry', 'webhooks'];
    const failures: string[] = [];
    const cells: string[] = [];
    const routes = boardRoutes();
    expect(routes.map((r) => r.label)).toEqual(expect.arrayContaining([`GET ${BOARD_PATH}/`, `GET ${BOARD_PATH}/api/queues`, `PUT ${BOARD_PATH}/api/queues/:queueName/clean/:queueStatus`]));
    for (const route of routes) {
      for (const caller of KEY_CALLERS) {
        const key = keyFor(world, caller);
        const operator = caller === 'operator';
        // The operator's writes go to a queue that does not exist: the board answers 404 past the
        // key check and changes nothing. Everyone else aims at the real queue.
        if (operator && route.writes && !route.route.includes(':queueName')) continue;
        const path = fillBoardRoute(route.route, { queueName: operator && route.writes ? 'no-such-queue' : 'matching', jobId: `match.${world.a.orderId}`, queueStatus: 'failed', schedulerId: 'sweep' });
        const res = await send({ method: route.method, url: `${root}${BOARD_PATH}${path}`, headers: key ? { authorization: `Bearer ${key}` } : {}, ...(route.writes ? { body: {} } : {}) });
        cells.push(`${route.label} ${caller} ${res.status}`);
        const fail = (why: string): void => void failures.push(`${route.label} as ${caller}: ${why} (got ${res.status} ${res.text.slice(0, 160)})`);
        if (res.status >= 500 && !operator) fail('server error');
        if (operator) {
          if ([401, 403].includes(res.status)) fail('expected the operator to get in');
          // Reads of a queue (not of a job that may be gone) answer in full.
          if (!route.writes && !route.route.includes(':jobId') && res.status !== 200) fail('expected 200');
          continue;
        }
        if (res.status !== 401) fail('expected 401');
        const extra = Object.keys(res.json ?? {}).filter((k) => !PROBLEM_KEYS.has(k));
        if (res.json === undefined || extra.length > 0) fail(`not a bare problem document: ${extra.join(', ')}`);
        const leaked = [...idsOf(world.a), ...idsOf(world.b), ...world.secrets].filter((id) => res.text.includes(id));
        if (leaked.length > 0) fail(`ids or keys in the answer: ${leaked.join(', ')}`);
      }
    }
    expect(failures).toEqual([]);
    expect(cells.length).toBeGreaterThan(routes.length * (KEY_CALLERS.length - 1));

    const board = (headers: Record<string, string>, query = ''): Promise<RawResponse> => send({ method: 'GET', url: `${root}${BOARD_PATH}/api/queues${query}`, headers });
    // The operator sees every queue, by key or by the console's cookie, and the hostile writes above left them running.
    const seen = await board({ authorization: `Bearer ${OPERATOR_KEY}` });
    expect(seen.status).toBe(200);
    const listed = (seen.json as { queues: { name: string; isPaused: boolean }[] }).queues;
    expect(listed.map((q) => q.name).sort()).toEqual([...queues].sort());
    expect(listed.filter((q) => q.isPaused)).toEqual([]);
    const basic = (secret: string): Record<string, string> => ({ authorization: `Basic ${Buffer.from(`operator:${secret}`).toString('base64')}` });
    expect((await board(basic(OPERATOR_KEY))).status).toBe(200);

    const session = await send({ method: 'POST', url: `${root}/admin/session`, headers: { authorization: `Bearer ${OPERATOR_KEY}` } });
    expect(session.status).toBe(204);
    const cookie = /^cl_board=[^;]+/.exec(session.headers.get('set-cookie') ?? '')?.[0];
    expect(cookie).toBeDefined();
    expect((await board({ cookie: cookie! })).status).toBe(200);

    // Nobody else gets a cookie, a Basic login, a forged cookie or a key in the URL through.
    for (const caller of KEY_CALLERS.filter((c) => c !== 'operator')) {
      const key = keyFor(world, caller);
      const asked = await send({ method: 'POST', url: `${root}/admin/session`, headers: key ? { authorization: `Bearer ${key}` } : {} });
      expect(asked.status, caller).toBe(401);
      expect(asked.headers.get('set-cookie'), caller).toBeNull();
      if (key) expect((await board(basic(key))).status, caller).toBe(401);
    }
    const forged = createHmac('sha256', world.a.brand.key).update('cloudloom queue board').digest('hex');
    for (const headers of [{ cookie: `cl_board=${forged}` }, { cookie: `${cookie!}x` }, { cookie: 'cl_board=' }]) expect((await board(headers)).status).toBe(401);
    expect((await board({}, `?access_token=${OPERATOR_KEY}`)).status).toBe(401);
  });
});
