import { inDays, OPERATOR_KEY, type TestApp } from '../../support/harness';
import { readdir, readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { setTimeout as pause } from 'node:timers/promises';
import { generate } from 'otplib';
import { addLine, airJetLine, type OrderBody, signup } from '../../support/market';
import { checkOf } from '../../lots/check';
import { parseMail, tokenIn } from '../../support/smtp';

/** Organizations by their keys, and the people of tenant A (and of the platform) by role, signed in with sessions. */
export type KeyCaller = 'brandA' | 'brandB' | 'factoryA' | 'factoryB' | 'operator';
export type PersonCaller = 'brandAOwner' | 'brandAMerchandiser' | 'brandAViewer' | 'factoryAOwner' | 'factoryADispatcher' | 'factoryAViewer' | 'operatorPerson';
export type Caller = KeyCaller | PersonCaller | 'noKey' | 'revokedKey' | 'endedSession';
export const KEY_CALLERS: readonly Caller[] = ['noKey', 'revokedKey', 'brandA', 'brandB', 'factoryA', 'factoryB', 'operator'];
export const PERSON_CALLERS: readonly PersonCaller[] = ['brandAOwner', 'brandAMerchandiser', 'brandAViewer', 'factoryAOwner', 'factoryADispatcher', 'factoryAViewer', 'operatorPerson'];
export const CALLERS: readonly Caller[] = [...KEY_CALLERS, 'endedSession', ...PERSON_CALLERS];
export type Kind = 'brand' | 'factory' | 'operator';

/** Each person caller: whose organization, which role. */
const PEOPLE: Record<PersonCaller, { org: KeyCaller; role: string }> = {
  brandAOwner: { org: 'brandA', role: 'owner' },
  brandAMerchandiser: { org: 'brandA', role: 'merchandiser' },
  brandAViewer: { org: 'brandA', role: 'viewer' },
  factoryAOwner: { org: 'factoryA', role: 'owner' },
  factoryADispatcher: { org: 'factoryA', role: 'dispatcher' },
  factoryAViewer: { org: 'factoryA', role: 'viewer' },
  operatorPerson: { org: 'operator', role: 'operator' },
};

/** A signed-in person: the cookie and CSRF token a browser would send, and how to sign in again. */
export interface PersonSession {
  email: string;
  password: string;
  cookie: string;
  csrf: string;
  totpSecret?: string;
  /** The time (unix seconds) whose TOTP code the last sign-in used: the server takes each code once. */
  totpEpoch?: number;
}

export interface Org {
  id: string;
  key: string;
  /** A second key, so a route that revokes keys has one to take. */
  spareKeyId: string;
  spareKey: string;
  primaryKeyId: string;
}

export interface Tenant {
  brand: Org;
  factory: Org;
  lineId: string;
  orderId: string;
  allocationId: string;
  /** A PDF the brand attached to the traded order (its factory was offered the work, so sees it too). */
  attachmentId: string;
  /** A brand order no line can make: in no trade, so its own factory may not see it either. */
  privateOrderId: string;
  /** A factory line no order of the world can use: its own brand may not see it either. */
  idleLineId: string;
}

/**
 * Two trading pairs that never meet: brand A orders fabric, which only factory A's looms can
 * weave; brand B orders T-shirts, which only factory B's sewing line can make. Each pair may
 * see the other half of its own trade; nothing of the other pair.
 */
export interface World {
  a: Tenant;
  b: Tenant;
  revokedKey: string;
  /** Brand A's webhooks (one to delete, so the others stay for the routes after DELETE) and a delivery of the first. */
  hooks: { id: string; spareId: string; deliveryId: string };
  /** Every API key secret handed out; none may appear in any answer. */
  secrets: string[];
  /** A lot of tenant A's trade (the resolution route's object). */
  lotIdentifier: string;
  people: Record<PersonCaller, PersonSession>;
  /** A session signed out on the server: its cookie must be worth nothing. */
  endedSession: PersonSession;
  /** Invited people of brand A: what /me/people/{id} routes aim at (the removable one for DELETE). */
  spare: { personId: string; removableId: string };
}

async function keyOf(t: TestApp, key: string, label: string): Promise<{ id: string; key: string; primaryKeyId: string }> {
  const created = await t.request<{ key: { id: string }; apiKey: string }>('POST', '/me/keys', { key, body: { label } });
  if (created.status !== 201) throw new Error(`key creation failed: ${created.status} ${JSON.stringify(created.body)}`);
  const list = await t.request<{ items: { id: string; current: boolean }[] }>('GET', '/me/keys', { key });
  return { id: created.body.key.id, key: created.body.apiKey, primaryKeyId: list.body.items.find((k) => k.current)!.id };
}

async function org(t: TestApp, body: Record<string, unknown>): Promise<Org> {
  const made = await signup(t, body);
  const spare = await keyOf(t, made.key, 'spare');
  return { id: made.id, key: made.key, spareKeyId: spare.id, spareKey: spare.key, primaryKeyId: spare.primaryKeyId };
}

export const fabricOrder = (quantity = 1200): Record<string, unknown> => ({ kind: 'fabric', fabric: { fiber: 'cotton', weave: 'twill', widthCm: 150, picksPerCm: 30 }, quantity, dueDate: inDays(25) });
export const garmentOrder = (quantity = 400): Record<string, unknown> => ({ kind: 'garment', garment: { category: 'tshirt', fabricType: 'knit', samMinutes: 12 }, quantity, dueDate: inDays(25) });
export const sewingLine = { kind: 'sewing', name: 'Knit line 2', operators: 30, categories: ['tshirt'], fabricTypes: ['knit'], ratePerUnit: 0.45 };

/** Wool jacquard 400 cm wide: no line in the world can weave it, so it stays unmatched. */
const unmakeable = (): Record<string, unknown> => ({ kind: 'fabric', fabric: { fiber: 'wool', weave: 'jacquard', widthCm: 400, picksPerCm: 60 }, quantity: 20, dueDate: inDays(30) });

async function tenant(t: TestApp, tag: string, line: Record<string, unknown>, order: Record<string, unknown>, idleLine: Record<string, unknown>): Promise<Tenant> {
  const factory = await org(t, { kind: 'factory', name: `Factory ${tag}` });
  const brand = await org(t, { kind: 'brand', name: `Brand ${tag}` });
  const { id: lineId } = await addLine(t, factory.key, line);
  const posted = await t.request<OrderBody>('POST', '/orders', { key: brand.key, body: order });
  if (posted.status !== 202) throw new Error(`order failed: ${posted.status} ${JSON.stringify(posted.body)}`);
  const settled = await settledOrder(t, brand.key, posted.body.id);
  const allocation = settled.allocations[0];
  if (settled.status !== 'proposed' || !allocation || allocation.factoryId !== factory.id) {
    throw new Error(`tenant ${tag}: expected an offer to factory ${tag}, got ${JSON.stringify(settled)}`);
  }
  const { id: idleLineId } = await addLine(t, factory.key, idleLine);
  const privately = await t.request<OrderBody>('POST', '/orders', { key: brand.key, body: unmakeable() });
  if ((await settledOrder(t, brand.key, privately.body.id)).status !== 'unmatched') throw new Error(`tenant ${tag}: the private order was matched`);
  const attachmentId = await attach(t, brand.key, posted.body.id);
  return { brand, factory, lineId, orderId: posted.body.id, allocationId: allocation.id, attachmentId, privateOrderId: privately.body.id, idleLineId };
}

/** A tech pack on the order: multipart, which the request helper (JSON) does not speak. */
async function attach(t: TestApp, key: string, orderId: string): Promise<string> {
  const form = new FormData();
  form.append('file', new Blob([Buffer.from('%PDF-1.7\n%%EOF\n')], { type: 'application/pdf' }), 'tech-pack.pdf');
  const res = await fetch(`${t.baseUrl}/orders/${orderId}/attachments`, { method: 'POST', headers: { authorization: `Bearer ${key}` }, body: form });
  if (res.status !== 201) throw new Error(`attachment failed: ${res.status} ${await res.text()}`);
  return ((await res.json()) as { id: string }).id;
}

/**
 * Polls until the matcher has decided on the order (expect.poll cannot run in beforeAll,
 * where the world is built): a condition awaited, not a fixed sleep.
 */
export async function settledOrder(t: TestApp, key: string, id: string, timeoutMs = 15_000): Promise<OrderBody> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const order = (await t.request<OrderBody>('GET', `/orders/${id}`, { key })).body;
    if (!['pending', 'matching'].includes(order.status)) return order;
    if (Date.now() > deadline) throw new Error(`order ${id} still ${order.status} after ${timeoutMs} ms`);
    await pause(50);
  }
}

