import type IORedis from 'ioredis';

/** The outcome of counting one request against a bucket. */
export interface RateDecision {
  readonly allowed: boolean;
  readonly limit: number;
  readonly remaining: number;
  /** Seconds until the bucket's window ends and it is full again. */
  readonly resetSeconds: number;
}

/** Fixed-window counters: in this process's memory, or shared by every API process in Redis. */
export interface RateCounter {
  /** Counts a request and says whether it is within `limit`. A refused request still counts. */
  take(bucket: string, limit: number): Promise<RateDecision>;
  /** Whether the bucket is already over `limit`, without counting anything. */
  peek(bucket: string, limit: number): Promise<RateDecision>;
  /** Takes back one request counted by `take` (it turned out not to count: say, a key that was valid). */
  refund(bucket: string): Promise<void>;
  close(): Promise<void>;
}

function decide(count: number, limit: number, msLeft: number): RateDecision {
  return { allowed: count <= limit, limit, remaining: Math.max(0, limit - count), resetSeconds: Math.max(1, Math.ceil(msLeft / 1000)) };
}

interface Window {
  start: number;
  count: number;
}

/**
 * Fixed-window request counters, in memory. A burst can reach twice the limit across a window
 * boundary; that is the accepted price of O(1) work and memory per bucket. Buckets are bounded:
 * past `maxBuckets` the expired ones go first, then the oldest, so a flood of made-up keys
 * cannot grow memory without limit.
 */
export class RateLimiter implements RateCounter {
  private readonly windows = new Map<string, Window>();

  constructor(
    private readonly windowMs: number,
    private readonly now: () => number = Date.now,
    private readonly maxBuckets = 100_000,
  ) {}

  take(bucket: string, limit: number): Promise<RateDecision> {
    const window = this.current(bucket);
    window.count += 1;
    return Promise.resolve(decide(window.count, limit, window.start + this.windowMs - this.now()));
  }

  peek(bucket: string, limit: number): Promise<RateDecision> {
    const now = this.now();
    const window = this.windows.get(bucket);
    if (!window || now - window.start >= this.windowMs) return Promise.resolve(decide(0, limit, this.windowMs));
    return Promise.resolve(decide(window.count + 1, limit, window.start + this.windowMs - now));
  }

  refund(bucket: string): Promise<void> {
    const window = this.windows.get(bucket);
    if (window && this.now() - window.start < this.windowMs && window.count > 0) window.count -= 1;
    return Promise.resolve();
  }

  close(): Promise<void> {
    this.windows.clear();
    return Promise.resolve();
  }

  get size(): number {
    return this.windows.size;
  }

  private current(bucket: string): Window {
    const now = this.now();
    const existing = this.windows.get(bucket);
    if (existing && now - existing.start < this.windowMs) return existing;
    if (existing) this.windows.delete(bucket);
    if (this.windows.size >= this.maxBuckets) this.evict(now);
    const fresh = { start: now, count: 0 };
    this.windows.set(bucket, fresh);
    return fresh;
  }

  private evict(now: number): void {
    for (const [bucket, window] of this.windows) {
      if (now - window.start >= this.windowMs) this.windows.delete(bucket);
    }
    // Map iterates in insertion order: what is left past the bound is dropped oldest first.
    for (const bucket of this.windows.keys()) {
      if (this.windows.size < this.maxBuckets) break;
      this.windows.delete(bucket);
    }
  }
}

/**
 * The same fixed windows in Redis, so every API process counts against one limit. A key per
 * bucket (`<prefix>:rl:<bucket>`) expires with its window; losing Redis loses only counts.
 */
export class RedisRateLimiter implements RateCounter {
  constructor(
    private readonly redis: IORedis,
    private readonly prefix: string,
    private readonly windowMs: number,
  ) {}

  async take(bucket: string, limit: number): Promise<RateDecision> {
    const key = this.key(bucket);
    const results = await this.redis.multi().incr(key).pexpire(key, this.windowMs, 'NX').pttl(key).exec();
    const count = Number(results?.[0]?.[1] ?? 0);
    const ttl = Number(results?.[2]?.[1] ?? this.windowMs);
    return decide(count, limit, ttl > 0 ? ttl : this.windowMs);
  }

  async peek(bucket: string, limit: number): Promise<RateDecision> {
    const key = this.key(bucket);
    const results = await this.redis.multi().get(key).pttl(key).exec();
    const count = Number(results?.[0]?.[1] ?? 0);
    const ttl = Number(results?.[1]?.[1] ?? this.windowMs);
    return decide(count + 1, limit, ttl > 0 ? ttl : this.windowMs);
  }

  async refund(bucket: string): Promise<void> {
    // Only while the window's key lives: a refund must not start a window of its own.
    await this.redis.eval(`if redis.call('EXISTS', KEYS[1]) == 1 then return redis.call('DECR', KEYS[1]) end return 0`, 1, this.key(bucket));
  }

  async close(): Promise<void> {
    await this.redis.quit().catch(() => this.redis.disconnect());
  }

  private key(bucket: string): string {
    return `${this.prefix}:rl:${bucket}`;
  }
}

/**
 * Counts in `primary`; when it fails (Redis away), in `fallback`, so limits hold per process
 * meanwhile. After a failure the primary is left alone for `pauseMs`, so an outage does not
 * cost every request a timeout.
 */
export class FailoverRateCounter implements RateCounter {
  private pausedUntil = 0;

  constructor(
    private readonly primary: RateCounter,
    private readonly fallback: RateCounter,
    private readonly onFailure: (error: unknown) => void = () => undefined,
    private readonly pauseMs = 5_000,
    private readonly now: () => number = Date.now,
  ) {}

  take(bucket: string, limit: number): Promise<RateDecision> {
    return this.either((c) => c.take(bucket, limit));
  }

  peek(bucket: string, limit: number): Promise<RateDecision> {
    return this.either((c) => c.peek(bucket, limit));
  }

  refund(bucket: string): Promise<void> {
    return this.either((c) => c.refund(bucket));
  }

  async close(): Promise<void> {
    await Promise.all([this.primary.close(), this.fallback.close()]);
  }

  private either<T>(count: (counter: RateCounter) => Promise<T>): Promise<T> {
    if (this.now() < this.pausedUntil) return count(this.fallback);
    return count(this.primary).catch((error: unknown) => {
      this.pausedUntil = this.now() + this.pauseMs;
      this.onFailure(error);
      return count(this.fallback);
    });
  }
}
