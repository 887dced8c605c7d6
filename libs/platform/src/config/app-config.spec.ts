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

  it('keeps the fairness policy off unless asked, and bounds its margin', () => {
    expect(loadConfig({}).fairness).toEqual({ enabled: false, margin: 0.02, targetShare: 0.3, windowDays: 30 });
    expect(loadConfig({ FAIRNESS_POLICY: 'true', FAIRNESS_MARGIN_PCT: '5', FAIRNESS_TARGET_PERCENT: '40', FAIRNESS_WINDOW_DAYS: '7' }).fairness)
      .toEqual({ enabled: true, margin: 0.05, targetShare: 0.4, windowDays: 7 });
    expect(() => loadConfig({ FAIRNESS_MARGIN_PCT: '50' })).toThrow(/FAIRNESS_MARGIN_PCT/);
  });
});