export async function buildWorld(t: TestApp): Promise<World> {
  // Idle lines that no order of the world fits: A's sews woven coats, B's water-jets weave only polyester.
  const a = await tenant(t, 'A', airJetLine, fabricOrder(), { kind: 'sewing', name: 'Coat line', operators: 12, categories: ['coat'], fabricTypes: ['woven'], ratePerUnit: 0.8 });
  const b = await tenant(t, 'B', sewingLine, garmentOrder(), { kind: 'weaving', name: 'Water-jets', machineType: 'water_jet', machines: 6, rpm: 650, maxWidthCm: 190, ratePerUnit: 0.01 });
  const revoked = await keyOf(t, a.brand.key, 'to revoke');
  const gone = await t.request('DELETE', `/me/keys/${revoked.id}`, { key: a.brand.key });
  if (gone.status !== 204) throw new Error(`revocation failed: ${gone.status}`);
  // A lot of A's trade, written as the lots route would (that route needs an accepted offer, and
  // the world's offers stay open): the resolution route's object.
  const lotIdentifier = `CL/roll.${'7KQ2M9X4PZ8H3V6W'}${checkOf('7KQ2M9X4PZ8H3V6W')}`;
  await t.sql(`INSERT INTO lots (identifier, kind, allocation_id, order_id, factory_id, line_id, quantity, unit, counted) VALUES ($1, 'roll', $2, $3, $4, $5, 10, 'm', true)`, [lotIdentifier, a.allocationId, a.orderId, a.factory.id, a.lineId]);
  const people = {} as Record<PersonCaller, PersonSession>;
  for (const caller of PERSON_CALLERS) {
    const { org, role } = PEOPLE[caller];
    people[caller] = await person(t, keyFor({ a, b } as World, org)!, `${caller.toLowerCase()}@matrix.example`, role);
  }
  const endedSession = await signInAgain(t, people.brandAViewer);
  const out = await t.request('DELETE', '/sessions', { headers: sessionHeaders(endedSession) });
  if (out.status !== 204) throw new Error(`sign-out failed: ${out.status}`);
  // Two invited people of brand A: DELETE /me/people/{id} takes the second, so the routes after it find the first.
  const spares = await Promise.all(['spare', 'spare2'].map((name) => t.request<{ id: string }>('POST', '/me/people', { key: a.brand.key, body: { email: `${name}@matrix.example`, role: 'viewer' } })));
  if (spares.some((x) => x.status !== 201)) throw new Error(`invitation failed: ${spares.map((x) => x.status).join(', ')}`);
  const cookies = [...Object.values(people), endedSession].map((x) => x.cookie.replace(/^cl_session=/, ''));
  const hooks = await webhooksOf(t, a);
  const secrets = [a, b].flatMap((x) => [x.brand.key, x.brand.spareKey, x.factory.key, x.factory.spareKey]).concat(revoked.key, OPERATOR_KEY, ...hooks.secrets, ...cookies);
  return { a, b, revokedKey: revoked.key, hooks: hooks.ids, secrets, people, endedSession, spare: { personId: spares[0]!.body.id, removableId: spares[1]!.body.id }, lotIdentifier };
}

