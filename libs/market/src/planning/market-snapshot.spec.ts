import type { PlanRequest, WeavingLineSpec } from '@cloudloom/matching';
import { serviceFixture, type ServiceFixture } from '../testing/service-fixture';
import { MarketSnapshot } from './market-snapshot';

const RAPIERS: WeavingLineSpec = { kind: 'weaving', machineType: 'rapier', machines: 10, rpm: 500, efficiency: 0.85, hoursPerDay: 20, maxWidthCm: 220 };
const COTTON: PlanRequest = { order: { kind: 'fabric', fabric: { fiber: 'cotton', weave: 'plain', widthCm: 150, picksPerCm: 30 } }, quantity: 10, startDay: 0, endDay: 4, maxSplits: 1 };

/**
 * How often the snapshot reads what others changed, on a real PostgreSQL with the clock held
 * still (only `Date` is faked, so the database's I/O runs as usual): once per period however often
 * a batch asks, and at once before a verdict the brand sees.
 */
describe.each([
  { partitions: '0', period: 100 },
  { partitions: '4', period: 250 },
])('MarketSnapshot with MATCH_PARTITIONS=$partitions', ({ partitions, period }) => {
  let f: ServiceFixture;
  let snapshot: MarketSnapshot;

  beforeAll(async () => {
    f = await serviceFixture({ MATCH_PARTITIONS: partitions });
    snapshot = f.module.get(MarketSnapshot);
  });
  afterAll(async () => {
    vi.useRealTimers();
    await f.close();
  });

  it(`reads others' changes once per ${period} ms, and at once before a verdict`, async () => {
    const line = await f.line(await f.organization('factory'), 100, 5);
    await f.sql(`UPDATE lines SET spec = $2 WHERE id = $1`, [line, RAPIERS]);
    const reserve = (units: number): Promise<unknown> => f.sql(`UPDATE capacity_days SET reserved = $2 WHERE line_id = $1 AND day = $3`, [line, units, f.today]);
    vi.useFakeTimers({ toFake: ['Date'] });
    const start = Date.now();
    const freeToday = async (fresh = false): Promise<number> => (await snapshot.indexFor(fresh ? [COTTON] : [], fresh)).freeOn(line, 0);

    expect(await freeToday()).toBe(100);
    // Another writer takes 60 units: a batch inside the period plans on the numbers it has.
    await reserve(60);
    vi.setSystemTime(start + period - 1);
    expect(await freeToday()).toBe(100);
    // Once the period is over, the next batch reads the change.
    vi.setSystemTime(start + period);
    expect(await freeToday()).toBe(40);
    // Taken to the last unit right after that read: a batch still plans on 40 ...
    await reserve(100);
    expect(await freeToday()).toBe(40);
    // ... but the numbers an unmatched verdict is given on are read just then, inside the period.
    expect(await freeToday(true)).toBe(0);
  });
});
