// What one timed run of one shipper reports. Every shipper is timed from the moment its input is
// there (the feed file appears in the watched directory, or the first byte is piped in) until the
// node has acknowledged every line, so start-up costs are not in the figure; they are reported apart.

import type { RssSummary } from './proc.js';

export interface ShipperRun {
  lines: number;
  /** Documents in the index at the end, after a refresh: equal to `lines` unless something was lost or duplicated. */
  indexed: number;
  seconds: number;
  linesPerSecond: number;
  /** CPU time of the shipper's process during the timed window. */
  shipperCpuMs: number;
  /** CPU time of the Elasticsearch node during the same window (a shared node: includes anything else it served). */
  esCpuMs: number;
  /** Resident memory of the shipper's process. */
  rss?: {
    /** Started, nothing to read yet. */
    idleBefore?: RssSummary;
    /** From the moment the input appeared until every line was acknowledged. */
    load?: RssSummary;
    /** Drained, after the association flush interval. */
    idleAfter?: RssSummary;
  };
  /** From spawning the process until it was ready to read (agent: /health answers). */
  startupSeconds?: number;
  /** The timed window on CLOCK_MONOTONIC (process.hrtime), µs: selects a CPU profile's samples. */
  windowUs?: { from: number; to: number };
  notes?: string[];
}

export type ShipperName = 'ceiling' | 'agent' | 'agent-no-assoc' | 'pino' | 'rsyslog';

export const SHIPPER_LABEL: Record<ShipperName, string> = {
  ceiling: 'raw bulk ceiling (official client, pre-built agent documents)',
  agent: 'smf-agent (associations on, 19 default definitions)',
  'agent-no-assoc': 'smf-agent (associations off)',
  pino: 'pino-elasticsearch',
  rsyslog: 'rsyslog imfile → omelasticsearch',
};
