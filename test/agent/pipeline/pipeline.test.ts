// The pipeline's ack path with a real LMDB store: group commit (checkpoint_interval_ms) commits
// finished batches together, strictly in order, with the furthest position reached, and never
// commits a batch before every earlier one is handled. The output here is an in-memory recorder:
// what is tested is the pipeline's bookkeeping, not what Elasticsearch decides.

import test from 'ava';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { AgentConfig } from '../../../agent/config/schema.js';
import type { Input } from '../../../agent/inputs/input.js';
import type { DeadLetter, PipelineEvent, RawLine } from '../../../agent/pipeline/event.js';
import type { ItemOutcome, Output } from '../../../agent/pipeline/outcome.js';
import { Pipeline, type LineProcessor } from '../../../agent/pipeline/pipeline.js';
import type { StatefulStage } from '../../../agent/pipeline/stage.js';
import { StateStore } from '../../../agent/store/store.js';
import { testContext } from '../../helpers/context.js';

type PipelineConfig = AgentConfig['pipeline'];

function line(i: number): RawLine {
  return { text: `line ${i}`, bytes: 8, receivedAt: 0, source: { input: 'in', cursorKey: 'file-a', identity: 'id-a', offset: i * 10, end: (i + 1) * 10 } };
}

const processor: LineProcessor = {
  process: (l) => ({ event: { id: `e${l.source.offset}`, doc: {} as PipelineEvent['doc'], json: '{}', line: l } }),
};

/** Delivers everything; each publish waits `delayMs(batchIndex)` first. */
class RecordingOutput implements Output {
  readonly name = 'memory';
  readonly published: string[] = [];
  private calls = 0;
  constructor(private readonly delayMs: (call: number) => number = () => 0) {}
  async publish(events: readonly PipelineEvent[]): Promise<ItemOutcome[]> {
    const ms = this.delayMs(this.calls++);
    if (ms > 0) await new Promise((r) => setTimeout(r, ms));
    for (const e of events) this.published.push(e.id);
    return events.map(() => ({ kind: 'ok' }) as const);
  }
  async close(): Promise<void> {}
}

/** Tokens are the batch's first offsets; records how they were applied. */
class RecordingStage implements StatefulStage<number[]> {
  readonly name = 'recording';
  readonly applied: number[][] = []; // one entry per apply/applyGroup call: the offsets applied
  readonly durable: number[][] = []; // committed(token) calls, one per batch
  constructor(private readonly grouped: boolean) {}
  takeBatch(events: readonly PipelineEvent[]): number[] {
    return events.map((e) => e.line.source.offset);
  }
  apply(token: number[]): void {
    this.applied.push([...token]);
  }
  committed(token: number[]): void {
    this.durable.push(token);
  }
  applyGroup?(tokens: readonly number[][]): void;
  enableGroup(): this {
    if (this.grouped) this.applyGroup = (tokens) => void this.applied.push(tokens.flat());
    return this;
  }
}

function setup(t: { teardown(fn: () => unknown): void }, config: Partial<PipelineConfig>, output: Output, stage: StatefulStage<number[]>) {
  const ctx = testContext();
  const store = StateStore.open(mkdtempSync(join(tmpdir(), 'smf-pipeline-')));
  t.teardown(() => store.close());
  const input: Input = { name: 'in', start() {}, stop: async () => {}, cursorValue: (_k, identity, offset) => ({ identity, offset }) };
  const full: PipelineConfig = {
    queue_max_events: 100_000,
    queue_max_bytes: 64 * 1024 * 1024,
    batch_max_events: 10,
    batch_max_wait_ms: 5,
    max_in_flight_batches: 4,
    checkpoint_interval_ms: 1000,
    ...config,
  };
  const deadLetters: DeadLetter[] = [];
  const pipeline = new Pipeline(ctx, full, { retryInitialMs: 1, retryMaxMs: 5 }, {
    store,
    output,
    deadLetters: { write: async (r) => void deadLetters.push(...r), close: async () => {} },
    processors: new Map([['in', processor]]),
    inputs: new Map([['in', input]]),
    stages: [stage],
  });
  const cursor = () => store.db<string>('cursors').get('file-a') as { offset: number } | undefined;
  const checkpoints = async () => (await ctx.metrics.checkpoints.get()).values[0]?.value ?? 0;
  return { pipeline, store, cursor, checkpoints };
}

