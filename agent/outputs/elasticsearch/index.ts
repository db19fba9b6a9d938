// The Elasticsearch output: bulk `create` requests with our deterministic ids, chunked by events
// and bytes, sent with bounded concurrency, answered with one outcome per event.
// Events use `create` (not `index`) so a replay is answered 409 instead of rewriting the document,
// and so the same code writes to data streams, which accept only `create`. Documents that are
// state snapshots (associations, definition rows, anomalies) use `index`: the newest write wins.

import type { Client } from '@elastic/elasticsearch';
import PQueue from 'p-queue';
import type { ElasticsearchConfig } from '../../config/schema.js';
import type { AgentContext } from '../../context.js';
import { describeError } from '../../errors.js';
import type { PipelineEvent } from '../../pipeline/event.js';
import type { ItemOutcome, Output } from '../../pipeline/outcome.js';
import { classifyItem, requestFailureReason, type BulkItemResult } from './classify.js';
import { createClient } from './client.js';

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

  constructor(
    private readonly config: ElasticsearchConfig,
    private readonly ctx: Pick<AgentContext, 'logger' | 'metrics'>,
    client?: Client,
    opts: { op?: 'create' | 'index'; name?: string } = {},
  ) {
    this.client = client ?? createClient(settingsOf(config));
    this.ownsClient = client === undefined;
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
    for (let i = from; i < to; i++) {
      const ev = events[i]!;
      operations.push(`${this.actionLine}${JSON.stringify(ev.id)}}}`, ev.json);
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
      this.ctx.logger.warn(`bulk request of ${to - from} events failed: ${describeError(err)}`, { output: this.name, reason });
      for (let i = from; i < to; i++) out[i] = { kind: 'retry', reason };
    }
  }

  /** Waits for requests in flight; closes the client only when this output created it. */
  async close(): Promise<void> {
    await this.queue.onIdle();
    if (this.ownsClient) await this.client.close();
  }
}
