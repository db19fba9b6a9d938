// The stdin input: lines piped into the agent (`zcat feed.gz | smf-agent run …`).
//
// Data flow:   stdin chunks → newline framing (the syslog input's FrameDecoder: LF or CRLF, empty
//              lines skipped, lines over max_line_bytes cut and flagged `tooLong`, so memory stays
//              bounded) → sink, awaited before the next chunk is read (backpressure: the writer
//              of the pipe blocks). A chunk's lines go to the sink as one batch.
// Positions:   none (no cursor key or identity): stdin cannot be re-read after a restart, and ids
//              are content hashes, so identical lines collapse into one document.
// End:         at end of input the input is done and says so in the log; the agent keeps running
//              (other inputs, delivery of what was read) until it is stopped (SIGTERM), even when
//              stdin was its only input. Configure at most one stdin input: two would share, not
//              copy, the stream.

import type { Readable } from 'node:stream';
import type { AgentContext } from '../../context.js';
import { describeError } from '../../errors.js';
import type { RawLine } from '../../pipeline/event.js';
import { FrameDecoder, type Frame } from '../syslog/framing.js';
import type { Input, LineSink } from '../input.js';
import type { StdinInputConfig } from './config.js';

export class StdinInput implements Input {
  readonly name: string;
  private loop: Promise<void> | undefined;
  private stopped = false;
  private lines = 0;
  /** Holds the event loop open once stdin has ended, until stop(): Node would otherwise exit when idle. */
  private keepAlive: NodeJS.Timeout | undefined;

  constructor(
    private readonly config: StdinInputConfig,
    private readonly ctx: AgentContext,
    private readonly stream: Readable = process.stdin,
  ) {
    this.name = config.name;
  }

  start(sink: LineSink): void {
    this.loop ??= this.run(sink).catch((err) => {
      if (!this.stopped) this.ctx.logger.error(`stdin input '${this.name}' stopped on an error: ${describeError(err)}`, { input: this.name });
    });
  }

  /** Stops reading (the stream is destroyed); resolves once the last sink call has returned. */
  async stop(): Promise<void> {
    this.stopped = true;
    clearInterval(this.keepAlive);
    if (!this.stream.readableEnded) this.stream.destroy();
    await this.loop;
  }

  private async run(sink: LineSink): Promise<void> {
    const decoder = new FrameDecoder({ framing: 'newline', maxBytes: this.config.max_line_bytes });
    for await (const chunk of this.stream as AsyncIterable<Buffer | string>) {
      if (this.stopped) return;
      const buf = typeof chunk === 'string' ? Buffer.from(chunk) : chunk;
      this.ctx.metrics.bytesRead.inc({ input: this.name }, buf.length);
      await this.emit(sink, decoder.push(buf).frames);
    }
    if (this.stopped) return;
    await this.emit(sink, decoder.end().frames);
    if (!this.stopped) this.keepAlive = setInterval(() => {}, 2 ** 31 - 1);
    this.ctx.logger.info(`stdin input '${this.name}': end of input after ${this.lines} lines; this input is done (the agent runs until stopped)`, { input: this.name });
  }

  private async emit(sink: LineSink, frames: Frame[]): Promise<void> {
    if (frames.length === 0) return;
    const now = this.ctx.clock.now();
    const lines: RawLine[] = frames.map((f) => ({
      text: f.text,
      bytes: f.bytes,
      source: { input: this.name, offset: 0, end: 0 },
      receivedAt: now,
      ...(f.tooLong ? { tooLong: true } : {}),
    }));
    this.lines += lines.length;
    this.ctx.metrics.linesRead.inc({ input: this.name }, lines.length);
    await sink(lines);
  }
}
