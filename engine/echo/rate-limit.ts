// Per-source token buckets: each source (an IP address) may start `ratePerSecond` handshakes a
// second on average, with bursts of up to `burst`. Buckets of sources that are full again are
// forgotten, and at most `maxSources` buckets are kept (the oldest is evicted), so a flood from many
// spoofed addresses costs bounded memory.

export interface RateLimiterClock {
  now(): number;
}

export interface TokenBucketOptions {
  ratePerSecond: number;
  burst: number;
  clock: RateLimiterClock;
  /** Most buckets kept at once (default 65536). */
  maxSources?: number;
}

interface Bucket {
  tokens: number;
  updatedAt: number;
}

export class TokenBucketLimiter {
  private readonly buckets = new Map<string, Bucket>();
  private readonly maxSources: number;

  constructor(private readonly options: TokenBucketOptions) {
    if (!(options.ratePerSecond > 0)) throw new RangeError('ratePerSecond must be positive');
    if (!(options.burst >= 1)) throw new RangeError('burst must be at least 1');
    this.maxSources = options.maxSources ?? 65536;
  }

  /** Takes one token for `source`; false when its bucket is empty (the caller drops the datagram). */
  take(source: string): boolean {
    const now = this.options.clock.now();
    let bucket = this.buckets.get(source);
    if (bucket) {
      this.refill(bucket, now);
      // Re-insert so that Map order is least-recently-used first.
      this.buckets.delete(source);
    } else {
      bucket = { tokens: this.options.burst, updatedAt: now };
      if (this.buckets.size >= this.maxSources) this.evictOne(now);
    }
    this.buckets.set(source, bucket);
    if (bucket.tokens < 1) return false;
    bucket.tokens -= 1;
    return true;
  }

  /** Tokens left for `source` right now (burst for an unknown source). */
  available(source: string): number {
    const bucket = this.buckets.get(source);
    if (!bucket) return this.options.burst;
    this.refill(bucket, this.options.clock.now());
    return bucket.tokens;
  }

  get trackedSources(): number {
    return this.buckets.size;
  }

  /** Forgets the buckets that have refilled completely (they carry no information). */
  prune(): void {
    const now = this.options.clock.now();
    for (const [source, bucket] of this.buckets) {
      this.refill(bucket, now);
      if (bucket.tokens >= this.options.burst) this.buckets.delete(source);
    }
  }

  private refill(bucket: Bucket, now: number): void {
    const elapsed = Math.max(0, now - bucket.updatedAt);
    bucket.tokens = Math.min(this.options.burst, bucket.tokens + (elapsed * this.options.ratePerSecond) / 1000);
    bucket.updatedAt = now;
  }

  private evictOne(now: number): void {
    // Prefer a full bucket; otherwise the least recently used one.
    for (const [source, bucket] of this.buckets) {
      this.refill(bucket, now);
      if (bucket.tokens >= this.options.burst) {
        this.buckets.delete(source);
        return;
      }
      break;
    }
    const oldest = this.buckets.keys().next();
    if (!oldest.done) this.buckets.delete(oldest.value);
  }
}
