// The UDP syslog listener and its spool: a busy sink parks datagrams in memory, then in the spool
// file, and they are all delivered in order once it frees up; beyond the bounds, drops are counted.
import test from 'ava';
import { createSocket, type Socket } from 'node:dgram';
import { existsSync, mkdtempSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { setImmediate as tick } from 'node:timers/promises';
import { DatagramSpool, type Datagram } from '../../../../agent/inputs/syslog/spool.js';
import { SyslogUdpInput } from '../../../../agent/inputs/syslog/udp.js';
import { total } from '../../../../agent/telemetry/metrics.js';
import { recordingContext, recordingSink, syslogConfig, until } from './helpers.js';

async function listening(over: Record<string, unknown> = {}) {
  const dataDir = mkdtempSync(join(tmpdir(), 'smf-udp-'));
  const { ctx, logs } = recordingContext();
  const input = new SyslogUdpInput(syslogConfig({ protocol: 'udp', ...over }), ctx, dataDir);
  const rec = recordingSink();
  await input.start(rec.sink);
  const sender = createSocket('udp4');
  const port = input.address()!.port;
  return { ctx, logs, input, rec, dataDir, sender, port, spoolFile: join(dataDir, 'spool', 'net', 'udp.spool') };
}

/** Sends one by one, yielding to the event loop so the receiver keeps up (the kernel drops UDP it cannot buffer). */
async function send(sender: Socket, port: number, messages: (string | Buffer)[]): Promise<void> {
  for (const [i, m] of messages.entries()) {
    await new Promise<void>((resolve, reject) => sender.send(m, port, '127.0.0.1', (err) => (err ? reject(err) : resolve())));
    if (i % 10 === 9) await tick();
  }
}

const msg = (i: number) => `<13>Mar  3 09:04:05 SYSA datagram ${i} ${'d'.repeat(80)}`;

test('one datagram is one line: trailing LF/CRLF trimmed, empty ignored, over-long cut and flagged, peer kept', async (t) => {
  const { input, rec, sender, port } = await listening({ max_message_bytes: 256 });
  await send(sender, port, ['first\r\n', '', 'multi\nline\n', 'x'.repeat(300)]);
  await until(() => rec.lines.length === 3, 'three lines');
  t.deepEqual(rec.lines.map((l) => [l.text.length > 20 ? `${l.text.length}` : l.text, l.tooLong ?? false]), [['first', false], ['multi\nline', false], ['256', true]]);
  t.regex(rec.lines[0]!.source.peer ?? '', /^127\.0\.0\.1:\d+$/);
  t.deepEqual({ ...rec.lines[0]!.source, peer: '' }, { input: 'net', offset: 0, end: 0, peer: '' });
  sender.close();
  await input.stop();
});

test('blocked sink + burst within the bounds: memory, then spool file; all delivered in order after release, none dropped', async (t) => {
  const { input, rec, sender, port, ctx, spoolFile } = await listening({ udp_spool: { memory_bytes: 4096, max_bytes: 1024 * 1024 } });
  rec.block();
  const n = 600;
  await send(sender, port, [msg(-1)]); // the call the sink blocks on
  await until(() => rec.calls === 1, 'the sink busy');
  await send(sender, port, Array.from({ length: n }, (_, i) => msg(i)));
  await until(() => input.spool.size === n, `${n} datagrams held`);
  t.true(existsSync(spoolFile) && statSync(spoolFile).size > 0, 'overflow went to the spool file');
  rec.release();
  await until(() => rec.lines.length === n + 1, 'all lines');
  t.deepEqual(rec.lines.slice(1).map((l) => l.text), Array.from({ length: n }, (_, i) => msg(i)));
  t.is(await total(ctx.metrics.dropped), 0);
  t.is(statSync(spoolFile).size, 0, 'a drained spool file is truncated');
  sender.close();
  await input.stop();
  t.false(existsSync(spoolFile), 'stop deletes the spool file');
});

test('beyond the bounds: the first datagrams are kept in order, the rest dropped, counted and logged', async (t) => {
  const { input, rec, sender, port, ctx, logs } = await listening({ udp_spool: { memory_bytes: 2048, max_bytes: 4096 } });
  rec.block();
  await send(sender, port, [msg(-1)]);
  await until(() => rec.calls === 1, 'the sink busy');
  const n = 200;
  await send(sender, port, Array.from({ length: n }, (_, i) => msg(i)));
  await until(async () => input.spool.size + (await total(ctx.metrics.dropped)) === n, 'every datagram held or dropped');
  const held = input.spool.size;
  t.true(held > 10 && held < 100, `${held} held`);
  t.is(await total(ctx.metrics.dropped, { input: 'net', reason: 'udp_spool_full' }), n - held);
  t.true(logs.some((l) => /^warn syslog input 'net': dropped 1 datagram\(s\): the spool is full/.test(l)));
  rec.release();
  await until(() => rec.lines.length === held + 1, 'held lines delivered');
  t.deepEqual(rec.lines.slice(1).map((l) => l.text), Array.from({ length: held }, (_, i) => msg(i)));
  sender.close();
  await input.stop();
});

test('stop hands what the spool holds to the sink before it resolves', async (t) => {
  const { input, rec, sender, port } = await listening({ udp_spool: { memory_bytes: 1024, max_bytes: 1024 * 1024 } });
  rec.block();
  await send(sender, port, Array.from({ length: 50 }, (_, i) => msg(i)));
  await until(() => input.spool.size === 49, 'held');
  const stopping = input.stop();
  rec.release();
  await stopping;
  t.is(rec.lines.length, 50);
  sender.close();
});

// The spool on its own: FIFO across the memory/disk boundary, batches, records larger than a read block.
function dg(i: number, chars = 10): Datagram {
  return { data: Buffer.from(`${i}:`.padEnd(chars, chars > 100 ? 'z' : 'é')), tooLong: i % 7 === 0, receivedAt: 1_700_000_000_000 + i, peer: `10.0.0.${i % 255}:514` };
}

test('spool: order is kept across memory and disk, in batches, and the file is reused after draining', (t) => {
  const path = join(mkdtempSync(join(tmpdir(), 'smf-spool-')), 'x', 'udp.spool');
  const spool = new DatagramSpool({ memoryBytes: 500, maxFileBytes: 100_000, path });
  const out: Datagram[] = [];
  let next = 0;
  for (let round = 0; round < 5; round++) {
    for (let k = 0; k < 40; k++) t.not(spool.push(dg(next++)), 'full');
    out.push(...spool.take(7, 1 << 20));
    out.push(...spool.take(1000, 100));
  }
  for (let b = spool.take(13, 1 << 20); b.length > 0; b = spool.take(13, 1 << 20)) out.push(...b);
  t.deepEqual(out, Array.from({ length: next }, (_, i) => ({ ...dg(i), data: Buffer.from(dg(i).data) })));
  t.is(spool.size, 0);
  t.is(statSync(path).size, 0);
  t.is(spool.close(), 0);
  t.false(existsSync(path));
});

test('spool: a record larger than the read block comes back whole; a full spool refuses', (t) => {
  const path = join(mkdtempSync(join(tmpdir(), 'smf-spool-')), 'udp.spool');
  const spool = new DatagramSpool({ memoryBytes: 0, maxFileBytes: 3 * 1024 * 1024, path });
  const big = dg(1, 2 * 1024 * 1024);
  t.is(spool.push(dg(0)), 'disk');
  t.is(spool.push(big), 'disk');
  t.is(spool.push(dg(2, 1024 * 1024)), 'full');
  t.is(spool.push(dg(3)), 'disk');
  t.deepEqual([...spool.take(10, 1 << 30), ...spool.take(10, 1 << 30), ...spool.take(10, 1 << 30)].map((d) => d.data.length), [dg(0).data.length, big.data.length, dg(3).data.length]);
  spool.close();
});
