// Stateful stages: processing whose state must commit atomically with input positions
// (association counts, the learned enrichment cache), so a crash and replay never loses or
// double-counts anything.
//
// Contract, per batch, in strict line order:
//   takeBatch(events)  synchronously, right after the batch's lines were processed (and before the
//                      next batch is processed): returns the batch's token (its changes);
//   apply(token)       inside the store transaction that commits the batch's input positions,
//                      synchronous, store writes only; batches are applied in order;
//   applyGroup(tokens) optional: several consecutive batches committing in one transaction (group
//                      commit), in order; must leave the same state as apply() on each in turn;
//   committed(token)   after that transaction is durable, per batch.
// A batch that is never committed (crash, shutdown timeout) is never applied: the replay after
// restart produces the same tokens again.

import type { PipelineEvent } from './event.js';

export interface StatefulStage<T = unknown> {
  readonly name: string;
  takeBatch(events: readonly PipelineEvent[]): T;
  apply(token: T): void;
  applyGroup?(tokens: readonly T[]): void;
  committed?(token: T): void;
}
