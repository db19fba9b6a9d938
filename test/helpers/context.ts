// A component context for tests: silent logger, fresh metrics, real clock, a controllable signal.

import type { AgentContext } from '../../agent/context.js';
import { systemClock } from '../../agent/context.js';
import { silentLogger } from '../../agent/telemetry/logger.js';
import { createMetrics } from '../../agent/telemetry/metrics.js';

export function testContext(): AgentContext & { abort: AbortController } {
  const abort = new AbortController();
  return { logger: silentLogger(), metrics: createMetrics(), clock: systemClock, signal: abort.signal, abort };
}
