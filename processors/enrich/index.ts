// Enrichment stage: pure core, no I/O. Gives every event the user ID, IP address and job name
// behind it when the record itself lacks them (domain.md §6), and records what it added.
//
//   EventDoc ──enrich──▶ session cache (session-cache.ts: learn from the record, fill from what
//                        was learned; keys in session-index.ts, persisted form in session-entry.ts)
//            ──────────▶ lookup tables (lookup.ts: user → full name / department, IP → host name,
//                        generic key → targets)
//            ──────────▶ the same EventDoc, mutated; enrichment.fields / .sources say what was added
//
// The runtime shell owns the files and the store: it reads each configured table's `path` and
// calls setTables; it calls load() with the `enrich` sub-database at start. takeChanges() must be
// called right after the last event of a batch is enriched and before the first event of the next
// one (batches may be in flight concurrently; their changes must not mix), and its result
// committed in the same LMDB transaction as that batch's input positions. Then a crash replays
// from the last commit and reproduces the same documents, provided enrich() sees the events in
// the same order as before (one enricher per ordered stream).

import { SmfError } from '../../agent/errors.js';
import { parseTimestamp } from '../associations/index.js';
import type { EventDoc } from '../schema/event.js';
import { enrichmentConfigSchema, formatIssues, lookupTableSpecSchema, type EnrichmentConfig, type LookupTableInput } from './config.js';
import { applyLookups, parseLookupTable, type LookupTable } from './lookup.js';
import { SessionCache, type CacheChanges, type SessionStats } from './session-cache.js';

export { enrichmentConfigSchema, FILL_FIELDS, MATCH_FIELDS, lookupTableSpecSchema } from './config.js';
export type { EnrichmentConfig, EnrichmentConfigInput, FillField, LookupTableInput, LookupTableSpec, MatchField } from './config.js';
export { applyLookups, parseLookupTable, type LookupProblem, type LookupTable } from './lookup.js';
export { SessionCache, type CacheChanges, type SessionCacheOptions, type SessionStats } from './session-cache.js';
export type { StoredEntry, StoredField } from './session-entry.js';

export interface EnrichmentStats {
  /** Events given to enrich(). */
  events: number;
  /** Events whose @timestamp did not parse: not learned from, not filled by the session cache. */
  bad_time: number;
  /** Session cache counters; all zero when `learn` is false. */
  session: SessionStats;
  /** Per table name: documents it added at least one field to. */
  tables: Record<string, number>;
}

export interface Enricher {
  /** Learns from `doc`, then fills what it lacks (session cache, then lookup tables). Never throws. */
  enrich(doc: EventDoc): void;
  /** Cache entries changed and keys removed since the last call; values are detached plain objects. */
  takeChanges(): CacheChanges;
  /** Restores cache entries from the store (before the first event). Throws SMF_ERR_STORE_CORRUPT naming a bad entry. */
  load(entries: Iterable<readonly [string, unknown]>): void;
  /** Counters as plain numbers (a fresh object per call). */
  stats(): EnrichmentStats;
  /**
   * Replaces the lookup tables, all or nothing: on any problem nothing changes and SMF_ERR_CONFIG
   * is thrown listing every problem with its table and line.
   */
  setTables(tables: readonly LookupTableInput[]): void;
  /** The validated, defaulted options. */
  readonly config: EnrichmentConfig;
}

/** Validates `options` (enrichmentConfigSchema) and builds the enricher. Throws SMF_ERR_CONFIG listing every problem. */
export function createEnricher(options: unknown = {}): Enricher {
  const parsed = enrichmentConfigSchema.safeParse(options);
  if (!parsed.success) {
    throw new SmfError('SMF_ERR_CONFIG', `invalid enrichment options:\n  ${formatIssues(parsed.error).join('\n  ')}`, { cause: parsed.error });
  }
  const config = parsed.data;
  const session = new SessionCache({
    ttlMs: config.ttl_ms,
    maxEntries: config.max_entries,
    fill: config.fill,
    endActions: config.end_actions,
    startActions: config.start_actions,
  });
  let tables: readonly LookupTable[] = [];
  let tableHits: number[] = [];
  let events = 0;
  let badTime = 0;
  // With learning off, entries found in the store are stale: they are reported as removed.
  let forget: string[] = [];

  return {
    config,
    enrich(doc) {
      events++;
      if (config.learn) {
        const ts: unknown = doc['@timestamp'];
        const now = typeof ts === 'string' ? parseTimestamp(ts) : Number.NaN;
        if (Number.isNaN(now)) badTime++;
        else session.enrich(doc, now);
      }
      if (tables.length > 0) applyLookups(tables, doc, tableHits);
    },
    takeChanges() {
      if (!config.learn) {
        const remove = forget;
        forget = [];
        return { put: [], remove };
      }
      return session.takeChanges();
    },
    load(entries) {
      if (config.learn) session.load(entries);
      else for (const [key] of entries) forget.push(key);
    },
    stats() {
      const perTable: Record<string, number> = {};
      tables.forEach((t, i) => (perTable[t.name] = tableHits[i] ?? 0));
      return { events, bad_time: badTime, session: session.stats(), tables: perTable };
    },
    setTables(inputs) {
      const problems: string[] = [];
      const next: LookupTable[] = [];
      const names = new Set<string>();
      inputs.forEach((input, i) => {
        const { text, ...specInput } = input;
        const spec = lookupTableSpecSchema.safeParse(specInput);
        const label = typeof input.name === 'string' ? `'${input.name}'` : `#${i}`;
        if (!spec.success) {
          problems.push(...formatIssues(spec.error).map((p) => `lookup table ${label}: ${p}`));
          return;
        }
        if (names.has(spec.data.name)) problems.push(`lookup table ${label}: duplicate table name`);
        names.add(spec.data.name);
        if (typeof text !== 'string') {
          problems.push(`lookup table ${label}: no text`);
          return;
        }
        const result = parseLookupTable(spec.data, text);
        problems.push(...result.problems.map((p) => p.message));
        if (result.table !== undefined) next.push(result.table);
      });
      if (problems.length > 0) {
        throw new SmfError('SMF_ERR_CONFIG', `lookup tables not loaded:\n  ${problems.join('\n  ')}`, { hint: 'fix the files named above; the previous tables stay in use' });
      }
      tables = next;
      tableHits = next.map(() => 0);
    },
  };
}
