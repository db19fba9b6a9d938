// The syslog stream listener: TCP, or TLS over TCP (node:tls; the same code path after the
// handshake).
//
// Data flow:   accept (at most max_connections) → per connection: socket chunks → FrameDecoder →
//              frames → RawLine[] → sink. While a connection's sink call is pending its socket is
//              paused, so the kernel buffers fill and the sender's writes stall: backpressure
//              reaches the sender instead of the agent dropping or buffering without bound.
// Positions:   network lines have none (`offset`/`end` 0, no cursor key or identity); document
//              ids are then content hashes (agent/pipeline/ids.ts), so a resent message is a 409.
// Delivery:    TCP syslog has no application acknowledgement: what is in flight in the network or
//              the kernel when the agent stops (or crashes) is lost. For a guarantee, senders
//              should write files the file input reads.

import { readFileSync } from 'node:fs';
import { createServer, type AddressInfo, type Server, type Socket } from 'node:net';
import { createSecureContext, createServer as createTlsServer, type TlsOptions } from 'node:tls';
import type { AgentContext } from '../../context.js';
import { describeError, SmfError } from '../../errors.js';
import type { RawLine } from '../../pipeline/event.js';
import type { Input, LineSink } from '../input.js';
import type { SyslogInputConfig } from './config.js';
import { FrameDecoder, type Frame } from './framing.js';
import { LogThrottle, more } from './throttle.js';

interface Connection {
  socket: Socket;
  peer: string;
  /** Sink calls not yet resolved; the socket reads only while this is 0. */
  pending: number;
  /** Sink calls of one connection run strictly one after another, in arrival order. */
  chain: Promise<void>;
  failed: boolean;
}

export class SyslogStreamInput implements Input {
  readonly name: string;
  private readonly server: Server;
  private readonly connections = new Set<Connection>();
  private readonly inFlight = new Set<Promise<void>>();
  private readonly refused: LogThrottle;
  private readonly handshakeFailures: LogThrottle;
  private sink: LineSink | undefined;
  private started: Promise<void> | undefined;
  private stopping: Promise<void> | undefined;
  private listening = false;

  constructor(
    private readonly config: SyslogInputConfig,
    private readonly ctx: AgentContext,
  ) {
    this.name = config.name;
    this.refused = new LogThrottle(ctx.clock);
    this.handshakeFailures = new LogThrottle(ctx.clock);
    if (config.protocol === 'tls') {
      this.server = createTlsServer(tlsOptions(config));
      this.server.on('secureConnection', (s: Socket) => this.accept(s));
      this.server.on('tlsClientError', (err: NodeJS.ErrnoException, s: Socket) => {
        const peer = s.remoteAddress !== undefined ? `${s.remoteAddress}:${s.remotePort}` : 'a client';
        // A peer that hangs up before any handshake is a port probe (health check, scanner): debug.
        if (err.code === 'ECONNRESET') ctx.logger.debug(`syslog input '${this.name}': ${peer} closed the connection before the TLS handshake`, { input: this.name });
        else this.handshakeFailures.hit((n) => ctx.logger.warn(`syslog input '${this.name}': TLS handshake with ${peer} failed: ${describeError(err)}${more(n)}`, { input: this.name }));
      });
    } else {
      this.server = createServer((s) => this.accept(s));
    }
    // net.Server closes connections over this bound itself (before any TLS handshake) and says so.
    this.server.maxConnections = config.max_connections;
    this.server.on('drop', (d) =>
      this.refused.hit((n) =>
        ctx.logger.warn(`syslog input '${this.name}': refused a connection from ${d?.remoteAddress}:${d?.remotePort}: max_connections (${config.max_connections}) reached${more(n)}`, { input: this.name }),
      ),
    );
  }

  /** Resolves once listening; a failure to listen is logged (the agent runs on without this input). */
  start(sink: LineSink): Promise<void> {
    this.started ??= new Promise<void>((resolve) => {
      this.sink = sink;
      const { host, port, protocol } = this.config;
      const failed = (err: Error) => {
        this.ctx.logger.error(`syslog input '${this.name}' cannot listen on ${protocol} ${host}:${port}: ${describeError(err)}`, { input: this.name });
        resolve();
      };
      this.server.once('error', failed);
      this.server.listen({ host, port }, () => {
        this.server.off('error', failed);
        this.server.on('error', (err) => this.ctx.logger.error(`syslog input '${this.name}': ${describeError(err)}`, { input: this.name }));
        this.listening = true;
        const a = this.address()!;
        this.ctx.logger.info(`syslog input '${this.name}' listening on ${protocol} ${a.address}:${a.port} (framing ${this.config.framing})`, { input: this.name });
        resolve();
      });
    });
    return this.started;
  }

  /** The bound address (port 0 in the config picks a free one), once listening. */
  address(): AddressInfo | undefined {
    const a = this.server.address();
    return a !== null && typeof a === 'object' ? a : undefined;
  }

  /** Stops accepting and reading; resolves when every line read so far is in the sink. */
  stop(): Promise<void> {
    this.stopping ??= this.shutdown();
    return this.stopping;
  }

