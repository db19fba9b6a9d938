// The configuration schema: one place for every key, its type, its default and its limits.
// Unknown keys are rejected (strict objects) so a typo is an error, not a silently ignored setting.
// The rest of the agent receives the parsed, frozen `AgentConfig` and never looks at raw YAML.

import { z } from 'zod';
import { anomaliesSchema } from '../anomaly/config.js';
import { associationsSchema } from '../associations/config.js';
import { enrichmentConfigSchema } from '../../processors/enrich/index.js';
import { stdinInputSchema } from '../inputs/stdin/config.js';
import { syslogInputSchema } from '../inputs/syslog/config.js';

const duration = z.number().int().positive();
const name = z
  .string()
  .regex(/^[a-z0-9][a-z0-9_.-]{0,63}$/, 'use 1-64 lowercase letters, digits, ".", "_" or "-"');
const timezone = z.string().refine(isValidTimeZone, { error: (iss) => `unknown IANA time zone '${String(iss.input)}'` });

export const FORMATS = ['auto', 'json', 'leef', 'cef', 'kv', 'tagged', 'csv', 'rfc5424', 'rfc3164'] as const;
export const PROFILES = ['auto', 'zsecure', 'bmc', 'easysmf', 'cdp', 'generic'] as const;

/** Options shared by every input: how its lines are read into events. */
export const decoding = {
  format: z.enum(FORMATS).default('auto'),
  profile: z.enum(PROFILES).default('auto'),
  /** Zone for timestamps that carry none (RFC 3164, EasySMF local times). */
  timezone: timezone.optional(),
  /** Extra or overriding source field names per meaning, e.g. { user: [MYUSER] }. */
  aliases: z.record(z.string(), z.array(z.string().min(1))).default({}),
  max_line_bytes: z.number().int().min(256).max(16 * 1024 * 1024).default(65536),
  /** Keep the raw line in event.original (costs index space). */
  keep_original: z.boolean().default(false),
};

const fileInput = z.strictObject({
  type: z.literal('file'),
  name,
  paths: z.array(z.string().min(1)).min(1),
  /** Where to begin in a file the store has never seen. */
  start_at: z.enum(['beginning', 'end']).default('beginning'),
  poll_interval_ms: duration.default(250),
  read_buffer_bytes: z.number().int().min(4096).max(8 * 1024 * 1024).default(256 * 1024),
  ...decoding,
});

export const inputSchema = z.discriminatedUnion('type', [fileInput, syslogInputSchema({ name, decoding }), stdinInputSchema({ name, decoding })]);

const elasticsearch = z.strictObject({
  hosts: z.array(z.url({ protocol: /^https?$/ })).min(1),
  username: z.string().min(1).optional(),
  password: z.string().optional(),
  api_key: z.string().min(1).optional(),
  /** Secrets from files (e.g. mounted Kubernetes/Docker secrets); read once at start, trailing newline dropped. */
  password_file: z.string().min(1).optional(),
  api_key_file: z.string().min(1).optional(),
  ca_cert: z.string().min(1).optional(),
  verify_certificate: z.boolean().default(true),
  /** Index (or data stream) for events. */
  index: z.string().regex(/^[a-z0-9][a-z0-9_.-]*$/, 'lowercase index name').default('smf-events-default'),
  request_timeout_ms: duration.default(30_000),
  bulk_max_events: z.number().int().min(1).max(100_000).default(2000),
  bulk_max_bytes: z.number().int().min(1024).max(100 * 1024 * 1024).default(5 * 1024 * 1024),
  concurrency: z.number().int().min(1).max(64).default(2),
  retry_initial_ms: duration.default(200),
  retry_max_ms: duration.default(30_000),
});

const deadLetter = z.strictObject({
  /** JSON-lines file receiving refused lines and documents (original + reason). */
  file: z.string().min(1).optional(),
  /** Elasticsearch index receiving the same records; empty string disables it. */
  index: z.string().default('smf-deadletter-default'),
});

export const configSchema = z.strictObject({
  agent: z
    .strictObject({
      name: name.default('smf-agent'),
      /** Directory of the embedded state store (positions, associations, enrichment cache). */
      data_dir: z.string().min(1).default('./data'),
      /** Zone of the "local day" (associations Today, the nightly job) and default feed zone. */
      timezone: timezone.default('UTC'),
      shutdown_timeout_ms: duration.default(30_000),
    })
    .prefault({}),
  inputs: z.array(inputSchema).min(1),
  pipeline: z
    .strictObject({
      queue_max_events: z.number().int().min(1).max(10_000_000).default(20_000),
      queue_max_bytes: z.number().int().min(64 * 1024).default(32 * 1024 * 1024),
      batch_max_events: z.number().int().min(1).max(100_000).default(2000),
      batch_max_wait_ms: duration.default(200),
      /** Batches processed and published concurrently; commits still happen in order. */
      max_in_flight_batches: z.number().int().min(1).max(64).default(4),
      /**
       * Group commit: batches that finish within this window after the previous checkpoint commit
       * together, in one store transaction (positions and counts); 0 commits each batch on its own.
       */
      checkpoint_interval_ms: z.number().int().min(0).max(60_000).default(1000),
    })
    .prefault({}),
  output: z.strictObject({ elasticsearch }),
  dead_letter: deadLetter.prefault({}),
  enrichment: enrichmentConfigSchema.prefault({}),
  associations: associationsSchema.prefault({}),
  anomalies: anomaliesSchema.prefault({}),
  monitoring: z
    .strictObject({
      /** Prometheus metrics on /metrics and a health check on /health. */
      enabled: z.boolean().default(true),
      host: z.string().min(1).default('127.0.0.1'),
      /** 0 picks a free port (logged at start). */
      port: z.number().int().min(0).max(65535).default(9464),
    })
    .prefault({}),
  logging: z
    .strictObject({
      level: z.enum(['error', 'warn', 'info', 'debug']).default('info'),
    })
    .prefault({}),
});

export type AgentConfig = z.infer<typeof configSchema>;
export type InputConfig = z.infer<typeof inputSchema>;
export type FileInputConfig = z.infer<typeof fileInput>;
export type ElasticsearchConfig = z.infer<typeof elasticsearch>;
export type DecodingConfig = Pick<FileInputConfig, 'format' | 'profile' | 'timezone' | 'aliases' | 'max_line_bytes' | 'keep_original'>;

function isValidTimeZone(tz: string): boolean {
  try {
    new Intl.DateTimeFormat('en-US', { timeZone: tz });
    return true;
  } catch {
    return false;
  }
}
