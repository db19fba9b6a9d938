// The enrichment runtime: one enricher for the agent's ordered stream. `enrich(doc)` runs per
// line inside processing (in line order, before the document is serialised); the cache changes
// of a batch are taken right after its last line and committed in the same store transaction as
// the batch's input positions, so a crash replays from a cache exactly as it stood at the last
// commit and fills the same fields again. Lookup tables are read from files and re-read when
// they change on disk.

import { readFileSync, statSync } from 'node:fs';
import { Gauge } from 'prom-client';
import { createEnricher, type CacheChanges, type Enricher, type EnrichmentConfig, type LookupTableInput } from '../../processors/enrich/index.js';
import type { EventDoc } from '../../processors/schema/event.js';
import type { AgentContext } from '../context.js';
import { describeError } from '../errors.js';
import type { PipelineEvent } from '../pipeline/event.js';
import type { StatefulStage } from '../pipeline/stage.js';
import type { StateStore } from '../store/store.js';

const TABLE_POLL_MS = 30_000;

export class EnrichmentStage implements StatefulStage<CacheChanges> {
  readonly name = 'enrichment';
  readonly enricher: Enricher;
  private readonly mtimes = new Map<string, number>();
  private timer: NodeJS.Timeout | undefined;

  constructor(
    private readonly config: EnrichmentConfig,
    private readonly ctx: AgentContext,
    private readonly store: StateStore,
  ) {
    this.enricher = createEnricher(config);
    const db = this.store.db<string>('enrich');
    this.enricher.load((function* () {
      for (const { key, value } of db.getRange()) yield [key, value] as const;
    })());
    // Entries load() evicted (a smaller max_entries) must leave the store too.
    const evicted = this.enricher.takeChanges();
    if (evicted.remove.length > 0 || evicted.put.length > 0) this.store.commitSync(() => this.apply(evicted));
    this.loadTables(true);
    this.registerMetrics();
  }

  /** Per line, in order (called from the line processor). */
  readonly enrich = (doc: EventDoc): void => this.enricher.enrich(doc);

  takeBatch(_events: readonly PipelineEvent[]): CacheChanges {
    return this.enricher.takeChanges();
  }

  apply(changes: CacheChanges): void {
    const db = this.store.db<string>('enrich');
    for (const key of changes.remove) db.remove(key);
    for (const [key, entry] of changes.put) db.put(key, entry);
  }

  start(): void {
    if (this.config.tables.length === 0) return;
    this.timer = setInterval(() => this.loadTables(false), TABLE_POLL_MS);
    this.timer.unref();
  }

  stop(): void {
    if (this.timer) clearInterval(this.timer);
  }

  /** Reads the lookup tables; at start a bad table is an error, later it keeps the previous tables. */
  private loadTables(initial: boolean): void {
    const tables = this.config.tables;
    if (tables.length === 0) return;
    let changed = initial;
    for (const t of tables) {
      try {
        const m = statSync(t.path).mtimeMs;
        if (this.mtimes.get(t.path) !== m) changed = true;
        this.mtimes.set(t.path, m);
      } catch (err) {
        if (initial) throw err;
        this.ctx.logger.warn(`lookup table '${t.name}' (${t.path}) cannot be read: ${describeError(err)}; keeping the loaded tables`);
        return;
      }
    }
    if (!changed) return;
    try {
      const inputs: LookupTableInput[] = tables.map((t) => ({ ...t, text: readFileSync(t.path, 'utf8') }));
      this.enricher.setTables(inputs);
      this.ctx.logger.info(`lookup tables loaded: ${tables.map((t) => t.name).join(', ')}`);
    } catch (err) {
      if (initial) throw err;
      this.ctx.logger.error(`lookup tables not reloaded: ${describeError(err)}; keeping the loaded tables`);
    }
  }

  private registerMetrics(): void {
    const enricher = this.enricher;
    const registry = this.ctx.metrics.registry;
    new Gauge({
      name: 'smf_agent_enrichment_lookups',
      help: 'Session-cache lookups since start, by result (hit, miss, ambiguous_skip)',
      labelNames: ['result'],
      registers: [registry],
      collect() {
        const s = enricher.stats().session;
        this.set({ result: 'hit' }, s.hits);
        this.set({ result: 'miss' }, s.misses);
        this.set({ result: 'ambiguous_skip' }, s.ambiguous_skips);
      },
    });
    new Gauge({
      name: 'smf_agent_enrichment_filled',
      help: 'Fields filled by enrichment since start, by field',
      labelNames: ['field'],
      registers: [registry],
      collect() {
        for (const [field, n] of Object.entries(enricher.stats().session.filled)) this.set({ field }, n as number);
      },
    });
    new Gauge({
      name: 'smf_agent_enrichment_cache_entries',
      help: 'Entries in the learned session cache',
      registers: [registry],
      collect() {
        this.set(enricher.stats().session.entries);
      },
    });
  }
}
