// Writes association state to Elasticsearch as whole documents (the test node has no scripting,
// and whole documents make every write idempotent):
//   - pair documents for pairs with a dirty marker, in batches; a marker is removed only if no
//     commit re-marked the pair meanwhile (its sequence number is unchanged);
//   - one row per definition (loaded or in error), rewritten at every flush: the Today columns
//     change at midnight without any new message.
// It also runs retention: pairs not seen for `retention_days` leave the store and the index.
// Flushes run on the flush_interval_ms timer and once more on stop, never per commit: under load a
// busy pair is re-indexed at most about once per interval, not once per batch that touches it.

import type { Client } from '@elastic/elasticsearch';
import {
  correctSummary,
  dailyCutoff,
  definitionDocument,
  expiredDailyKeys,
  failedDefinitionDocument,
  failedDefinitions,
  pairDocId,
  pairDocument,
  sweepPairs,
  type CompiledDefinition,
  type LocalCalendar,
  type PairState,
  type SummaryState,
} from '../../processors/associations/index.js';
import type { AgentContext } from '../context.js';
import { describeError } from '../errors.js';
import { deliver, type DeliveryOptions } from '../pipeline/delivery.js';
import type { PipelineEvent } from '../pipeline/event.js';
import type { Output } from '../pipeline/outcome.js';
import type { StateStore } from '../store/store.js';
import type { AssociationsConfig } from './config.js';
import type { LoadResult } from './loader.js';
import { DAILY, DIRTY, PAIR, SUM, type LmdbAssocState } from './lmdb-state.js';

const FLUSH_BATCH = 5000;
const SWEEP_INTERVAL_MS = 6 * 3600 * 1000;

export interface IndexerDeps {
  ctx: AgentContext;
  store: StateStore;
  state: LmdbAssocState;
  loaded: LoadResult;
  calendar: LocalCalendar;
  pairs: Output; // `index` op into config.index
  rows: Output; // `index` op into config.definitions_index
  client: Client;
  delivery: DeliveryOptions;
}

export class AssociationIndexer {
  private timer: NodeJS.Timeout | undefined;
  private sweepTimer: NodeJS.Timeout | undefined;
  private running: Promise<void> | undefined;
  private again = false;
  private readonly byId: Map<string, CompiledDefinition>;
  stats = { pairsIndexed: 0, rowsIndexed: 0, pairsDropped: 0 };

  constructor(
    private readonly config: AssociationsConfig,
    private readonly d: IndexerDeps,
  ) {
    this.byId = new Map(d.loaded.definitions.map((def) => [def.id, def]));
  }

  start(): void {
    this.timer = setInterval(() => void this.flush(), this.config.flush_interval_ms);
    this.timer.unref();
    const sweep = () => void this.sweep().catch((err) => this.d.ctx.logger.warn(`association retention failed, retrying later: ${describeError(err)}`));
    this.sweepTimer = setInterval(sweep, SWEEP_INTERVAL_MS);
    this.sweepTimer.unref();
    sweep();
    void this.flush();
  }

  /** Runs one flush (or joins the one running); a flush never throws, it logs and retries next time. */
  flush(): Promise<void> {
    if (this.running) {
      this.again = true;
      return this.running;
    }
    this.running = (async () => {
      do {
        this.again = false;
        try {
          await this.flushPairs();
          await this.flushRows();
        } catch (err) {
          if (!this.d.ctx.signal.aborted) this.d.ctx.logger.warn(`association flush failed, retrying later: ${describeError(err)}`);
        }
      } while (this.again && !this.d.ctx.signal.aborted);
    })().finally(() => (this.running = undefined));
    return this.running;
  }

  async stop(): Promise<void> {
    if (this.timer) clearInterval(this.timer);
    if (this.sweepTimer) clearInterval(this.sweepTimer);
    await this.running;
    if (!this.d.ctx.signal.aborted) await this.flush();
  }

