// The stdin input, driven through a PassThrough in place of process.stdin.
import test from 'ava';
import { PassThrough } from 'node:stream';
import { setTimeout as sleep } from 'node:timers/promises';
import { inputSchema } from '../../../../agent/config/schema.js';
import type { StdinInputConfig } from '../../../../agent/inputs/stdin/config.js';
import { StdinInput } from '../../../../agent/inputs/stdin/index.js';
import { total } from '../../../../agent/telemetry/metrics.js';
import { recordingContext, recordingSink, until } from '../syslog/helpers.js';

function stdinInput(over: Record<string, unknown> = {}) {
  const config = inputSchema.parse({ type: 'stdin', name: 'in', ...over }) as StdinInputConfig;
  const { ctx, logs } = recordingContext();
  const stream = new PassThrough();
  const input = new StdinInput(config, ctx, stream);
  const rec = recordingSink();
  input.start(rec.sink);
  return { ctx, logs, stream, input, rec };
}

test('lines split across chunks, CRLF trimmed, the last unterminated line kept; end of input is logged', async (t) => {
  const { stream, rec, logs, ctx, input } = stdinInput({ max_line_bytes: 256 });
  stream.write('{"a":1}\r\n{"b"');
  stream.write(':2}\n\n' + 'z'.repeat(300) + '\nlast');
  stream.end();
  await until(() => logs.some((l) => /stdin input 'in': end of input after 4 lines; this input is done/.test(l)), 'the end');
  t.deepEqual(rec.lines.map((l) => (l.tooLong ? `cut ${l.text.length}` : l.text)), ['{"a":1}', '{"b":2}', 'cut 256', 'last']);
  t.deepEqual(rec.lines[0]!.source, { input: 'in', offset: 0, end: 0 });
  t.is(await total(ctx.metrics.linesRead, { input: 'in' }), 4);
  await input.stop();
});

test('backpressure: while the sink is busy nothing more is read, and the writer is told to wait', async (t) => {
  const { stream, rec, input } = stdinInput();
  rec.block();
  const line = (i: number) => `line ${i} ${'p'.repeat(100)}`;
  let n = 0;
  while (stream.write(`${line(n)}\n`)) n++;
  n++;
  await until(() => rec.calls === 1, 'a sink call');
  for (let k = 0; k < 100; k++) stream.write(`${line(n++)}\n`); // the writer ignores the hint
  await sleep(200);
  t.is(rec.calls, 1, 'no read while the sink call is pending');
  t.true(stream.readableLength > 0, 'unread input waits in the stream');
  rec.release();
  stream.end();
  await until(() => rec.lines.length === n, `${n} lines`);
  t.true(rec.lines.every((l, i) => l.text === line(i)));
  await input.stop();
});

test('stop while waiting for input: the stream is closed and stop resolves', async (t) => {
  const { stream, input, rec } = stdinInput();
  stream.write('one\n');
  await until(() => rec.lines.length === 1, 'a line');
  await input.stop();
  t.true(stream.destroyed);
  await input.stop(); // idempotent
});
