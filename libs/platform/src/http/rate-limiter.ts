/** The outcome of counting one request against a bucket. */
export interface RateDecision {
  readonly allowed: boolean;
  readonly limit: number;
  readonly remaining: number;
  /** Seconds until the bucket's window ends and it is full again. */
  readonly resetSeconds: number;
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
export class RateLimiter {
  private readonly windows = new Map<string, Window>();

  constructor(
    private readonly windowMs: number,
    private readonly now: () => number = Date.now,
    private readonly maxBuckets = 100_000,
  ) {}

  /** Counts a request and says whether it is within `limit`. A refused request still counts. */
  take(bucket: string, limit: number): RateDecision {
    const window = this.current(bucket);
    window.count += 1;
    return this.decide(window, limit);
  }

  /** Whether the bucket is already over `limit`, without counting anything. */
  peek(bucket: string, limit: number): RateDecision {
    const now = this.now();
    const window = this.windows.get(bucket);
    if (!window || now - window.start >= this.windowMs) return { allowed: true, limit, remaining: limit, resetSeconds: Math.ceil(this.windowMs / 1000) };
    return this.decide({ start: window.start, count: window.count + 1 }, limit);
  }

  get size(): number {
    return this.windows.size;
  }

  private decide(window: Window, limit: number): RateDecision {
    const resetSeconds = Math.max(1, Math.ceil((window.start + this.windowMs - this.now()) / 1000));
    return { allowed: window.count <= limit, limit, remaining: Math.max(0, limit - window.count), resetSeconds };
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
