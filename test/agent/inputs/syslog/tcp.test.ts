// The TCP/TLS syslog listener on real sockets (127.0.0.1, port 0): frames become lines in order,
// a busy sink stops the socket and stalls the sender (backpressure, no loss), connections are
// bounded, TLS uses the same path, and a framing error closes only its connection.
import test from 'ava';
import { once } from 'node:events';
import { readFileSync, writeFileSync } from 'node:fs';
import { connect, type Socket } from 'node:net';
import { join } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { connect as tlsConnect, type TLSSocket } from 'node:tls';
import type { Gauge } from 'prom-client';
import { isSmfError } from '../../../../agent/errors.js';
import { SyslogStreamInput } from '../../../../agent/inputs/syslog/tcp.js';
import { total } from '../../../../agent/telemetry/metrics.js';
import { recordingContext, recordingSink, selfSigned, syslogConfig, until } from './helpers.js';

async function listening(over: Record<string, unknown> = {}) {
  const { ctx, logs } = recordingContext();
  const input = new SyslogStreamInput(syslogConfig(over), ctx);
  const rec = recordingSink();
  await input.start(rec.sink);
  const port = input.address()!.port;
  return { ctx, logs, input, rec, port };
}

async function client(port: number): Promise<Socket> {
  const s = connect({ host: '127.0.0.1', port });
  await once(s, 'connect');
  return s;
}

test('newline frames become lines in order, with the peer and no position', async (t) => {
  const { input, rec, port, ctx } = await listening({ framing: 'newline' });
  const c = await client(port);
  c.end('<13>Mar  3 09:04:05 SYSA one\r\ntwo\n\nthr');
  await until(() => rec.lines.length === 3, '3 lines');
  t.deepEqual(rec.lines.map((l) => l.text), ['<13>Mar  3 09:04:05 SYSA one', 'two', 'thr']);
  const l = rec.lines[0]!;
  t.deepEqual({ ...l.source, peer: undefined }, { input: 'net', offset: 0, end: 0, peer: undefined });
  t.regex(l.source.peer ?? '', /^127\.0\.0\.1:\d+$/);
  t.is(l.source.cursorKey, undefined);
  t.true(Math.abs(l.receivedAt - Date.now()) < 5000);
  t.is(await total(ctx.metrics.linesRead), 3);
  t.is(await total(ctx.metrics.bytesRead), Buffer.byteLength('<13>Mar  3 09:04:05 SYSA one\r\ntwo\n\nthr'));
  await input.stop();
});

for (const protocol of ['tcp', 'tls'] as const) {
  test(`backpressure (${protocol}): a blocked sink pauses the socket, the sender stalls; on release every frame arrives in order`, async (t) => {
    t.timeout(120_000);
    const certs = protocol === 'tls' ? selfSigned() : undefined;
    const { input, rec, port, ctx } = await listening({ framing: 'newline', protocol, ...(certs ? { tls: { cert: certs.cert, key: certs.key } } : {}) });
    rec.block();
    const c: Socket = certs ? tlsConnect({ host: '127.0.0.1', port, ca: [readPem(certs.cert)] }) : await client(port);
    if (certs) await once(c, 'secureConnect');
    const frame = (i: number) => `<13>Mar  3 09:04:05 SYSA msg ${i} ${'x'.repeat(200)}`;
    let sent = 0;
    // Write until the sender's buffer stays full: the kernel buffers on both sides are full too.
    for (let stalled = false; !stalled; ) {
      while (c.write(`${frame(sent)}\n`)) sent++;
      sent++;
      stalled = !(await Promise.race([once(c, 'drain').then(() => true), sleep(700).then(() => false)]));
      if (sent > 500_000) throw new Error(`the sender never stalled (${sent} frames written)`);
    }
    const read1 = await total(ctx.metrics.bytesRead);
    await sleep(500);
    const read2 = await total(ctx.metrics.bytesRead);
    t.is(read2, read1, 'nothing more is read from the socket while the sink is blocked');
    t.true(c.writableLength > 0, 'the client holds unsent data');
    t.is(rec.calls, 1, 'one sink call in flight per connection');
    t.true(read1 < sent * 200, `read ${read1} bytes of about ${sent * 230} written`);
    t.log(`${protocol}: stalled after ${read1} bytes read of ${sent} frames written; ${c.writableLength} bytes waiting in the client`);

    rec.release();
    c.end();
    await until(() => rec.lines.length === sent, `${sent} lines`, 60_000);
    t.true(rec.lines.every((l, i) => l.text === frame(i)), 'all frames, in order');
    t.is(await total(ctx.metrics.linesRead), sent);
    await input.stop();
  });
}

test('connections over max_connections are refused with a log line; the others keep working', async (t) => {
  const { input, rec, port, ctx, logs } = await listening({ max_connections: 2, framing: 'octet-counting' });
  const a = await client(port);
  const b = await client(port);
  await until(async () => (await gauge(ctx.metrics.connections)) === 2, 'two connections');
  await closed(connect({ host: '127.0.0.1', port }));
  await until(() => logs.some((l) => /refused a connection from 127\.0\.0\.1:\d+: max_connections \(2\) reached/.test(l)), 'refusal logged');
  a.end('3 one');
  b.end('3 two');
  await until(() => rec.lines.length === 2, 'lines from the accepted connections');
  t.deepEqual(rec.lines.map((l) => l.text).sort(), ['one', 'two']);
  await until(async () => (await gauge(ctx.metrics.connections)) === 0, 'connections gauge back to 0');
  await input.stop();
  t.pass();
});

