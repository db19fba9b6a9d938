// Exponential backoff with full jitter (AWS architecture blog): wait = random(0, min(cap, base·2^n)).
// Jitter spreads the retries of many agents so a recovering cluster is not hit in lockstep.

import { setTimeout as sleep } from 'node:timers/promises';

export function backoffDelay(attempt: number, baseMs: number, capMs: number, random: () => number = Math.random): number {
  const ceiling = Math.min(capMs, baseMs * 2 ** Math.min(attempt, 30));
  return Math.max(baseMs / 2, Math.floor(random() * ceiling));
}

/** Sleeps, resolving early (and returning false) when `signal` aborts. */
export async function wait(ms: number, signal: AbortSignal): Promise<boolean> {
  if (signal.aborted) return false;
  try {
    await sleep(ms, undefined, { signal });
    return true;
  } catch {
    return false;
  }
}