test('a long checkpoint interval commits the whole run as one group on drain, in order, at the furthest position', async (t) => {
  const output = new RecordingOutput();
  const stage = new RecordingStage(true).enableGroup();
  const { pipeline, cursor, checkpoints } = setup(t, { checkpoint_interval_ms: 60_000 }, output, stage);
  pipeline.start();
  // The first batch commits at once (no checkpoint before it); the rest wait for the interval.
  await pipeline.sink(Array.from({ length: 10 }, (_, i) => line(i)));
  for (let i = 0; i < 50 && cursor() === undefined; i++) await new Promise((r) => setTimeout(r, 10));
  t.is(cursor()?.offset, 100);
  await pipeline.sink(Array.from({ length: 90 }, (_, i) => line(10 + i)));
  await new Promise((r) => setTimeout(r, 200));
  t.is(cursor()?.offset, 100, 'later batches wait for the checkpoint interval');
  await pipeline.drain();
  t.is(cursor()?.offset, 1000, 'draining commits what is pending without waiting out the interval');
  t.is(output.published.length, 100);
  t.deepEqual(stage.applied.flat(), Array.from({ length: 100 }, (_, i) => i * 10), 'every batch applied once, in line order');
  t.is(stage.applied.length, 2, 'one apply for the first checkpoint, one group for the rest');
  t.is(stage.durable.length, 10, 'committed() once per batch');
  t.is(await checkpoints(), 2);
});

test('a stage without applyGroup gets each batch of a group applied in order, in one transaction', async (t) => {
  const output = new RecordingOutput();
  const stage = new RecordingStage(false);
  const { pipeline, cursor } = setup(t, { checkpoint_interval_ms: 60_000 }, output, stage);
  pipeline.start();
  await pipeline.sink(Array.from({ length: 45 }, (_, i) => line(i)));
  await pipeline.drain();
  t.is(cursor()?.offset, 450);
  t.deepEqual(stage.applied.flat(), Array.from({ length: 45 }, (_, i) => i * 10));
  t.true(stage.applied.every((a) => a.length <= 10), 'applied batch by batch');
});

test('a slow earlier batch holds back the commit of later, faster ones (never a position past an unhandled line)', async (t) => {
  // Batch 0 is delivered after 400 ms; batches 1–3 at once.
  const output = new RecordingOutput((call) => (call === 0 ? 400 : 0));
  const stage = new RecordingStage(true).enableGroup();
  const { pipeline, cursor } = setup(t, { checkpoint_interval_ms: 0 }, output, stage);
  pipeline.start();
  await pipeline.sink(Array.from({ length: 40 }, (_, i) => line(i)));
  await new Promise((r) => setTimeout(r, 200));
  t.true(output.published.length >= 30, 'later batches were delivered');
  t.is(cursor(), undefined, 'but nothing is committed while the first batch is outstanding');
  await pipeline.drain();
  t.is(cursor()?.offset, 400);
  t.deepEqual(stage.applied.flat(), Array.from({ length: 40 }, (_, i) => i * 10));
});

test('checkpoint_interval_ms 0 under a steady trickle commits every batch on its own', async (t) => {
  const output = new RecordingOutput();
  const stage = new RecordingStage(true).enableGroup();
  const { pipeline, cursor, checkpoints } = setup(t, { checkpoint_interval_ms: 0 }, output, stage);
  pipeline.start();
  for (let b = 0; b < 5; b++) {
    await pipeline.sink(Array.from({ length: 10 }, (_, i) => line(b * 10 + i)));
    for (let i = 0; i < 100 && (cursor()?.offset ?? 0) < (b + 1) * 100; i++) await new Promise((r) => setTimeout(r, 5));
    t.is(cursor()?.offset, (b + 1) * 100);
  }
  await pipeline.drain();
  t.is(await checkpoints(), 5);
  t.is(stage.applied.length, 5);
});
