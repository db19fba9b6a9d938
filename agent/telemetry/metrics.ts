// Metrics the agent keeps, in one registry per agent instance (no module-level singletons).
// Names follow Prometheus conventions; labels are bounded (input names, outcome/reason codes).

import { Counter, Gauge, Registry } from 'prom-client';

export interface Metrics {
  registry: Registry;
  linesRead: Counter<'input'>;
  bytesRead: Counter<'input'>;
  eventsPublished: Counter<'output' | 'outcome'>; // outcome: indexed | duplicate | dead_letter
  eventsRetried: Counter<'output' | 'reason'>;
  requestFailures: Counter<'output' | 'reason'>;
  rejected: Counter<'input' | 'reason'>; // lines refused by parse/normalize (dead-lettered)
  deadLettered: Counter<'destination'>;
  dropped: Counter<'input' | 'reason'>; // only ever non-zero when a user asked for dropping
  queueEvents: Gauge;
  queueBytes: Gauge;
  checkpoints: Counter;
  fileLagBytes: Gauge<'input' | 'path'>;
  fileLagSeconds: Gauge<'input' | 'path'>;
  associationsObserved: Counter<'definition'>;
  associationDocuments: Counter<'kind'>;
  associationsDropped: Counter;
  connections: Gauge<'input'>; // open network connections (syslog TCP/TLS)
  framingErrors: Counter<'input'>; // network streams closed because they could not be framed
}

export function createMetrics(): Metrics {
  const registry = new Registry();
  const c = <L extends string>(name: string, help: string, labelNames: L[]) => new Counter<L>({ name, help, labelNames, registers: [registry] });
  const g = <L extends string>(name: string, help: string, labelNames: L[]) => new Gauge<L>({ name, help, labelNames, registers: [registry] });
  return {
    registry,
    linesRead: c('smf_agent_lines_read_total', 'Lines read by an input', ['input']),
    bytesRead: c('smf_agent_bytes_read_total', 'Bytes read by an input', ['input']),
    eventsPublished: c('smf_agent_events_published_total', 'Events whose delivery ended, by outcome', ['output', 'outcome']),
    eventsRetried: c('smf_agent_events_retried_total', 'Event deliveries retried', ['output', 'reason']),
    requestFailures: c('smf_agent_output_request_failures_total', 'Whole bulk requests that failed and were retried', ['output', 'reason']),
    rejected: c('smf_agent_lines_rejected_total', 'Lines refused by parsing or normalization', ['input', 'reason']),
    deadLettered: c('smf_agent_dead_letter_total', 'Records written to a dead-letter destination', ['destination']),
    dropped: c('smf_agent_events_dropped_total', 'Events dropped (zero unless dropping was configured)', ['input', 'reason']),
    queueEvents: g('smf_agent_queue_events', 'Events waiting in the pipeline queue', []),
    queueBytes: g('smf_agent_queue_bytes', 'Bytes waiting in the pipeline queue', []),
    checkpoints: c('smf_agent_checkpoints_total', 'Store commits of input positions', []),
    fileLagBytes: g('smf_agent_file_lag_bytes', 'Bytes of a file not yet read', ['input', 'path']),
    fileLagSeconds: g('smf_agent_file_lag_seconds', 'Seconds since the input was last at the end of the file (0 when caught up)', ['input', 'path']),
    associationsObserved: c('smf_agent_associations_counted_total', 'Association observations committed, by definition', ['definition']),
    associationDocuments: c('smf_agent_association_documents_total', 'Association documents written (pair, definition row)', ['kind']),
    associationsDropped: c('smf_agent_association_pairs_dropped_total', 'Association pairs dropped by retention', []),
    connections: g('smf_agent_input_connections', 'Open connections of a network input', ['input']),
    framingErrors: c('smf_agent_input_framing_errors_total', 'Connections closed on a malformed or truncated frame', ['input']),
  };
}

/** Sum of a counter's values (all label sets), for summaries and tests. */
export async function total(counter: Counter<string>, filter: Record<string, string> = {}): Promise<number> {
  const { values } = await counter.get();
  return values.filter((v) => Object.entries(filter).every(([k, want]) => v.labels[k] === want)).reduce((s, v) => s + v.value, 0);
}
