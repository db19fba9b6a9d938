// The association stage: observations are taken per batch in line order (pure: observeInto), and
// counted inside the transaction that commits the batch's input positions (applyObservations on
// the LMDB-backed state), so counts are exactly-once across crashes. Pairs whose document is now
// out of date get a dirty marker in the same transaction; the indexer writes them later.

import { applyObservations, observeInto, type CompiledDefinition, type LocalCalendar, type Observation } from '../../processors/associations/index.js';
import type { Clock } from '../context.js';
import type { Metrics } from '../telemetry/metrics.js';
import type { PipelineEvent } from '../pipeline/event.js';
import type { StatefulStage } from '../pipeline/stage.js';
import { DIRTY, type LmdbAssocState } from './lmdb-state.js';

export class AssociationStage implements StatefulStage<Observation[]> {
  readonly name = 'associations';
  private seq: number;
  observed = 0;

  constructor(
    private readonly definitions: readonly CompiledDefinition[],
    private readonly state: LmdbAssocState,
    private readonly calendar: LocalCalendar,
    private readonly clock: Clock,
    /** Backfill: count every observation under this local day. */
    private readonly day?: string,
    private readonly metrics?: Metrics,
  ) {
    // Marker sequence numbers only need to grow; starting from the clock keeps them growing across restarts.
    this.seq = clock.now() * 1000;
  }

  takeBatch(events: readonly PipelineEvent[]): Observation[] {
    const out: Observation[] = [];
    for (const e of events) observeInto(this.definitions, e.doc, out);
    return out;
  }

  apply(observations: Observation[]): void {
    if (observations.length === 0) return;
    const changed = applyObservations(this.state, observations, {
      now: this.clock.now(),
      calendar: this.calendar,
      ...(this.day !== undefined ? { day: this.day } : {}),
    });
    const seq = ++this.seq;
    for (const pk of changed.pairs) this.state.db.put(DIRTY + pk, seq);
    this.observed += observations.length;
  }

  /** One engine pass over the group's observations: one read and one write per touched record (same state as batch by batch). */
  applyGroup(tokens: readonly Observation[][]): void {
    if (tokens.length === 1) return this.apply(tokens[0]!);
    const all: Observation[] = [];
    for (const t of tokens) for (const o of t) all.push(o);
    this.apply(all);
  }

  committed(observations: Observation[]): void {
    if (observations.length === 0 || !this.metrics) return;
    const byDef = new Map<string, number>();
    for (const o of observations) byDef.set(o.def, (byDef.get(o.def) ?? 0) + 1);
    for (const [definition, n] of byDef) this.metrics.associationsObserved.inc({ definition }, n);
  }
}
