import { ConfigError, loadConfig } from '@cloudloom/platform';

describe('telemetry configuration', () => {
  it('defaults to 15 minutes down over 2 days and 14 days of readings and refuses values out of range, naming the variable', () => {
    expect(loadConfig({})).toMatchObject({ loomDownAfterSeconds: 900, loomDownDays: 2, telemetryRetentionDays: 14 });
    expect(loadConfig({ LOOM_DOWN_AFTER_SECONDS: '0', LOOM_DOWN_DAYS: '7' })).toMatchObject({ loomDownAfterSeconds: 0, loomDownDays: 7 });
    expect(() => loadConfig({ LOOM_DOWN_DAYS: '0' })).toThrow(ConfigError);
    expect(() => loadConfig({ LOOM_DOWN_DAYS: '0' })).toThrow(/LOOM_DOWN_DAYS/);
    expect(() => loadConfig({ LOOM_DOWN_AFTER_SECONDS: 'soon' })).toThrow(/LOOM_DOWN_AFTER_SECONDS/);
    expect(() => loadConfig({ LOOM_DOWN_AFTER_SECONDS: '-1' })).toThrow(/LOOM_DOWN_AFTER_SECONDS/);
    expect(() => loadConfig({ TELEMETRY_RETENTION_DAYS: '0' })).toThrow(/TELEMETRY_RETENTION_DAYS/);
  });
});
