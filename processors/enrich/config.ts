// `enrichment:` configuration, every default declared once here. The lead mounts
// `enrichmentConfigSchema` under `enrichment:` in agent/config/schema.ts; `createEnricher` parses
// the same schema, so options given in code are checked exactly like YAML. Strict objects: a
// misspelt key is an error, never a silently ignored setting. Zod reports every problem at once.

import { z } from 'zod';

/** Fields the learned session cache may fill, in the order they are resolved. */
export const FILL_FIELDS = ['process.name', 'zos.job_id', 'zos.terminal', 'user.name', 'source.ip'] as const;
export type FillField = (typeof FILL_FIELDS)[number];

/** Event fields a generic lookup table may be keyed by (values as the normalizer writes them). */
export const MATCH_FIELDS = ['user.name', 'source.ip', 'destination.ip', 'process.name', 'host.name', 'zos.job_id', 'zos.terminal', 'zos.dsn'] as const;
export type MatchField = (typeof MATCH_FIELDS)[number];

/** Targets a lookup table may set: two ECS fields, or any `labels.<name>` (mapped as keyword by a dynamic template). */
const TARGET = /^(?:user\.full_name|source\.domain|labels\.[a-z0-9_]{1,64})$/;

const DEFAULT_END_ACTIONS = ['tn3270-session-end', 'tso-logoff', 'job-end', 'logoff'];
const DEFAULT_START_ACTIONS = ['tn3270-session-start'];

/**
 * One static lookup table. `kind: user` is keyed by user.name (column `user_id`) and sets
 * user.full_name (`full_name`) and labels.department (`department`); `kind: ip` is keyed by
 * source.ip (column `ip`) and sets source.domain (`domain`); `kind: generic` names its own key
 * field, key column and target → column map. A table named `user` or `ip` defaults to that kind.
 */
const tableShape = z.strictObject({
  name: z.string().regex(/^[a-z0-9][a-z0-9_-]{0,63}$/, 'use 1-64 lowercase letters, digits, "_" or "-"'),
  kind: z.enum(['user', 'ip', 'generic']).optional(),
  format: z.enum(['csv', 'jsonl']).default('csv'),
  /** generic only: the event field whose value is looked up. */
  match: z.enum(MATCH_FIELDS).optional(),
  /** generic only: the column holding the key. */
  key_column: z.string().min(1).optional(),
  /** generic only: target field → column. */
  set: z.record(z.string(), z.string().min(1)).optional(),
});

function checkTable(t: z.output<typeof tableShape>, ctx: z.RefinementCtx): void {
  const kind = t.kind ?? (t.name === 'user' || t.name === 'ip' ? t.name : undefined);
  if (kind === undefined) ctx.addIssue({ code: 'custom', path: ['kind'], message: `table '${t.name}': kind is required (user, ip or generic)` });
  const generic = [t.match, t.key_column, t.set].filter((v) => v !== undefined).length;
  if (kind === 'generic' && generic < 3) ctx.addIssue({ code: 'custom', path: ['kind'], message: `table '${t.name}': a generic table needs match, key_column and set` });
  if (kind !== 'generic' && kind !== undefined && generic > 0) ctx.addIssue({ code: 'custom', path: ['kind'], message: `table '${t.name}': match, key_column and set are for generic tables only` });
  if (t.set !== undefined && Object.keys(t.set).length === 0) ctx.addIssue({ code: 'custom', path: ['set'], message: 'name at least one target' });
  for (const target of Object.keys(t.set ?? {})) {
    if (!TARGET.test(target)) ctx.addIssue({ code: 'custom', path: ['set'], message: `${JSON.stringify(target)} is not a target (user.full_name, source.domain or labels.<name>)` });
  }
}

export const lookupTableSpecSchema = tableShape.superRefine(checkTable);
/** A table in the configuration: the spec plus the file the runtime reads. */
const tableConfigSchema = tableShape.extend({ path: z.string().min(1) }).superRefine(checkTable);

export const enrichmentConfigSchema = z
  .strictObject({
    /** Learn user / IP / job / terminal bindings from the stream and fill them in (the session cache). */
    learn: z.boolean().default(true),
    /** How long a learned value stays usable, in event time (@timestamp), never wall-clock time. 12 h. */
    ttl_ms: z.int().positive().default(12 * 3_600_000),
    /** Session cache size bound; the least recently learned key is evicted beyond it. */
    max_entries: z.int().min(10).max(10_000_000).default(200_000),
    /** Fields the session cache fills when a record lacks them. */
    fill: z.array(z.enum(FILL_FIELDS)).default([...FILL_FIELDS]),
    /** event.action values of records that end a session or job: the keys they name are forgotten. */
    end_actions: z.array(z.string().min(1)).default(DEFAULT_END_ACTIONS),
    /** event.action values of records that start a new terminal session: the terminal's old binding is dropped first. */
    start_actions: z.array(z.string().min(1)).default(DEFAULT_START_ACTIONS),
    /** Static lookup tables; the runtime reads each `path` and hands the text to setTables. */
    tables: z.array(tableConfigSchema).default([]),
  })
  .superRefine((c, ctx) => {
    const seen = new Set<string>();
    c.tables.forEach((t, i) => {
      if (seen.has(t.name)) ctx.addIssue({ code: 'custom', path: ['tables', i, 'name'], message: `duplicate table name '${t.name}'` });
      seen.add(t.name);
    });
  });

export type EnrichmentConfig = z.output<typeof enrichmentConfigSchema>;
/** What a user writes: any subset of the settings. */
export type EnrichmentConfigInput = z.input<typeof enrichmentConfigSchema>;
export type LookupTableSpec = z.output<typeof lookupTableSpecSchema>;
/** A table as setTables receives it: its spec plus the text the runtime read from `path`. */
export type LookupTableInput = z.input<typeof lookupTableSpecSchema> & { text: string };

/** Issues as "key.path: message", the form the central config pass prefixes with `enrichment.`. */
export function formatIssues(error: z.ZodError): string[] {
  return error.issues.map((i) => `${i.path.map(String).join('.') || '(root)'}: ${i.message}`);
}