  private async flushPairs(): Promise<void> {
    const today = this.d.calendar.dayOf(this.d.ctx.clock.now());
    for (;;) {
      const marks: [string, number][] = [];
      for (const entry of this.d.state.range<number>(DIRTY)) {
        marks.push(entry);
        if (marks.length >= FLUSH_BATCH) break;
      }
      if (marks.length === 0) return;
      const events: PipelineEvent[] = [];
      for (const [pk] of marks) {
        const pair = this.d.state.getPair(pk);
        const def = pair && this.byId.get(pair.def);
        if (!pair || !def) continue; // dropped by retention, or its definition was removed
        const { id, doc } = pairDocument(def, pair, today);
        events.push(syntheticEvent(id, doc, this.d.ctx.clock.now()));
      }
      const result = await deliver(this.d.pairs, events, this.d.delivery, this.d.ctx);
      for (const r of result.deadLetters) this.d.ctx.logger.error(`association document refused by Elasticsearch (${r.code}): ${r.reason}`);
      this.stats.pairsIndexed += result.delivered;
      this.d.ctx.metrics.associationDocuments.inc({ kind: 'pair' }, result.delivered);
      await this.d.store.commit(() => {
        for (const [pk, seq] of marks) if (this.d.state.db.get(DIRTY + pk) === seq) this.d.state.db.remove(DIRTY + pk);
      });
      if (marks.length < FLUSH_BATCH) return;
    }
  }

  private async flushRows(): Promise<void> {
    const now = this.d.ctx.clock.now();
    const today = this.d.calendar.dayOf(now);
    const events: PipelineEvent[] = [];
    for (const def of this.d.loaded.definitions) {
      const { id, doc } = definitionDocument(def, this.d.state.getSummary(def.id), today, now);
      events.push(syntheticEvent(id, doc, now));
    }
    for (const [id, errors] of failedDefinitions(this.d.loaded.errors, new Set(this.byId.keys()))) {
      const { doc } = failedDefinitionDocument(id, errors, this.d.state.getSummary(id), today, now);
      events.push(syntheticEvent(id, doc, now));
    }
    const result = await deliver(this.d.rows, events, this.d.delivery, this.d.ctx);
    for (const r of result.deadLetters) this.d.ctx.logger.error(`definition row refused by Elasticsearch (${r.code}): ${r.reason}`);
    this.stats.rowsIndexed += result.delivered;
    this.d.ctx.metrics.associationDocuments.inc({ kind: 'definition' }, result.delivered);
  }

  /**
   * Retention: drops pairs not seen for retention_days (store and index, by id: no
   * delete-by-query needed) and daily statistics older than the window, correcting summaries.
   */
  async sweep(): Promise<number> {
    const now = this.d.ctx.clock.now();
    const sweep = sweepPairs(this.d.state.range<PairState>(PAIR), now, this.config.retention_days);
    const cutoff = dailyCutoff(this.d.calendar.dayOf(now), this.config.retention_days);
    const dailyKeys = expiredDailyKeys((function* (s: LmdbAssocState) {
      for (const [k] of s.range(DAILY)) yield k;
    })(this.d.state), cutoff);
    if (sweep.deleteKeys.length === 0 && dailyKeys.length === 0) return 0;
    await this.d.store.commit(() => {
      for (const pk of sweep.deleteKeys) {
        this.d.state.db.remove(PAIR + pk);
        this.d.state.db.remove(DIRTY + pk);
      }
      for (const dk of dailyKeys) this.d.state.db.remove(DAILY + dk);
      for (const [def, c] of sweep.corrections) {
        const s = this.d.state.db.get(SUM + def) as SummaryState | undefined;
        if (s) this.d.state.db.put(SUM + def, correctSummary(s, c));
      }
    });
    // The store no longer knows these pairs; their documents are deleted by id (404 = already gone).
    for (let i = 0; i < sweep.deleteKeys.length; i += FLUSH_BATCH) {
      const ids = sweep.deleteKeys.slice(i, i + FLUSH_BATCH).map((pk) => {
        const [def, v1, v2] = pk.split('\u0000') as [string, string, string];
        return pairDocId(def, v1, v2);
      });
      await this.d.client.bulk({ operations: ids.map((_id) => ({ delete: { _index: this.config.index, _id } })) });
    }
    this.stats.pairsDropped += sweep.deleteKeys.length;
    this.d.ctx.metrics.associationsDropped.inc(sweep.deleteKeys.length);
    this.d.ctx.logger.info(`association retention: dropped ${sweep.deleteKeys.length} pairs unseen for ${this.config.retention_days} days and ${dailyKeys.length} daily records`);
    return sweep.deleteKeys.length;
  }
}

function syntheticEvent(id: string, doc: object, now: number): PipelineEvent {
  return {
    id,
    doc: doc as PipelineEvent['doc'],
    json: JSON.stringify(doc),
    line: { text: '', bytes: 0, receivedAt: now, source: { input: 'associations', offset: 0, end: 0 } },
  };
}
