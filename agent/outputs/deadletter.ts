// The dead-letter sink: lines and documents that could not become indexed events, each kept
// with its original text and the reason, in a JSON-lines file and/or an Elasticsearch index.
// The index has a fixed, conflict-free mapping (mappings/deadletter.json) so that a dead letter
// itself is never refused; if it still is, the record goes to the file (if any) and is logged.

import { appendFileSync, fsyncSync, mkdirSync, openSync, closeSync } from 'node:fs';
import { dirname } from 'node:path';
import type { AgentContext } from '../context.js';
import { describeError } from '../errors.js';
import { deliver, type DeliveryOptions } from '../pipeline/delivery.js';
import type { DeadLetter, PipelineEvent } from '../pipeline/event.js';
import { eventId } from '../pipeline/ids.js';
import type { DeadLetterSink } from '../pipeline/pipeline.js';
import type { Output } from '../pipeline/outcome.js';

const MAX_ORIGINAL = 32 * 1024;

export interface DeadLetterDoc {
  '@timestamp': string;
  event: { kind: 'pipeline_error'; created: string; original: string; dataset: 'smf_agent.deadletter' };
  error: { type: string; message: string };
  deadletter: { stage: string; input: string; truncated: boolean; too_long: boolean; document?: string };
  log?: { file?: { path: string }; offset: number };
}

export function deadLetterDoc(d: DeadLetter, now: number): DeadLetterDoc {
  const created = new Date(now).toISOString();
  const truncated = d.line.text.length > MAX_ORIGINAL;
  return {
    '@timestamp': new Date(d.line.receivedAt).toISOString(),
    event: { kind: 'pipeline_error', created, original: truncated ? d.line.text.slice(0, MAX_ORIGINAL) : d.line.text, dataset: 'smf_agent.deadletter' },
    error: { type: d.code, message: d.reason },
    deadletter: {
      stage: d.stage,
      input: d.line.source.input,
      truncated,
      too_long: d.line.tooLong === true,
      ...(d.document !== undefined ? { document: d.document.slice(0, MAX_ORIGINAL) } : {}),
    },
    ...(d.line.source.path !== undefined ? { log: { file: { path: d.line.source.path }, offset: d.line.source.offset } } : {}),
  };
}

export class DeadLetterWriter implements DeadLetterSink {
  constructor(
    private readonly ctx: AgentContext,
    private readonly opts: { file?: string; output?: Output; delivery: DeliveryOptions },
  ) {
    if (opts.file) mkdirSync(dirname(opts.file), { recursive: true });
  }

  async write(records: DeadLetter[], signal: AbortSignal): Promise<void> {
    const now = this.ctx.clock.now();
    const docs = records.map((r) => ({ r, doc: deadLetterDoc(r, now) }));
    if (this.opts.file) {
      this.appendDurably(docs.map((d) => d.doc));
      this.ctx.metrics.deadLettered.inc({ destination: 'file' }, docs.length);
    }
    if (this.opts.output) {
      const events: PipelineEvent[] = docs.map(({ r, doc }) => ({
        id: eventId(r.line, `\u0000dl:${r.stage}`),
        doc: doc as unknown as PipelineEvent['doc'],
        json: JSON.stringify(doc),
        line: r.line,
      }));
      const result = await deliver(this.opts.output, events, this.opts.delivery, { ...this.ctx, signal });
      this.ctx.metrics.deadLettered.inc({ destination: 'elasticsearch' }, result.delivered + result.duplicates);
      for (const refused of result.deadLetters) {
        // Should not happen with the dead-letter mapping; never lose it silently.
        this.ctx.logger.error(`dead-letter index refused a record (${refused.code}: ${refused.reason})`, { input: refused.line.source.input });
        if (this.opts.file) this.appendDurably([deadLetterDoc({ ...refused, stage: 'output' }, now)]);
        else this.ctx.metrics.dropped.inc({ input: refused.line.source.input, reason: 'dead_letter_refused' });
      }
    }
  }

  private appendDurably(docs: DeadLetterDoc[]): void {
    const file = this.opts.file!;
    try {
      appendFileSync(file, docs.map((d) => JSON.stringify(d)).join('\n') + '\n');
      const fd = openSync(file, 'r');
      fsyncSync(fd);
      closeSync(fd);
    } catch (err) {
      this.ctx.logger.error(`cannot write dead-letter file ${file}: ${describeError(err)}`);
      throw err;
    }
  }

  async close(): Promise<void> {
    await this.opts.output?.close();
  }
}
