import { RateLimiter } from './rate-limiter';

describe('RateLimiter', () => {
  let now = 0;
  const clock = (): number => now;
  beforeEach(() => {
    now = 1_000_000;
  });

  it('allows up to the limit per window, then refuses with the seconds left', () => {
    const limiter = new RateLimiter(60_000, clock);
    const decisions = Array.from({ length: 4 }, () => limiter.take('key:a', 3));
    expect(decisions.map((d) => d.allowed)).toEqual([true, true, true, false]);
    expect(decisions.map((d) => d.remaining)).toEqual([2, 1, 0, 0]);
    now += 20_500;
    expect(limiter.take('key:a', 3)).toMatchObject({ allowed: false, resetSeconds: 40 });
  });

  it('starts a fresh window once the old one is over', () => {
    const limiter = new RateLimiter(60_000, clock);
    for (let i = 0; i < 5; i++) limiter.take('key:a', 3);
    now += 60_000;
    expect(limiter.take('key:a', 3)).toMatchObject({ allowed: true, remaining: 2, resetSeconds: 60 });
  });

  it('keeps buckets apart', () => {
    const limiter = new RateLimiter(60_000, clock);
    limiter.take('key:a', 1);
    expect(limiter.take('key:a', 1).allowed).toBe(false);
    expect(limiter.take('key:b', 1).allowed).toBe(true);
  });

  it('peeks without counting', () => {
    const limiter = new RateLimiter(60_000, clock);
    expect(limiter.peek('fail:ip', 1).allowed).toBe(true);
    expect(limiter.peek('fail:ip', 1).allowed).toBe(true);
    limiter.take('fail:ip', 1);
    expect(limiter.peek('fail:ip', 1).allowed).toBe(false);
    now += 60_000;
    expect(limiter.peek('fail:ip', 1).allowed).toBe(true);
  });

  it('bounds its memory: expired buckets go first, then the oldest', () => {
    const limiter = new RateLimiter(60_000, clock, 100);
    for (let i = 0; i < 100; i++) limiter.take(`key:${i}`, 10);
    now += 30_000;
    for (let i = 0; i < 50; i++) limiter.take(`late:${i}`, 10);
    expect(limiter.size).toBeLessThanOrEqual(100);
    now += 30_000; // the first 100 have expired
    limiter.take('newest', 10);
    expect(limiter.size).toBeLessThanOrEqual(100);
    // A surviving bucket kept its count.
    expect(limiter.peek('late:49', 10).remaining).toBe(8);
  });
});
