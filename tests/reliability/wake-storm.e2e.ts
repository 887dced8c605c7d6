import { httpStormApi, toggleStorm } from '../../bench/support/storm';
import { OPERATOR_KEY, startTestApp, type TestApp } from '../support/harness';

/**
 * A factory toggling one day's availability many times a second used to re-queue every unmatched
 * order its line could make on each toggle. Wake-ups are now coalesced per line (one per 2 s
 * window), bounded, and queued behind fresh orders. The figures at the report's size come from
 * `npm run bench:storm`; this test runs a small storm and holds generous bounds.
 */
describe('a capacity toggle storm', () => {
  let t: TestApp;
  beforeAll(async () => {
    t = await startTestApp({ RATE_LIMIT_PER_KEY: '1000000' });
  });
  afterAll(async () => {
    await t.close();
  });

  it('wakes the waiting orders once per window, not once per toggle, and another brand still matches at once', async () => {
    const figures = await toggleStorm(httpStormApi(t.baseUrl, (text, params) => t.sql(text, params)), { backlog: 20, toggles: 40, togglesPerSecond: 10, freshOrders: 3, operatorKey: OPERATOR_KEY });
    console.log(`toggle storm (test size): ${JSON.stringify(figures)}`);
    expect(figures.answers).toEqual({ 200: 40 });
    // 40 toggles in about 4 s touch at most floor(4 / 2) + 1 windows of 2 s, and each window wakes
    // each order at most once (plus one for a toggle the slow answer pushed past the storm's
    // clock). A wake per growing toggle was up to 20 each.
    const windows = Math.floor(figures.stormSeconds / 2) + 2;
    expect(figures.maxRematchesPerOrder).toBeLessThanOrEqual(windows);
    expect(figures.rematches).toBeLessThanOrEqual(windows * figures.backlog);
    // Another brand's fresh order is matched in well under a second on a quiet machine; the
    // bound leaves room for a loaded one.
    expect(figures.freshMs).toHaveLength(3);
    expect(Math.max(...figures.freshMs)).toBeLessThan(5_000);
  }, 240_000);
});
