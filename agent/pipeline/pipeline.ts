// The pipeline: the one place that owns delivery guarantees (inputs and outputs do not).
//
// Data path:   inputs → LineQueue (bounded: backpressure) → batch → process each line
//              (parse → normalize → …) → deliver to the output (retries) / dead-letter sink.
// Ack path:    batches may be in flight concurrently, but commit strictly in order: once a batch
//              and all before it are fully handled (delivered, duplicate or dead-lettered), the
//              input positions it reached are written to the store in one transaction. A crash
//              before that commit re-reads the batch; deterministic ids absorb the replay.
//              Group commit: batches that finish while a checkpoint is pending (at most one per
//              checkpoint_interval_ms, none waiting once the queue is closed) commit together in
//              one transaction, so under load a busy association pair is read and written once
//              per checkpoint instead of once per batch, and the store syncs once.

import type { AgentConfig } from '../config/schema.js';
import type { AgentContext } from '../context.js';
import { describeError } from '../errors.js';
import type { Input } from '../inputs/input.js';
import type { StateStore } from '../store/store.js';
import { wait } from './backoff.js';
import { AbortedDelivery, deliver, type DeliveryOptions } from './delivery.js';
import type { DeadLetter, PipelineEvent, RawLine } from './event.js';
import type { Output } from './outcome.js';
import { LineQueue } from './queue.js';
import type { StatefulStage } from './stage.js';

/** A processed batch waiting for its checkpoint: where it got to per source, and its stage tokens. */
interface PendingCommit {
  furthest: Map<string, RawLine['source']>;
  work: Promise<unknown[]>;
}

/** Turns one line into an event, or says why it cannot be one. Pure per line; must not throw. */
export interface LineProcessor {
  process(line: RawLine): { event: PipelineEvent } | { deadLetter: DeadLetter } | { skip: true };
}

export interface DeadLetterSink {
  /** Resolves when every record is durably written (or counted as lost with a logged error). */
  write(records: DeadLetter[], signal: AbortSignal): Promise<void>;
  close(): Promise<void>;
}

export interface PipelineStats {
  batches: number;
  events: number;
  delivered: number;
  duplicates: number;
  deadLettered: number;
  skipped: number;
}

export class Pipeline {
  readonly queue: LineQueue;
  readonly stats: PipelineStats = { batches: 0, events: 0, delivered: 0, duplicates: 0, deadLettered: 0, skipped: 0 };
  private loop: Promise<void> | undefined;
  private commitChain: Promise<void> = Promise.resolve();
  private halted = false;

  constructor(
    private readonly ctx: AgentContext,
    private readonly config: AgentConfig['pipeline'],
    private readonly delivery: DeliveryOptions,
    private readonly deps: {
      store: StateStore;
      output: Output;
      deadLetters: DeadLetterSink;
      processors: ReadonlyMap<string, LineProcessor>;
      inputs: ReadonlyMap<string, Input>;
      /** State committed with the positions (associations, enrichment cache). */
      stages?: readonly StatefulStage[];
      /** Called once when the pipeline cannot go on (the agent then stops and exits non-zero). */
      onFatal?: (err: unknown) => void;
    },
  ) {
    this.queue = new LineQueue(config.queue_max_events, config.queue_max_bytes, { events: ctx.metrics.queueEvents, bytes: ctx.metrics.queueBytes });
    this.hurry = AbortSignal.any([this.draining.signal, ctx.signal]);
  }

  /** What inputs call; resolves when the lines are queued (waits while the queue is full). */
  readonly sink = (lines: RawLine[]): Promise<void> => this.queue.push(lines);

  start(): void {
    this.loop ??= this.run();
  }

  /** Stops taking input, finishes (or, once the agent's signal aborts, abandons) what is queued. */
  async drain(): Promise<void> {
    this.queue.close();
    this.draining.abort();
    await this.loop;
    await this.commitChain;
  }