/**
 * Two webhooks of brand A (to a name that never resolves: nothing leaves the machine) and a
 * delivery of one of A's events, as the events trigger writes it but already given up on, so no
 * attempt writes rows in the background while the fuzz counts them (a redeliver starts it again).
 */
async function webhooksOf(t: TestApp, a: Tenant): Promise<{ ids: World['hooks']; secrets: string[] }> {
  const made = await Promise.all([0, 1].map(() => t.request<{ id: string; secret: string }>('POST', '/me/webhooks', { key: a.brand.key, body: { url: 'https://hooks.invalid/cloudloom', events: ['order.posted'] } })));
  if (made.some((m) => m.status !== 201)) throw new Error(`webhook creation failed: ${made.map((m) => m.status).join(', ')}`);
  const [delivery] = await t.sql<{ id: string }>(
    `INSERT INTO webhook_deliveries (subscription_id, event_id, status) SELECT $1, max(id), 'failed' FROM events WHERE $2 = ANY(audience) RETURNING id`,
    [made[0]!.body.id, a.brand.id],
  );
  return { ids: { id: made[0]!.body.id, spareId: made[1]!.body.id, deliveryId: delivery!.id }, secrets: made.map((m) => m.body.secret) };
}

/** The invitation link's token from the mail written to MAIL_DIR (the harness gives each app a folder; no SMTP server here). */
async function invitationToken(t: TestApp, email: string): Promise<string> {
  const dir = t.env.MAIL_DIR;
  if (!dir) throw new Error('the world needs MAIL_DIR set for the test app');
  const deadline = Date.now() + 10_000;
  for (;;) {
    for (const name of await readdir(dir).catch(() => [] as string[])) {
      const raw = await readFile(join(dir, name), 'utf8');
      if (/^To: (.+)$/m.exec(raw)?.[1]?.trim() === email) return tokenIn(parseMail(raw, [email]));
    }
    if (Date.now() > deadline) throw new Error(`no invitation mail for ${email}`);
    await pause(50);
  }
}

