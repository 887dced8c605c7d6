import { generate } from 'otplib';
import { inDays, OPERATOR_KEY, startTestApp, type TestApp } from '../support/harness';
import { startSmtp, tokenIn, type ReceivedMail } from '../support/smtp';
import { as, session, signIn } from './support';

const fabricOrder = { kind: 'fabric', fabric: { fiber: 'cotton', weave: 'twill', widthCm: 150, picksPerCm: 30 }, quantity: 800, dueDate: inDays(25) };

describe('people: sign-in, sessions, CSRF, lockout, reset, invitations, TOTP', () => {
  let t: TestApp;
  let smtp: Awaited<ReturnType<typeof startSmtp>>;
  const mailTo = async (address: string, seen = 0): Promise<ReceivedMail> => {
    await expect.poll(() => smtp.mails.filter((m) => m.to.includes(address)).length, { timeout: 10_000 }).toBeGreaterThan(seen);
    return smtp.mails.filter((m) => m.to.includes(address))[seen]!;
  };

  beforeAll(async () => {
    smtp = await startSmtp();
    // Lockout after 3 failures, at most 3 s; addresses from X-Forwarded-For so two "places" can sign in.
    t = await startTestApp({ SMTP_URL: smtp.url, SIGN_IN_FAILURES_BEFORE_LOCK: '3', SIGN_IN_LOCK_MAX_SECONDS: '3', TRUST_PROXY_HOPS: '1' });
  });
  afterAll(async () => {
    await t?.close();
    await smtp?.close();
  });

  it('signs the owner up, signs in with an httpOnly SameSite cookie, and stores only argon2id and SHA-256', async () => {
    const up = await t.request<{ owner: { email: string; role: string } }>('POST', '/signup', { body: { kind: 'brand', name: 'Canton Studio', email: 'Owner@Canton.example', password: 'canton-owner-pass', locale: 'en' } });
    expect(up.status).toBe(201);
    expect(up.body.owner).toMatchObject({ email: 'owner@canton.example', role: 'owner' });
    const wrong = await signIn(t, 'owner@canton.example', 'not-the-password');
    expect(wrong.status).toBe(401);
    const res = await signIn(t, 'OWNER@canton.example', 'canton-owner-pass');
    expect(res.status).toBe(201);
    const setCookie = res.headers.get('set-cookie') ?? '';
    expect(setCookie).toMatch(/^cl_session=[\w-]{43}; /);
    expect(setCookie).toContain('HttpOnly');
    expect(setCookie).toContain('SameSite=Strict');
    expect(setCookie).not.toContain('Secure'); // NODE_ENV=test; production adds it (config)
    const token = /^cl_session=([^;]+)/.exec(setCookie)![1]!;
    const [stored] = await t.sql<{ password_hash: string; token_hash: string }>('SELECT p.password_hash, s.token_hash FROM people p JOIN sessions s ON s.person_id = p.id WHERE p.email = $1', ['owner@canton.example']);
    expect(stored!.password_hash).toMatch(/^\$argon2id\$/);
    expect(stored!.token_hash).toMatch(/^[0-9a-f]{64}$/);
    expect(stored!.token_hash).not.toContain(token);
    // A second signup with the same address is refused, naming the field, and leaves no organization behind.
    const again = await t.request<{ errors: { field: string }[] }>('POST', '/signup', { body: { kind: 'factory', name: 'Copycat Mill', email: 'owner@canton.example', password: 'another-password' } });
    expect(again.status).toBe(400);
    expect(again.body.errors.map((e) => e.field)).toEqual(['email']);
    expect(await t.sql('SELECT 1 FROM organizations WHERE name = $1', ['Copycat Mill'])).toEqual([]);
  });

  it('refuses a changing request made with the cookie but without its CSRF token, and records the person as the actor', async () => {
    const s = await session(t, 'owner@canton.example', 'canton-owner-pass');
    expect((await as<{ kind: string }>(t, s, 'GET', '/me', undefined, false)).body.kind).toBe('brand');
    const refused = await as<{ code: string }>(t, s, 'POST', '/orders', fabricOrder, false);
    expect(refused.status).toBe(403);
    expect(refused.body.code).toBe('FORBIDDEN');
    const forged = await t.request('POST', '/orders', { body: fabricOrder, headers: { cookie: s.cookie, 'x-csrf-token': 'forged-token-forged-token-forged-token-xx' } });
    expect(forged.status).toBe(403);
    expect(await t.sql(`SELECT 1 FROM orders`)).toEqual([]);
    const posted = await as<{ id: string }>(t, s, 'POST', '/orders', fabricOrder);
    expect(posted.status).toBe(202);
    const [event] = await t.sql<{ actor: string }>(`SELECT actor FROM events WHERE order_id = $1 AND type = 'order.posted'`, [posted.body.id]);
    expect(event!.actor).toBe(`person:${s.personId}`);
    const current = await as<{ csrfToken: string; person: { id: string } }>(t, s, 'GET', '/sessions/current');
    expect(current.body).toMatchObject({ csrfToken: s.csrf, person: { id: s.personId } });
  });

  it('signs out on the server: the same cookie is refused afterwards', async () => {
    const s = await session(t, 'owner@canton.example', 'canton-owner-pass');
    expect((await as(t, s, 'GET', '/orders')).status).toBe(200);
    const out = await as(t, s, 'DELETE', '/sessions');
    expect(out.status).toBe(204);
    expect(out.headers.get('set-cookie')).toMatch(/^cl_session=; .*Max-Age=0/);
    expect((await as(t, s, 'GET', '/orders')).status).toBe(401);
    const token = /^cl_session=(.+)$/.exec(s.cookie)![1]!;
    const [row] = await t.sql<{ ended: boolean }>(`SELECT ended_at IS NOT NULL AS ended FROM sessions WHERE token_hash = encode(sha256($1::bytea), 'hex')`, [token]);
    expect(row!.ended).toBe(true);
  });

  it('locks an account out from one address after repeated failures, never from another, and releases it', async () => {
    const from = (ip: string): Record<string, string> => ({ 'x-forwarded-for': ip });
    for (let i = 0; i < 3; i++) expect((await signIn(t, 'owner@canton.example', 'guess-guess-guess', {}, from('203.0.113.9'))).status).toBe(401);
    // Even the right password waits now, from the guesser's address...
    const locked = await signIn(t, 'owner@canton.example', 'canton-owner-pass', {}, from('203.0.113.9'));
    expect(locked.status).toBe(429);
    expect(Number(locked.headers.get('retry-after'))).toBeGreaterThanOrEqual(1);
    // ...while the owner, elsewhere, signs in.
    expect((await signIn(t, 'owner@canton.example', 'canton-owner-pass', {}, from('198.51.100.7'))).status).toBe(201);
    // The lock expires by itself (at most SIGN_IN_LOCK_MAX_SECONDS), then the right password works.
    await expect.poll(async () => (await signIn(t, 'owner@canton.example', 'canton-owner-pass', {}, from('203.0.113.9'))).status, { timeout: 10_000, interval: 500 }).toBe(201);
    expect(await t.sql(`SELECT 1 FROM sign_in_failures WHERE address = '203.0.113.9'`)).toEqual([]);
  });

  it('resets a password by a mailed single-use token, in the person\'s language, ending their sessions', async () => {
    const before = await session(t, 'owner@canton.example', 'canton-owner-pass');
    const seen = smtp.mails.filter((m) => m.to.includes('owner@canton.example')).length;
    expect((await t.request('POST', '/password-resets', { body: { email: 'nobody@nowhere.example' } })).status).toBe(204);
    expect((await t.request('POST', '/password-resets', { body: { email: 'owner@canton.example' } })).status).toBe(204);
    const mail = await mailTo('owner@canton.example', seen);
    expect(mail.subject).toBe('Reset your cloudloom password');
    expect(mail.text).toContain('within 30 minutes');
    const token = tokenIn(mail);
    expect((await t.request('POST', '/password-resets/confirm', { body: { token, password: 'short' } })).status).toBe(400);
    expect((await t.request('POST', '/password-resets/confirm', { body: { token, password: 'a-brand-new-password' } })).status).toBe(204);
    const reused = await t.request<{ errors: { field: string }[] }>('POST', '/password-resets/confirm', { body: { token, password: 'yet-another-password' } });
    expect(reused.status).toBe(400);
    expect(reused.body.errors[0]!.field).toBe('token');
    expect((await as(t, before, 'GET', '/me')).status).toBe(401);
    expect((await signIn(t, 'owner@canton.example', 'canton-owner-pass')).status).toBe(401);
    expect((await signIn(t, 'owner@canton.example', 'a-brand-new-password')).status).toBe(201);
    // Nothing went to the address without an account.
    expect(smtp.mails.filter((m) => m.to.includes('nobody@nowhere.example'))).toEqual([]);
  });

  it('invites a viewer by mail in Chinese; the viewer reads but changes nothing', async () => {
    const owner = await session(t, 'owner@canton.example', 'a-brand-new-password');
    const invited = await as<{ id: string; status: string }>(t, owner, 'POST', '/me/people', { email: 'clerk@canton.example', role: 'viewer' });
    expect(invited.status).toBe(201);
    expect(invited.body.status).toBe('invited');
    const wrongKind = await as<{ errors: { field: string }[] }>(t, owner, 'POST', '/me/people', { email: 'x@canton.example', role: 'dispatcher' });
    expect(wrongKind.status).toBe(400);
    expect(wrongKind.body.errors[0]!.field).toBe('role');
    const mail = await mailTo('clerk@canton.example');
    expect(mail.subject).toBe('Canton Studio 邀请您加入 cloudloom');
    expect(mail.text).toContain('只读成员');
    // Not signed in before accepting: no password yet.
    expect((await signIn(t, 'clerk@canton.example', 'anything-at-all')).status).toBe(401);
    const token = tokenIn(mail);
    expect((await t.request('POST', '/invitations/accept', { body: { token, password: 'clerk-password-1' } })).status).toBe(201);
    expect((await t.request('POST', '/invitations/accept', { body: { token, password: 'clerk-password-2' } })).status).toBe(400);
    const viewer = await session(t, 'clerk@canton.example', 'clerk-password-1');
    expect((await as(t, viewer, 'GET', '/orders')).status).toBe(200);
    const denied = await as<{ code: string; detail: string }>(t, viewer, 'POST', '/orders', fabricOrder);
    expect(denied.status).toBe(403);
    expect(denied.body.detail).toBe('Your role (viewer) may not do this');
    expect((await as(t, viewer, 'GET', '/me/people')).status).toBe(403);
    // Their own settings are theirs to change.
    const settings = await as<{ locale: string; notify: string[] }>(t, viewer, 'PATCH', '/me/person', { locale: 'en', notify: ['order.posted'] });
    expect(settings.status).toBe(200);
    expect(settings.body).toMatchObject({ locale: 'en', notify: ['order.posted'] });
    const bad = await as<{ errors: { field: string }[] }>(t, viewer, 'PATCH', '/me/person', { notify: ['order.teleported'] });
    expect(bad.status).toBe(400);
    expect(bad.body.errors[0]!.field).toBe('notify');
    // The owner makes them a merchandiser: now they may post; the only owner cannot step down.
    expect((await as(t, owner, 'PATCH', `/me/people/${invited.body.id}`, { role: 'merchandiser' })).status).toBe(200);
    expect((await as(t, viewer, 'POST', '/orders', fabricOrder)).status).toBe(202);
    expect((await as(t, owner, 'PATCH', `/me/people/${owner.personId}`, { role: 'viewer' })).status).toBe(409);
    // Removed: their session dies with them.
    expect((await as(t, owner, 'DELETE', `/me/people/${invited.body.id}`)).status).toBe(204);
    expect((await as(t, viewer, 'GET', '/orders')).status).toBe(401);
  });

  it('mails the events a person asked for, in their language', async () => {
    const owner = await session(t, 'owner@canton.example', 'a-brand-new-password');
    expect((await as(t, owner, 'PATCH', '/me/person', { notify: ['order.posted'] })).status).toBe(200);
    const posted = await as<{ id: string }>(t, owner, 'POST', '/orders', fabricOrder);
    expect(posted.status).toBe(202);
    // Earlier orders of the brand, posted within the notifier's settling time, may be mailed too: look for this one.
    const about = (): ReceivedMail | undefined => smtp.mails.find((m) => m.to.includes('owner@canton.example') && m.text.includes(posted.body.id));
    await expect.poll(() => about() !== undefined, { timeout: 15_000 }).toBe(true);
    expect(about()!.subject).toBe('cloudloom: Order posted');
    expect(about()!.text).toContain(`Order posted (order ${posted.body.id})`);
    // Nobody of another organization heard of it.
    expect(smtp.mails.filter((m) => m.text.includes(posted.body.id) && !m.to.includes('owner@canton.example'))).toEqual([]);
  });

  it('gives operator people a session only with a TOTP code from their enrolment', async () => {
    const invited = await t.request<{ id: string }>('POST', '/me/people', { key: OPERATOR_KEY, body: { email: 'ops@cloudloom.example', role: 'operator', locale: 'zh-CN' } });
    expect(invited.status).toBe(201);
    const mail = await mailTo('ops@cloudloom.example');
    expect(mail.subject).toBe('cloudloom 邀请您加入 cloudloom');
    const accepted = await t.request<{ totp: { secret: string; uri: string } }>('POST', '/invitations/accept', { body: { token: tokenIn(mail), password: 'operator-password' } });
    expect(accepted.status).toBe(201);
    expect(accepted.body.totp.uri).toMatch(/^otpauth:\/\/totp\//);
    const secret = accepted.body.totp.secret;
    const noCode = await signIn(t, 'ops@cloudloom.example', 'operator-password');
    expect(noCode.status).toBe(401);
    expect(noCode.body.code).toBe('SECOND_FACTOR_REQUIRED');
    expect(noCode.headers.get('set-cookie')).toBeNull();
    const code = await generate({ secret });
    const wrongCode = String((Number(code) + 1) % 1_000_000).padStart(6, '0');
    expect((await signIn(t, 'ops@cloudloom.example', 'operator-password', { totpCode: wrongCode })).status).toBe(401);
    expect((await signIn(t, 'ops@cloudloom.example', 'wrong-password', { totpCode: code })).status).toBe(401);
    const op = await session(t, 'ops@cloudloom.example', 'operator-password', { totpCode: code });
    expect((await as(t, op, 'GET', '/stats')).status).toBe(200);
    // A code is good once: the same code again, within its window, opens nothing.
    const replayed = await signIn(t, 'ops@cloudloom.example', 'operator-password', { totpCode: code });
    expect(replayed.status).toBe(401);
    expect(replayed.headers.get('set-cookie')).toBeNull();
    const [row] = await t.sql<{ verified: boolean }>('SELECT totp_verified_at IS NOT NULL AS verified FROM people WHERE email = $1', ['ops@cloudloom.example']);
    expect(row!.verified).toBe(true);
    // Operator people are people of the platform: a brand's route is not theirs.
    expect((await as(t, op, 'POST', '/orders', fabricOrder)).status).toBe(404);
  });
});
