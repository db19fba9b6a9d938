// The Elasticsearch output: bulk `create` requests with our deterministic ids, chunked by events
// and bytes, sent with bounded concurrency, answered with one outcome per event.
// Events use `create` (not `index`) so a replay is answered 409 instead of rewriting the document,
// and so the same code writes to data streams, which accept only `create`. Documents that are
// state snapshots (associations, definition rows, anomalies) use `index`: the newest write wins.
// A request refused as too large (413) is split in halves until it fits; a single document that
// still does not fit is rejected (dead-lettered), since no retry could ever deliver it.
// Failure descriptions are redacted (redact.ts) before they are logged.

import type { Client } from '@elastic/elasticsearch';
import PQueue from 'p-queue';
import type { ElasticsearchConfig } from '../../config/schema.js';
import type { AgentContext } from '../../context.js';
import { describeError } from '../../errors.js';
import type { PipelineEvent } from '../../pipeline/event.js';
import type { RetryOutcome } from '../../pipeline/delivery.js';
import type { ItemOutcome, Output } from '../../pipeline/outcome.js';
import { classifyItem, requestFailureReason, retryAfterMs, type BulkItemResult } from './classify.js';
import { createClient } from './client.js';
import { redact, secretsOf } from './redact.js';

export function settingsOf(c: ElasticsearchConfig) {
  return {
    hosts: c.hosts,
    ...(c.username ? { username: c.username, password: c.password ?? '' } : {}),
    ...(c.api_key ? { apiKey: c.api_key } : {}),
    ...(c.ca_cert ? { caCert: c.ca_cert } : {}),
    verifyCertificate: c.verify_certificate,
    requestTimeoutMs: c.request_timeout_ms,
  };
}

export class ElasticsearchOutput implements Output {
  readonly name: string = 'elasticsearch';
  readonly client: Client;
  private readonly queue: PQueue;
  private readonly actionLine: string;
  private readonly ownsClient: boolean;
  private readonly secrets: string[];

  constructor(
    private readonly config: ElasticsearchConfig,
    private readonly ctx: Pick<AgentContext, 'logger' | 'metrics'>,
    client?: Client,
    opts: { op?: 'create' | 'index'; name?: string } = {},
  ) {
    this.client = client ?? createClient(settingsOf(config));
    this.ownsClient = client === undefined;
    this.secrets = secretsOf(settingsOf(config));
    this.queue = new PQueue({ concurrency: config.concurrency });
    this.actionLine = `{"${opts.op ?? 'create'}":{"_index":${JSON.stringify(config.index)},"_id":`;
    if (opts.name) this.name = opts.name;
  }

  async publish(events: readonly PipelineEvent[], signal: AbortSignal): Promise<ItemOutcome[]> {
    const outcomes: ItemOutcome[] = new Array(events.length);
    const jobs: Promise<void>[] = [];
    let start = 0;
    let bytes = 0;
    for (let i = 0; i <= events.length; i++) {
      const size = i < events.length ? events[i]!.json.length + 80 : 0;
      const full = i - start >= this.config.bulk_max_events || (i > start && bytes + size > this.config.bulk_max_bytes);
      if (i === events.length || full) {
        if (i > start) {
          const from = start;
          const to = i;
          jobs.push(this.queue.add(() => this.sendChunk(events, from, to, outcomes, signal)) as Promise<void>);
        }
        start = i;
        bytes = 0;
      }
      bytes += size;
    }
    await Promise.all(jobs);
    return outcomes;
  }

  private async sendChunk(events: readonly PipelineEvent[], from: number, to: number, out: ItemOutcome[], signal: AbortSignal): Promise<void> {
    const operations: string[] = [];
    let bytes = 0;
    for (let i = from; i < to; i++) {
      const ev = events[i]!;
      const action = `${this.actionLine}${JSON.stringify(ev.id)}}}`;
      operations.push(action, ev.json);
      bytes += Buffer.byteLength(action) + Buffer.byteLength(ev.json) + 2;
    }
    try {
      const res = await this.client.bulk(
        { operations, filter_path: 'errors,items.*.status,items.*.error' },
        { signal },
      );
      const items = res.items ?? [];
      for (let i = from; i < to; i++) {
        const item = items[i - from];
        const result = item ? (Object.values(item)[0] as BulkItemResult | undefined) : undefined;
        // Without an item the request succeeded with no errors and filter_path dropped nothing useful.
        out[i] = result ? classifyItem(result) : res.errors ? { kind: 'retry', reason: 'missing_item' } : { kind: 'ok' };
      }
    } catch (err) {
      const reason = requestFailureReason(err);
      this.ctx.metrics.requestFailures.inc({ output: this.name, reason });
      if (reason === 'es_413' && !signal.aborted) return this.splitTooLarge(events, from, to, bytes, out, signal);
      this.ctx.logger.warn(`bulk request of ${to - from} events failed: ${redact(describeError(err), this.secrets)}`, { output: this.name, reason });
      const after = retryAfterMs(err);
      const outcome: RetryOutcome = after === undefined ? { kind: 'retry', reason } : { kind: 'retry', reason, retryAfterMs: after };
      for (let i = from; i < to; i++) out[i] = outcome;
    }
  }

  /** 413: send each half (in turn, in this queue slot); one document alone is refused for good. */
  private async splitTooLarge(events: readonly PipelineEvent[], from: number, to: number, bytes: number, out: ItemOutcome[], signal: AbortSignal): Promise<void> {
    if (to - from === 1) {
      this.ctx.logger.warn(`a document of ${bytes} bytes is larger than Elasticsearch accepts in one request (HTTP 413); dead-lettering it`, { output: this.name });
      out[from] = { kind: 'reject', code: 'request_too_large', reason: `bulk request with this single document (${bytes} bytes) refused with HTTP 413 (request too large)` };
      return;
    }
    this.ctx.logger.warn(`bulk request of ${to - from} events (${bytes} bytes) refused as too large (HTTP 413); splitting it. Lower output.elasticsearch.bulk_max_bytes below the server's limit.`, {
      output: this.name,
    });
    const mid = from + Math.ceil((to - from) / 2);
    await this.sendChunk(events, from, mid, out, signal);
    await this.sendChunk(events, mid, to, out, signal);
  }

  /** Waits for requests in flight; closes the client only when this output created it. */
  async close(): Promise<void> {
    await this.queue.onIdle();
    if (this.ownsClient) await this.client.close();
  }
}