/** Invited by their organization's key, accepted through the mailed link, signed in (operators with a TOTP code). */
async function person(t: TestApp, key: string, email: string, role: string): Promise<PersonSession> {
  const invited = await t.request('POST', '/me/people', { key, body: { email, role } });
  if (invited.status !== 201) throw new Error(`invitation of ${email} failed: ${invited.status} ${JSON.stringify(invited.body)}`);
  const password = `matrix-${role}-password`;
  const accepted = await t.request<{ totp?: { secret: string } }>('POST', '/invitations/accept', { body: { token: await invitationToken(t, email), password } });
  if (accepted.status !== 201) throw new Error(`acceptance failed: ${accepted.status}`);
  return signInAgain(t, { email, password, cookie: '', csrf: '', totpSecret: accepted.body.totp?.secret });
}

/** A new session of the same person (the old one stays). */
export async function signInAgain(t: TestApp, p: PersonSession): Promise<PersonSession> {
  // A TOTP code is good once: a second sign-in within the same 30 s step takes the next step's
  // code, which the server's tolerance of one step ahead accepts.
  const now = Math.floor(Date.now() / 1000);
  const epoch = p.totpEpoch !== undefined && Math.floor(p.totpEpoch / 30) >= Math.floor(now / 30) ? (Math.floor(p.totpEpoch / 30) + 1) * 30 : now;
  const totpCode = p.totpSecret ? await generate({ secret: p.totpSecret, epoch }) : undefined;
  const res = await t.request<{ csrfToken: string }>('POST', '/sessions', { body: { email: p.email, password: p.password, ...(totpCode ? { totpCode } : {}) } });
  const cookie = /^cl_session=[^;]+/.exec(res.headers.get('set-cookie') ?? '')?.[0];
  if (res.status !== 201 || !cookie) throw new Error(`sign-in of ${p.email} failed: ${res.status}`);
  return { ...p, cookie, csrf: res.body.csrfToken, ...(totpCode ? { totpEpoch: epoch } : {}) };
}

export function sessionHeaders(p: PersonSession): Record<string, string> {
  return { cookie: p.cookie, 'x-csrf-token': p.csrf };
}

export function isPerson(caller: Caller): caller is PersonCaller {
  return caller in PEOPLE;
}

/** What a caller sends: a key, or a person's cookie and CSRF token, or nothing. */
export function headersFor(world: World, caller: Caller): Record<string, string> {
  if (caller === 'endedSession') return sessionHeaders(world.endedSession);
  if (isPerson(caller)) return sessionHeaders(world.people[caller]);
  const key = keyFor(world, caller);
  return key ? { authorization: `Bearer ${key}` } : {};
}

/** The organization a caller acts for, as its key caller (people act for theirs). */
export function orgOf(caller: Caller): Exclude<Caller, PersonCaller> {
  return isPerson(caller) ? PEOPLE[caller].org : caller;
}

export function roleOf(caller: Caller): string | undefined {
  return isPerson(caller) ? PEOPLE[caller].role : undefined;
}

export function keyFor(world: Pick<World, 'a' | 'b' | 'revokedKey'>, caller: Caller): string | undefined {
  if (isPerson(caller) || caller === 'endedSession') return undefined;
  switch (caller) {
    case 'brandA': return world.a.brand.key;
    case 'brandB': return world.b.brand.key;
    case 'factoryA': return world.a.factory.key;
    case 'factoryB': return world.b.factory.key;
    case 'operator': return OPERATOR_KEY;
    case 'revokedKey': return world.revokedKey;
    case 'noKey': return undefined;
  }
}

export function kindOf(caller: Caller): Kind | undefined {
  if (caller.startsWith('brand')) return 'brand';
  if (caller.startsWith('factory')) return 'factory';
  return caller === 'operator' || caller === 'operatorPerson' ? 'operator' : undefined;
}

