import type { ExecutionContext } from '@nestjs/common';
import { Reflector } from '@nestjs/core';
import { DomainError } from '@cloudloom/platform';
import { AuthGuard } from './auth.guard';
import type { IdentityService } from './identity.service';
import { type Principal, Public, QueryToken, Roles } from './principal';

class Routes {
  @Public() open(): void {}
  @Roles('brand') brandOnly(): void {}
  undeclared(): void {}
  @Roles('brand', 'factory', 'operator') @QueryToken() stream(): void {}
}

const KEYS: Record<string, Principal> = {
  clk_brand_key_0001: { organizationId: 'b1', kind: 'brand', keyId: 'k1' },
  clk_factory_key_001: { organizationId: 'f1', kind: 'factory', keyId: 'k2' },
};

describe('AuthGuard', () => {
  const looked: string[] = [];
  const identity = { resolve: (key: string) => (looked.push(key), Promise.resolve(KEYS[key])) } as unknown as IdentityService;
  const guard = new AuthGuard(new Reflector(), identity);
  beforeEach(() => {
    looked.length = 0;
  });

  async function call(route: keyof Routes, headers: Record<string, string> = {}, query: Record<string, string> = {}): Promise<{ outcome: string; principal?: Principal }> {
    const request: { headers: Record<string, string>; query: Record<string, string>; principal?: Principal } = { headers, query };
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
});