  private async shutdown(): Promise<void> {
    await this.started;
    const closed = new Promise<void>((resolve) => (this.listening ? this.server.close(() => resolve()) : resolve()));
    for (const c of this.connections) c.socket.pause();
    while (this.inFlight.size > 0) await Promise.all(this.inFlight);
    // Bytes still unread (unframed, or in the kernel) are lost: TCP syslog has no acknowledgement.
    for (const c of this.connections) c.socket.destroy();
    await closed;
  }

  private accept(socket: Socket): void {
    if (this.stopping) {
      socket.destroy();
      return;
    }
    const conn: Connection = { socket, peer: `${socket.remoteAddress}:${socket.remotePort}`, pending: 0, chain: Promise.resolve(), failed: false };
    const decoder = new FrameDecoder({ framing: this.config.framing, maxBytes: this.config.max_message_bytes });
    const labels = { input: this.name };
    this.connections.add(conn);
    this.ctx.metrics.connections.inc(labels);
    this.ctx.logger.debug(`syslog input '${this.name}': connection from ${conn.peer}`, labels);
    socket.setKeepAlive(true, 60_000);
    socket.on('data', (chunk: Buffer) => {
      if (this.stopping || decoder.failed) return;
      this.ctx.metrics.bytesRead.inc(labels, chunk.length);
      const r = decoder.push(chunk);
      this.emit(conn, r.frames);
      if (r.error !== undefined) this.framingError(conn, r.error);
    });
    socket.on('end', () => {
      if (this.stopping || decoder.failed) return;
      const r = decoder.end();
      this.emit(conn, r.frames);
      if (r.error !== undefined) this.framingError(conn, r.error);
    });
    socket.on('error', (err: NodeJS.ErrnoException) => {
      const level = err.code === 'ECONNRESET' || err.code === 'EPIPE' ? 'debug' : 'warn';
      this.ctx.logger.log(level, `syslog input '${this.name}': connection from ${conn.peer}: ${describeError(err)}`, labels);
    });
    socket.on('close', () => {
      this.connections.delete(conn);
      this.ctx.metrics.connections.dec(labels);
    });
  }

  /** Hands frames to the sink after the connection's earlier ones; the socket stays paused meanwhile. */
  private emit(conn: Connection, frames: Frame[]): void {
    if (frames.length === 0) return;
    const now = this.ctx.clock.now();
    const lines: RawLine[] = frames.map((f) => ({
      text: f.text,
      bytes: f.bytes,
      source: { input: this.name, offset: 0, end: 0, peer: conn.peer },
      receivedAt: now,
      ...(f.tooLong ? { tooLong: true } : {}),
    }));
    this.ctx.metrics.linesRead.inc({ input: this.name }, lines.length);
    conn.pending++;
    conn.socket.pause();
    const sink = this.sink!;
    const done = conn.chain
      .then(() => (conn.failed ? undefined : sink(lines)))
      .then(
        () => {
          if (--conn.pending === 0 && !this.stopping) conn.socket.resume();
        },
        (err: unknown) => {
          conn.pending--;
          if (!conn.failed) this.ctx.logger.error(`syslog input '${this.name}': lines from ${conn.peer} could not be queued: ${describeError(err)}`, { input: this.name });
          conn.failed = true;
          conn.socket.destroy();
        },
      );
    conn.chain = done;
    this.inFlight.add(done);
    void done.then(() => this.inFlight.delete(done));
  }

  /** The frames before the error are kept (already emitted); the connection cannot go on. */
  private framingError(conn: Connection, error: string): void {
    this.ctx.metrics.framingErrors.inc({ input: this.name });
    this.ctx.logger.warn(`syslog input '${this.name}': closing the connection from ${conn.peer}: ${error}`, { input: this.name });
    // Destroy only once the lines already framed are queued: they are complete messages.
    void conn.chain.then(() => conn.socket.destroy());
  }
}

/** Reads the PEM files once, at creation: a bad certificate or key fails the start, not a handshake. */
function tlsOptions(config: SyslogInputConfig): TlsOptions {
  const t = config.tls!;
  const read = (key: string, path: string) => {
    try {
      return readFileSync(path);
    } catch (err) {
      throw new SmfError('SMF_ERR_INPUT', `syslog input '${config.name}': cannot read tls.${key} '${path}': ${describeError(err)}`, { cause: err });
    }
  };
  const options: TlsOptions = {
    cert: read('cert', t.cert),
    key: read('key', t.key),
    ...(t.ca !== undefined ? { ca: read('ca', t.ca) } : {}),
    requestCert: t.client_auth !== 'none',
    rejectUnauthorized: t.client_auth === 'required',
  };
  try {
    createSecureContext(options); // parses the key and certificates now
  } catch (err) {
    throw new SmfError('SMF_ERR_INPUT', `syslog input '${config.name}': invalid TLS certificate or key (tls.cert '${t.cert}', tls.key '${t.key}'): ${describeError(err)}`, { cause: err });
  }
  return options;
}