test('a garbage length prefix closes that connection after its complete frames, and is counted', async (t) => {
  const { input, rec, port, ctx, logs } = await listening({ framing: 'octet-counting' });
  const bad = await client(port);
  const good = await client(port);
  bad.write('5 hello5 world<13>garbage\n');
  await closed(bad);
  good.end('4 fine');
  await until(() => rec.lines.length === 3, 'three lines');
  t.deepEqual(rec.lines.map((l) => l.text), ['hello', 'world', 'fine']);
  t.is(await total(ctx.metrics.framingErrors, { input: 'net' }), 1);
  t.true(logs.some((l) => /^warn .*closing the connection from 127\.0\.0\.1:\d+: invalid octet-counting frame starting at byte 14/.test(l)), logs.join('\n'));
  await input.stop();
});

test('an over-long message is cut to max_message_bytes and flagged; the next one is intact', async (t) => {
  const { input, rec, port } = await listening({ max_message_bytes: 256 });
  const c = await client(port);
  c.end(`${'a'.repeat(1000)}\nnext\n`);
  await until(() => rec.lines.length === 2, 'two lines');
  t.deepEqual(rec.lines.map((l) => [l.text.length, l.tooLong ?? false]), [[256, true], [4, false]]);
  await input.stop();
});

test('stop: no new connections, open ones are closed, pending sink calls complete first; idempotent', async (t) => {
  const { input, rec, port } = await listening();
  rec.block();
  const c = await client(port);
  c.on('error', () => {});
  c.write('first\n');
  await until(() => rec.calls === 1, 'a sink call');
  let stopped = false;
  const stopping = input.stop().then(() => (stopped = true));
  await sleep(100);
  t.false(stopped, 'stop waits for the pending sink call');
  rec.release();
  await stopping;
  await input.stop();
  t.deepEqual(rec.lines.map((l) => l.text), ['first']);
  await closed(c);
  const refused = connect({ host: '127.0.0.1', port });
  const [err] = (await once(refused, 'error')) as [NodeJS.ErrnoException];
  t.is(err.code, 'ECONNREFUSED');
});

test('a port in use is logged as an error, start still resolves', async (t) => {
  const first = await listening();
  const { ctx, logs } = recordingContext();
  const second = new SyslogStreamInput(syslogConfig({ port: first.port }), ctx);
  await second.start(async () => {});
  t.true(logs.some((l) => /^error syslog input 'net' cannot listen on tcp 127\.0\.0\.1:\d+: .*EADDRINUSE/.test(l)), logs.join('\n'));
  await second.stop();
  await first.input.stop();
});

test('TLS: octet-counted frames over a verified connection arrive like plain TCP', async (t) => {
  const { cert, key } = selfSigned();
  const { input, rec, port, ctx } = await listening({ protocol: 'tls', framing: 'auto', tls: { cert, key } });
  const s = tlsConnect({ host: '127.0.0.1', port, ca: [readPem(cert)] });
  await once(s, 'secureConnect');
  const msgs = ['<13>1 2025-03-03T09:04:05Z MVS1 zSecure - C2P0815 - Grüße', 'LEEF:1.0|IBM|z/OS|3.1.0|80-1|usrName=IBMUSER'];
  s.end(msgs.map((m) => `${Buffer.byteLength(m)} ${m}`).join(''));
  await until(() => rec.lines.length === 2, 'two lines');
  t.deepEqual(rec.lines.map((l) => l.text), msgs);
  t.is(await total(ctx.metrics.linesRead), 2);
  await input.stop();
});

test('TLS with client_auth required: a client without a certificate is refused, one with a trusted certificate is served', async (t) => {
  const server = selfSigned();
  const clientCert = selfSigned('smf-client');
  const { input, rec, port, logs } = await listening({ protocol: 'tls', tls: { cert: server.cert, key: server.key, ca: clientCert.cert, client_auth: 'required' } });
  const anonymous: TLSSocket = tlsConnect({ host: '127.0.0.1', port, ca: [readPem(server.cert)] });
  anonymous.on('error', () => {});
  anonymous.write('sneaky\n');
  await closed(anonymous);
  const trusted = tlsConnect({ host: '127.0.0.1', port, ca: [readPem(server.cert)], cert: readPem(clientCert.cert), key: readPem(clientCert.key) });
  await once(trusted, 'secureConnect');
  trusted.end('welcome\n');
  await until(() => rec.lines.length === 1, 'one line');
  t.deepEqual(rec.lines.map((l) => l.text), ['welcome']);
  await until(() => logs.some((l) => /TLS handshake with 127\.0\.0\.1:\d+ failed/.test(l)), 'handshake failure logged');
  await input.stop();
});

test('TLS: a key that is not a key fails when the input is created, naming the files', (t) => {
  const { dir, cert } = selfSigned();
  const badKey = join(dir, 'bad.pem');
  writeFileSync(badKey, 'not a key\n');
  const { ctx } = recordingContext();
  const err = t.throws(() => new SyslogStreamInput(syslogConfig({ protocol: 'tls', tls: { cert, key: badKey } }), ctx));
  t.true(isSmfError(err, 'SMF_ERR_INPUT'));
  t.regex(err!.message, /invalid TLS certificate or key \(tls\.cert '.*cert\.pem', tls\.key '.*bad\.pem'\)/);
});

async function gauge(g: Gauge<string>): Promise<number> {
  return (await g.get()).values.reduce((sum, v) => sum + v.value, 0);
}

/** Resolves when the socket has closed (whatever error closed it). */
function closed(s: Socket): Promise<void> {
  s.on('error', () => {});
  return s.closed ? Promise.resolve() : new Promise((r) => s.once('close', () => r()));
}

function readPem(path: string): string {
  return readFileSync(path, 'utf8');
}
