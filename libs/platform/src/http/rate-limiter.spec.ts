import { FailoverRateCounter, RateLimiter } from './rate-limiter';

describe('RateLimiter (memory)', () => {
  let now = 0;
  const clock = (): number => now;
  beforeEach(() => {
    now = 1_000_000;
  });

  it('allows up to the limit per window, then refuses with the seconds left', async () => {
    const limiter = new RateLimiter(60_000, clock);
    const decisions = [];
    for (let i = 0; i < 4; i++) decisions.push(await limiter.take('key:a', 3));
    expect(decisions.map((d) => d.allowed)).toEqual([true, true, true, false]);
    expect(decisions.map((d) => d.remaining)).toEqual([2, 1, 0, 0]);
    now += 20_500;
    expect(await limiter.take('key:a', 3)).toMatchObject({ allowed: false, resetSeconds: 40 });
  });

  it('starts a fresh window once the old one is over', async () => {
    const limiter = new RateLimiter(60_000, clock);
    for (let i = 0; i < 5; i++) await limiter.take('key:a', 3);
    now += 60_000;
    expect(await limiter.take('key:a', 3)).toMatchObject({ allowed: true, remaining: 2, resetSeconds: 60 });
  });

  it('keeps buckets apart', async () => {
    const limiter = new RateLimiter(60_000, clock);
    await limiter.take('key:a', 1);
    expect((await limiter.take('key:a', 1)).allowed).toBe(false);
    expect((await limiter.take('key:b', 1)).allowed).toBe(true);
  });

  it('peeks without counting', async () => {
    const limiter = new RateLimiter(60_000, clock);
    expect((await limiter.peek('fail:ip', 1)).allowed).toBe(true);
    expect((await limiter.peek('fail:ip', 1)).allowed).toBe(true);
    await limiter.take('fail:ip', 1);
    expect((await limiter.peek('fail:ip', 1)).allowed).toBe(false);
    now += 60_000;
    expect((await limiter.peek('fail:ip', 1)).allowed).toBe(true);
  });

  it('bounds its memory: expired buckets go first, then the oldest', async () => {
    const limiter = new RateLimiter(60_000, clock, 100);
    for (let i = 0; i < 100; i++) await limiter.take(`key:${i}`, 10);
    now += 30_000;
    for (let i = 0; i < 50; i++) await limiter.take(`late:${i}`, 10);
    expect(limiter.size).toBeLessThanOrEqual(100);
    now += 30_000; // the first 100 have expired
    await limiter.take('newest', 10);
    expect(limiter.size).toBeLessThanOrEqual(100);
    // A surviving bucket kept its count.
    expect((await limiter.peek('late:49', 10)).remaining).toBe(8);
  });
});

describe('FailoverRateCounter', () => {
  it('counts in the fallback while the primary fails, leaves the primary alone for a pause, then returns to it', async () => {
    let now = 0;
    const failures: unknown[] = [];
    let up = false;
    let calls = 0;
    const primary = new RateLimiter(60_000, () => now);
    const flaky = {
      take: (b: string, l: number) => (calls++, up ? primary.take(b, l) : Promise.reject(new Error('redis away'))),
      peek: (b: string, l: number) => (calls++, up ? primary.peek(b, l) : Promise.reject(new Error('redis away'))),
      refund: (b: string) => (calls++, up ? primary.refund(b) : Promise.reject(new Error('redis away'))),
      close: () => Promise.resolve(),
    };
    const counter = new FailoverRateCounter(flaky, new RateLimiter(60_000, () => now), (e) => failures.push(e), 5_000, () => now);
    expect((await counter.take('key:a', 1)).allowed).toBe(true);
    expect((await counter.take('key:a', 1)).allowed).toBe(false);
    expect((await counter.peek('key:a', 1)).allowed).toBe(false);
    // One failed call, then the primary is not tried again during the pause.
    expect([calls, failures.length]).toEqual([1, 1]);
    up = true;
    now += 5_000;
    expect((await counter.take('key:a', 1)).allowed).toBe(true);
    expect([calls, failures.length]).toEqual([2, 1]);
  });
});