  private async run(): Promise<void> {
    const inflight = new Set<Promise<unknown>>();
    for (;;) {
      const lines = await this.queue.take(this.config.batch_max_events, this.config.batch_max_wait_ms, this.ctx.signal);
      if (lines.length === 0) break;
      if (this.halted) continue; // stopping: drop from memory, positions stay uncommitted
      const furthest = new Map<string, RawLine['source']>();
      for (const l of lines) if (l.source.cursorKey !== undefined) furthest.set(l.source.cursorKey, l.source);
      const work = this.handle(lines);
      const tracked = work.then(
        () => undefined,
        () => undefined,
      );
      inflight.add(tracked);
      void tracked.then(() => inflight.delete(tracked));
      this.pending.push({ furthest, work });
      this.commitChain = this.commitChain.then(() => this.checkpoint());
      if (inflight.size >= this.config.max_in_flight_batches) await Promise.race(inflight);
    }
    await Promise.all(inflight);
  }

  private readonly pending: PendingCommit[] = [];
  private lastCheckpoint = Number.NEGATIVE_INFINITY;
  /** Aborted when draining starts: a checkpoint then commits at once instead of waiting out its interval. */
  private readonly draining = new AbortController();
  private readonly hurry: AbortSignal;

  /**
   * One step of the commit chain: commits every batch pending so far (in order, one transaction),
   * or nothing when an earlier step already took them. Waits out the rest of the checkpoint
   * interval first, unless the queue is closed (draining) or the agent is stopping.
   */
  private async checkpoint(): Promise<void> {
    if (this.halted || this.pending.length === 0) return;
    const rest = this.lastCheckpoint + this.config.checkpoint_interval_ms - performance.now();
    if (rest > 0) await wait(rest, this.hurry);
    if (this.halted || this.pending.length === 0) return;
    const group = this.pending.splice(0);
    try {
      const tokens: unknown[][] = [];
      for (const b of group) tokens.push(await b.work);
      await this.commit(group, tokens);
    } catch (err) {
      this.halted = true;
      if (!(err instanceof AbortedDelivery)) {
        this.ctx.logger.error(`batch failed and was not committed (it will be re-read on restart): ${describeError(err)}`);
        this.deps.onFatal?.(err);
      }
    } finally {
      this.lastCheckpoint = performance.now();
    }
  }

  /**
   * Processes and delivers one batch; resolves, when every line has its final fate, with the
   * stateful stages' tokens. Everything before the first `await` runs synchronously when called,
   * so batches are processed (and stage tokens taken) strictly in order.
   */
  private async handle(lines: RawLine[]): Promise<unknown[]> {
    const events: PipelineEvent[] = [];
    const deadLetters: DeadLetter[] = [];
    for (const line of lines) {
      const processor = this.deps.processors.get(line.source.input)!;
      const r = processor.process(line);
      if ('event' in r) events.push(r.event);
      else if ('deadLetter' in r) {
        deadLetters.push(r.deadLetter);
        this.ctx.metrics.rejected.inc({ input: line.source.input, reason: r.deadLetter.code });
      } else this.stats.skipped++;
    }
    const tokens = (this.deps.stages ?? []).map((stage) => stage.takeBatch(events));
    const result = await deliver(this.deps.output, events, this.delivery, { ...this.ctx, signal: this.ctx.signal });
    deadLetters.push(...result.deadLetters);
    if (deadLetters.length > 0) await this.deps.deadLetters.write(deadLetters, this.ctx.signal);
    this.stats.batches++;
    this.stats.events += lines.length;
    this.stats.delivered += result.delivered;
    this.stats.duplicates += result.duplicates;
    this.stats.deadLettered += deadLetters.length;
    return tokens;
  }

  /** One transaction: the furthest position reached per source over the group, and the stages' state, batch by batch. */
  private async commit(group: readonly PendingCommit[], tokens: readonly unknown[][]): Promise<void> {
    const furthest = new Map<string, RawLine['source']>();
    for (const b of group) for (const [key, source] of b.furthest) furthest.set(key, source);
    const stages = this.deps.stages ?? [];
    const cursors = this.deps.store.db<string>('cursors');
    await this.deps.store.commit(() => {
      for (const [key, source] of furthest) {
        const value = this.deps.inputs.get(source.input)?.cursorValue?.(key, source.identity, source.end);
        if (value !== undefined) cursors.put(key, value);
      }
      stages.forEach((stage, i) => {
        const ofStage = tokens.map((t) => t[i]);
        if (stage.applyGroup) stage.applyGroup(ofStage);
        else for (const t of ofStage) stage.apply(t);
      });
    });
    stages.forEach((stage, i) => {
      for (const t of tokens) stage.committed?.(t[i]);
    });
    this.ctx.metrics.checkpoints.inc();
  }
}

