import type { NextFunction, Request, RequestHandler, Response } from 'express';
import { takeToken } from './take-token.ts';
import type { BucketRate, TokenBucket } from './take-token.ts';

/** Past this many clients remembered, those whose bucket has refilled are forgotten. */
const MAX_REMEMBERED = 10_000;

/**
 * Express middleware allowing each client `rate` requests: a client is its remote address plus
 * the credential it was admitted with (its role), so one noisy tab or script cannot starve the
 * others. Past the rate: 429 with `Retry-After` and a body that says why.
 */
export function createRateLimit(rate: BucketRate, what: string, now: () => number = Date.now): RequestHandler {
  const buckets = new Map<string, TokenBucket>();
  const refillMs = (rate.capacity * 1000) / rate.perSecond;
  return (req: Request, res: Response, next: NextFunction) => {
    const key = `${req.socket.remoteAddress ?? ''} ${req.role ?? ''}`;
    const at = now();
    if (buckets.size >= MAX_REMEMBERED) for (const [k, b] of buckets) if (at - b.at >= refillMs) buckets.delete(k);
    const taken = takeToken(buckets.get(key), at, rate);
    buckets.set(key, taken.bucket);
    if (taken.ok) return next();
    const seconds = Math.max(1, Math.ceil(taken.retryAfterMs / 1000));
    res
      .status(429)
      .set('Retry-After', String(seconds))
      .json({ error: `too many ${what} from this client: at most ${rate.perSecond} a second; try again in ${seconds} s`, retryAfterSeconds: seconds });
  };
}
