/** A token bucket: `tokens` left at time `at` (ms). */
export interface TokenBucket {
  tokens: number;
  at: number;
}

export interface BucketRate {
  /** The burst: a full bucket holds this many. */
  capacity: number;
  /** Tokens added back per second, up to the capacity. */
  perSecond: number;
}

export interface Taken {
  bucket: TokenBucket;
  ok: boolean;
  /** When refused: ms until one token is back. */
  retryAfterMs: number;
}

/**
 * Takes one token from `bucket` (a full one when there is none yet) at `now`: allowed while
 * tokens remain, refilled at `perSecond`. Pure: the caller keeps the returned bucket.
 */
export function takeToken(bucket: TokenBucket | undefined, now: number, rate: BucketRate): Taken {
  const elapsed = bucket ? Math.max(0, now - bucket.at) : 0;
  const tokens = bucket ? Math.min(rate.capacity, bucket.tokens + (elapsed * rate.perSecond) / 1000) : rate.capacity;
  if (tokens >= 1) return { bucket: { tokens: tokens - 1, at: now }, ok: true, retryAfterMs: 0 };
  return { bucket: { tokens, at: now }, ok: false, retryAfterMs: Math.ceil(((1 - tokens) * 1000) / rate.perSecond) };
}
