// The syslog UDP listener. One datagram is one message (RFC 5426); a trailing LF or CRLF is
// trimmed, empty datagrams are ignored, longer ones are cut and flagged `tooLong`.
//
// Data flow:   datagram → DatagramSpool (memory, then spool file) → drain loop → sink.
// UDP cannot push back: while the sink is busy, datagrams wait in the spool (bounded by
// udp_spool.memory_bytes and udp_spool.max_bytes) and are handed on in arrival order once it
// frees up. What the spool cannot hold is dropped, counted (`dropped`, reason udp_spool_full)
// and logged (rate-limited). The spool is scratch space: it survives no restart, and what it
// holds when the agent's shutdown timeout expires is counted as dropped (reason udp_shutdown).
// UDP is at-most-once by nature: the kernel also drops datagrams its socket buffer cannot hold,
// and nobody counts those.

import { createSocket, type Socket } from 'node:dgram';
import { isIPv6, type AddressInfo } from 'node:net';
import { join } from 'node:path';
import type { AgentContext } from '../../context.js';
import { describeError } from '../../errors.js';
import type { RawLine } from '../../pipeline/event.js';
import type { Input, LineSink } from '../input.js';
import type { SyslogInputConfig } from './config.js';
import { DatagramSpool, type Datagram } from './spool.js';
import { LogThrottle, more } from './throttle.js';

const BATCH_LINES = 1000;
const BATCH_BYTES = 1024 * 1024;

export class SyslogUdpInput implements Input {
  readonly name: string;
  /** Read-only outside this class (tests look at its size). */
  readonly spool: DatagramSpool;
  private readonly socket: Socket;
  private readonly drops: LogThrottle;
  private started: Promise<void> | undefined;
  private loop: Promise<void> | undefined;
  private stopping: Promise<void> | undefined;
  private closed = false;
  private wake: (() => void) | undefined;

  /** `dataDir` is agent.data_dir: the default spool directory is <data_dir>/spool/<input name>. */
  constructor(
    private readonly config: SyslogInputConfig,
    private readonly ctx: AgentContext,
    dataDir: string,
  ) {
    this.name = config.name;
    const dir = config.udp_spool.dir ?? join(dataDir, 'spool', config.name);
    this.spool = new DatagramSpool({ memoryBytes: config.udp_spool.memory_bytes, maxFileBytes: config.udp_spool.max_bytes, path: join(dir, 'udp.spool') });
    this.drops = new LogThrottle(ctx.clock);
    this.socket = createSocket({ type: isIPv6(config.host) ? 'udp6' : 'udp4' });
    this.socket.on('message', (msg, rinfo) => this.receive(msg, `${rinfo.address}:${rinfo.port}`));
  }

  /** Resolves once bound; a failure to bind is logged (the agent runs on without this input). */
  start(sink: LineSink): Promise<void> {
    this.started ??= new Promise<void>((resolve) => {
      const { host, port } = this.config;
      const failed = (err: Error) => {
        this.ctx.logger.error(`syslog input '${this.name}' cannot listen on udp ${host}:${port}: ${describeError(err)}`, { input: this.name });
        this.closed = true;
        resolve();
      };
      this.socket.once('error', failed);
      this.socket.bind({ address: host, port }, () => {
        this.socket.off('error', failed);
        this.socket.on('error', (err) => this.ctx.logger.error(`syslog input '${this.name}': ${describeError(err)}`, { input: this.name }));
        const a = this.address()!;
        this.ctx.logger.info(`syslog input '${this.name}' listening on udp ${a.address}:${a.port}`, { input: this.name });
        this.loop = this.drain(sink);
        resolve();
      });
    });
    return this.started;
  }

  address(): AddressInfo | undefined {
    try {
      return this.socket.address();
    } catch {
      return undefined; // not bound
    }
  }

  /** Stops receiving, hands what the spool holds to the sink, deletes the spool file. */
  stop(): Promise<void> {
    this.stopping ??= (async () => {
      await this.started;
      this.closed = true;
      await new Promise<void>((resolve) => {
        try {
          this.socket.close(() => resolve());
        } catch {
          resolve(); // never bound, or already closed
        }
      });
      this.wake?.();
      await this.loop;
      const lost = this.spool.close();
      if (lost > 0) this.ctx.metrics.dropped.inc({ input: this.name, reason: 'udp_shutdown' }, lost);
    })();
    return this.stopping;
  }

  private receive(msg: Buffer, peer: string): void {
    if (this.closed) return;
    const labels = { input: this.name };
    this.ctx.metrics.bytesRead.inc(labels, msg.length);
    let len = msg.length;
    if (len > 0 && msg[len - 1] === 0x0a) len--;
    if (len > 0 && msg[len - 1] === 0x0d) len--;
    if (len === 0) return;
    const tooLong = len > this.config.max_message_bytes;
    // A copy only when cut: otherwise the datagram's own buffer is kept (it is not reused).
    const data = tooLong ? Buffer.from(msg.subarray(0, this.config.max_message_bytes)) : msg.subarray(0, len);
    this.ctx.metrics.linesRead.inc(labels);
    let result: string;
    try {
      result = this.spool.push({ data, tooLong, receivedAt: this.ctx.clock.now(), peer });
    } catch (err) {
      this.drop('udp_spool_error', `the spool file could not be written: ${describeError(err)}`);
      return;
    }
    if (result === 'full') this.drop('udp_spool_full', `the spool is full (udp_spool.memory_bytes ${this.config.udp_spool.memory_bytes}, max_bytes ${this.config.udp_spool.max_bytes})`);
    this.wake?.();
  }

  private drop(reason: string, why: string, count = 1): void {
    this.ctx.metrics.dropped.inc({ input: this.name, reason }, count);
    this.drops.hit((n) => this.ctx.logger.warn(`syslog input '${this.name}': dropped ${count} datagram(s): ${why}${more(n)}`, { input: this.name }));
  }

  /** One sink call at a time, oldest datagrams first; ends when stopped and empty, or when the agent aborts. */
  private async drain(sink: LineSink): Promise<void> {
    for (;;) {
      if (this.ctx.signal.aborted) return; // shutdown timeout: stop() counts what is left
      let batch: Datagram[];
      try {
        batch = this.spool.take(BATCH_LINES, BATCH_BYTES);
      } catch (err) {
        this.drop('udp_spool_error', `the spool file could not be read: ${describeError(err)}`, this.spool.close());
        continue;
      }
      if (batch.length === 0) {
        if (this.closed) return;
        await new Promise<void>((resolve) => (this.wake = resolve));
        this.wake = undefined;
        continue;
      }
      const lines: RawLine[] = batch.map((d) => ({
        text: d.data.toString('utf8'),
        bytes: d.data.length,
        source: { input: this.name, offset: 0, end: 0, peer: d.peer },
        receivedAt: d.receivedAt,
        ...(d.tooLong ? { tooLong: true } : {}),
      }));
      try {
        await sink(lines);
      } catch (err) {
        this.ctx.logger.error(`syslog input '${this.name}': datagrams could not be queued: ${describeError(err)}`, { input: this.name });
        this.ctx.metrics.dropped.inc({ input: this.name, reason: 'udp_shutdown' }, lines.length);
        return;
      }
    }
  }
}
