import { ConfigError, DEV_OPERATOR_KEY, loadConfig } from './app-config';

describe('loadConfig', () => {
  it('fills development defaults when nothing is set', () => {
    const config = loadConfig({});
    expect(config.port).toBe(3000);
    expect(config.databaseUrl).toBeUndefined();
    expect(config.operatorApiKey).toBe(DEV_OPERATOR_KEY);
    expect(config.operatorKeyIsDevDefault).toBe(true);
    expect(config.offerTtlSeconds).toBe(1800);
    expect(config.horizonDays).toBe(60);
  });

  it('names every bad variable', () => {
    expect(() => loadConfig({ PORT: 'eighty', DATABASE_URL: 'mysql://x' })).toThrow(/PORT[\s\S]*DATABASE_URL|DATABASE_URL[\s\S]*PORT/);
  });

  it('requires an operator key in production', () => {
    expect(() => loadConfig({ NODE_ENV: 'production' })).toThrow(ConfigError);
    expect(loadConfig({ NODE_ENV: 'production', OPERATOR_API_KEY: 'x'.repeat(32) }).operatorKeyIsDevDefault).toBe(false);
  });

  it('parses booleans and numbers', () => {
    const config = loadConfig({ RUN_WORKER: 'false', OFFER_TTL_SECONDS: '5' });
    expect(config.runWorker).toBe(false);
    expect(config.offerTtlSeconds).toBe(5);
  });
});