/** The ids a pair owns: what the other pair must never see. */
export function idsOf(x: Tenant): string[] {
  return [x.brand.id, x.factory.id, x.lineId, x.orderId, x.allocationId, x.attachmentId, x.privateOrderId, x.idleLineId, x.brand.spareKeyId, x.brand.primaryKeyId, x.factory.spareKeyId, x.factory.primaryKeyId];
}

/** Brand A's webhooks and their delivery: no one else's, not even the operator's to see. */
const hookIds = (world: World): string[] => [world.hooks.id, world.hooks.spareId, world.hooks.deliveryId];

/** Ids the caller may not see in any answer. Operators see the whole market. */
export function foreignIds(world: World, caller: Caller): string[] {
  const { a, b } = world;
  switch (orgOf(caller)) {
    // Within a pair: the other side's keys, and what of the other side is outside the trade.
    case 'brandA': return [...idsOf(b), a.factory.spareKeyId, a.factory.primaryKeyId, a.idleLineId];
    case 'factoryA': return [...idsOf(b), ...hookIds(world), a.brand.spareKeyId, a.brand.primaryKeyId, a.privateOrderId];
    case 'brandB': return [...idsOf(a), ...hookIds(world), b.factory.spareKeyId, b.factory.primaryKeyId, b.idleLineId];
    case 'factoryB': return [...idsOf(a), ...hookIds(world), b.brand.spareKeyId, b.brand.primaryKeyId, b.privateOrderId];
    case 'operator': return [];
    case 'noKey':
    case 'revokedKey':
    case 'endedSession': return [...idsOf(a), ...idsOf(b), ...hookIds(world)];
  }
}

/** The object a route's `{id}` names, by the path segment before it, and who owns it (tenant A's side). */
export interface Target {
  id: string;
  owners: readonly Caller[];
  /** Values of the path's other parameters, where it has more than `{id}`. */
  params?: Record<string, string>;
}

/**
 * One entry per kind of object the API addresses by id. A new route over a new kind of
 * object fails the matrix with a message pointing here, so nothing is left unchecked.
 */
export function targetOf(world: World, path: string, method?: string): Target | undefined {
  const { a } = world;
  // An order's files: its brand's, and the factory offered its work sees them too.
  if (/\/orders\/\{id\}\/attachments$/.test(path)) return { id: a.orderId, owners: ['brandA', 'factoryA'] };
  // An offer's counter is answered by its order's brand; its conversation is the brand's and the factory's.
  if (/\/offers\/\{id\}\/counter\/(accept|decline)$/.test(path)) return { id: a.allocationId, owners: ['brandA'] };
  if (/\/offers\/\{id\}\/messages$/.test(path)) return { id: a.allocationId, owners: ['brandA', 'factoryA'] };
  const m = /\/([\w-]+)\/\{(\w+)\}/.exec(path);
  if (!m) return undefined;
  switch (m[1] ?? '') {
    case 'orders': return { id: a.orderId, owners: ['brandA'] };
    case 'offers': return { id: a.allocationId, owners: ['factoryA'] };
    case 'allocations': return { id: a.allocationId, owners: ['factoryA', 'brandA'] };
    case 'lines': return { id: a.lineId, owners: ['factoryA'] };
    case 'factories': return { id: a.factory.id, owners: ['factoryA'] };
    case 'keys': return { id: a.brand.spareKeyId, owners: ['brandA'] };
    // A lot's identifier resolves for anyone (public): the owners are the order's parties.
    case 'id': return { id: world.lotIdentifier, owners: ['brandA', 'factoryA'] };
    // A removed person is gone: DELETE takes the second invited one, so the routes after it find theirs.
    case 'people': return { id: method === 'DELETE' ? world.spare.removableId : world.spare.personId, owners: ['brandA'] };
    case 'attachments': return { id: a.attachmentId, owners: ['brandA', 'factoryA'] };
    // A deleted webhook is gone: DELETE takes the spare one, so the routes after it find theirs.
    case 'webhooks': return { id: method === 'DELETE' ? world.hooks.spareId : world.hooks.id, owners: ['brandA'], params: { deliveryId: world.hooks.deliveryId } };
    default: throw new Error(`${path}: no fixture for /${m[1]}/{${m[2]}} in tests/security/support/world.ts targetOf(); add the object kind and its owners`);
  }
}
