import type { ExecutionContext } from '@nestjs/common';
import { Reflector } from '@nestjs/core';
import { DomainError } from '@cloudloom/platform';
import { AuthGuard } from './auth.guard';
import type { IdentityService } from './identity.service';
import type { SessionsService } from '../people/sessions.service';
import { csrfTokenOf } from '../people/secrets';
import { type Principal, People, PeopleOnly, Public, QueryToken, Roles } from './principal';

class Routes {
  @Public() open(): void {}
  @Roles('brand') brandOnly(): void {}
  @Roles('brand') @People('owner', 'merchandiser') brandChange(): void {}
  @Roles('brand', 'factory') @People('owner', 'merchandiser', 'dispatcher', 'viewer') @PeopleOnly() ownSettings(): void {}
  undeclared(): void {}
  @Roles('brand', 'factory', 'operator') @QueryToken() stream(): void {}
}

const KEYS: Record<string, Principal> = {
  clk_brand_key_0001: { organizationId: 'b1', kind: 'brand', keyId: 'k1' },
  clk_factory_key_001: { organizationId: 'f1', kind: 'factory', keyId: 'k2' },
};

const VIEWER_TOKEN = 'viewer_session_token_0000000000001';
const MERCH_TOKEN = 'merch_session_token_00000000000001';
const SESSIONS: Record<string, Principal> = {
  [VIEWER_TOKEN]: { organizationId: 'b1', kind: 'brand', person: { id: '11111111-1111-4111-8111-111111111111', role: 'viewer', sessionId: 's1' } },
  [MERCH_TOKEN]: { organizationId: 'b1', kind: 'brand', person: { id: '22222222-2222-4222-8222-222222222222', role: 'merchandiser', sessionId: 's2' } },
};

describe('AuthGuard', () => {
  const looked: string[] = [];
  const identity = { resolve: (key: string) => (looked.push(key), Promise.resolve(KEYS[key])) } as unknown as IdentityService;
  const sessions = { resolve: (token: string) => Promise.resolve(SESSIONS[token]) } as unknown as SessionsService;
  const guard = new AuthGuard(new Reflector(), identity, sessions);
  beforeEach(() => {
    looked.length = 0;
  });

  async function call(route: keyof Routes, headers: Record<string, string> = {}, query: Record<string, string> = {}, method = 'GET'): Promise<{ outcome: string; principal?: Principal }> {
    const request: { method: string; headers: Record<string, string>; query: Record<string, string>; principal?: Principal } = { method, headers, query };
    const ctx = { getHandler: () => Routes.prototype[route], getClass: () => Routes, switchToHttp: () => ({ getRequest: () => request }) } as unknown as ExecutionContext;
    try {
      await guard.canActivate(ctx);
      return { outcome: 'allowed', principal: request.principal };
    } catch (error) {
      if (error instanceof DomainError) return { outcome: error.code };
      throw error;
    }
  }
  const bearer = (key: string): Record<string, string> => ({ authorization: `Bearer ${key}` });

  it('lets anyone through a public route without looking at keys', async () => {
    expect(await call('open')).toEqual({ outcome: 'allowed' });
    expect(looked).toEqual([]);
  });

  it('admits the declared kinds and hides the route from the others', async () => {
    expect(await call('brandOnly', bearer('clk_brand_key_0001'))).toEqual({ outcome: 'allowed', principal: KEYS.clk_brand_key_0001 });
    expect((await call('brandOnly', bearer('clk_factory_key_001'))).outcome).toBe('NOT_FOUND');
  });

  it('refuses a route that declares neither @Public nor @Roles to every caller', async () => {
    expect((await call('undeclared', bearer('clk_brand_key_0001'))).outcome).toBe('NOT_FOUND');
    expect((await call('undeclared', bearer('clk_factory_key_001'))).outcome).toBe('NOT_FOUND');
    expect((await call('undeclared')).outcome).toBe('UNAUTHORIZED');
  });

  it('answers 401 for a missing, malformed or unknown key, and does not look up malformed ones', async () => {
    for (const headers of [{} as Record<string, string>, { authorization: 'Basic abc' }, { authorization: 'Bearer short' }, { authorization: `Bearer ${'x'.repeat(201)}` }, { authorization: 'Bearer has space here' }]) {
      expect((await call('brandOnly', headers)).outcome).toBe('UNAUTHORIZED');
    }
    expect(looked).toEqual([]);
    expect((await call('brandOnly', bearer('clk_unknown_key_01'))).outcome).toBe('UNAUTHORIZED');
    expect(looked).toEqual(['clk_unknown_key_01']);
  });

  it('takes ?access_token= only on routes marked @QueryToken, and never over a header', async () => {
    expect(await call('stream', {}, { access_token: 'clk_brand_key_0001' })).toMatchObject({ outcome: 'allowed', principal: { organizationId: 'b1' } });
    expect((await call('brandOnly', {}, { access_token: 'clk_brand_key_0001' })).outcome).toBe('UNAUTHORIZED');
    expect(await call('stream', bearer('clk_factory_key_001'), { access_token: 'clk_brand_key_0001' })).toMatchObject({ principal: { organizationId: 'f1' } });
  });

  const session = (token: string, csrf?: string): Record<string, string> => ({ cookie: `other=1; cl_session=${token}`, ...(csrf ? { 'x-csrf-token': csrf } : {}) });

  it('refuses people on routes that do not list their role (403), and routes without @People to every person', async () => {
    expect((await call('brandOnly', session(MERCH_TOKEN))).outcome).toBe('FORBIDDEN');
    expect((await call('brandChange', session(VIEWER_TOKEN, csrfTokenOf(VIEWER_TOKEN)), {}, 'POST')).outcome).toBe('FORBIDDEN');
    expect(await call('brandChange', session(MERCH_TOKEN, csrfTokenOf(MERCH_TOKEN)), {}, 'POST')).toMatchObject({ outcome: 'allowed', principal: { person: { role: 'merchandiser' } } });
    // A key still acts for its organization as before.
    expect((await call('brandChange', bearer('clk_brand_key_0001'), {}, 'POST')).outcome).toBe('allowed');
  });

  it('needs the session\'s CSRF token on a changing request made with a cookie, not on a read, not with a key', async () => {
    expect((await call('brandChange', session(MERCH_TOKEN), {}, 'POST')).outcome).toBe('FORBIDDEN');
    expect((await call('brandChange', session(MERCH_TOKEN, csrfTokenOf(VIEWER_TOKEN)), {}, 'DELETE')).outcome).toBe('FORBIDDEN');
    expect((await call('brandChange', session(MERCH_TOKEN))).outcome).toBe('allowed');
    expect((await call('brandChange', session('unknown_session_token_000000000001', 'x'), {}, 'POST')).outcome).toBe('UNAUTHORIZED');
  });

  it('keeps a person-only route from keys, as if it did not exist', async () => {
    expect((await call('ownSettings', bearer('clk_brand_key_0001'))).outcome).toBe('NOT_FOUND');
    expect((await call('ownSettings', session(VIEWER_TOKEN))).outcome).toBe('allowed');
  });
});
