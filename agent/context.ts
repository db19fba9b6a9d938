// What every component receives instead of reaching for globals: logger, metrics, clock, and the
// signal that tells long waits (backoff sleeps, polls) to give up when the agent stops.

import type { Logger } from './telemetry/logger.js';
import type { Metrics } from './telemetry/metrics.js';

export interface Clock {
  now(): number; // epoch ms
}

export const systemClock: Clock = { now: () => Date.now() };

export interface AgentContext {
  logger: Logger;
  metrics: Metrics;
  clock: Clock;
  signal: AbortSignal;
}
