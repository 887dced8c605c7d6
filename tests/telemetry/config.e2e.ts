import { ConfigError, loadConfig } from '@cloudloom/platform';

describe('telemetry configuration', () => {
  it('defaults to 15 minutes down over 2 days and refuses values out of range, naming the variable', () => {
    expect(loadConfig({})).toMatchObject({ loomDownAfterSeconds: 900, loomDownDays: 2 });
    expect(loadConfig({ LOOM_DOWN_AFTER_SECONDS: '0', LOOM_DOWN_DAYS: '7' })).toMatchObject({ loomDownAfterSeconds: 0, loomDownDays: 7 });
    expect(() => loadConfig({ LOOM_DOWN_DAYS: '0' })).toThrow(ConfigError);
    expect(() => loadConfig({ LOOM_DOWN_DAYS: '0' })).toThrow(/LOOM_DOWN_DAYS/);
    expect(() => loadConfig({ LOOM_DOWN_AFTER_SECONDS: 'soon' })).toThrow(/LOOM_DOWN_AFTER_SECONDS/);
    expect(() => loadConfig({ LOOM_DOWN_AFTER_SECONDS: '-1' })).toThrow(/LOOM_DOWN_AFTER_SECONDS/);
  });
});
