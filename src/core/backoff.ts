export interface Backoff {
  initialMs: number;
  maxMs: number;
}

export const RECONNECT_BACKOFF: Backoff = {initialMs: 1000, maxMs: 60_000};

/** Exponential delay for the n-th retry (0-based), ±25 % jitter so many clients do not retry in step. */
export function backoffDelay(attempt: number, {initialMs, maxMs}: Backoff = RECONNECT_BACKOFF): number {
  const base = Math.min(maxMs, initialMs * 2 ** attempt);
  return Math.round(Math.min(maxMs, base * (0.75 + Math.random() * 0.5)));
}
