// RFC 6587 framing: every way a stream can be cut into chunks gives the same frames; octet counts
// are bytes; over-long frames are cut once and never buffered whole; a bad length prefix stops
// the stream after the frames before it.
import test from 'ava';
import fc from 'fast-check';
import assert from 'node:assert/strict';
import { FrameDecoder, type DecodeResult, type Framing } from '../../../../agent/inputs/syslog/framing.js';

function decode(framing: Framing, chunks: (Buffer | string)[], maxBytes = 1000): DecodeResult & { texts: string[] } {
  const d = new FrameDecoder({ framing, maxBytes });
  const frames = [];
  let error: string | undefined;
  for (const c of chunks) {
    const r = d.push(Buffer.isBuffer(c) ? c : Buffer.from(c));
    frames.push(...r.frames);
    error ??= r.error;
  }
  const r = d.end();
  frames.push(...r.frames);
  error ??= r.error;
  return { frames, texts: frames.map((f) => f.text), ...(error !== undefined ? { error } : {}) };
}

/** RFC 6587 §3.4.1: LEN SP MSG, LEN in bytes. */
const octet = (msg: string) => `${Buffer.byteLength(msg)} ${msg}`;

/** All ways to cut `buf` in two, and in three pieces. */
function* splits(buf: Buffer): Generator<Buffer[]> {
  for (let i = 0; i <= buf.length; i++) yield [buf.subarray(0, i), buf.subarray(i)];
  for (let i = 1; i < buf.length; i++) for (let j = i + 1; j < buf.length; j++) yield [buf.subarray(0, i), buf.subarray(i, j), buf.subarray(j)];
}

test('newline framing: LF and CRLF end a frame, CR is trimmed, empty frames are skipped, a last unterminated line counts', (t) => {
  const r = decode('newline', ['alpha\r\nbeta\n\n\r\ngamma\nlast']);
  t.deepEqual(r.texts, ['alpha', 'beta', 'gamma', 'last']);
  t.is(r.error, undefined);
  t.deepEqual(decode('newline', ['5 not a count\n']).texts, ['5 not a count']);
});

test('octet counting: the count is in bytes, so multi-byte UTF-8 is framed exactly', (t) => {
  const msgs = ['<13>1 - h a - - - Grüße ☃', 'é', '<14>𝄞 music', 'line\nwith LF inside'];
  const r = decode('octet-counting', [msgs.map(octet).join('')]);
  t.deepEqual(r.texts, msgs);
  t.deepEqual(r.frames.map((f) => f.bytes), msgs.map((m) => Buffer.byteLength(m)));
  // A count in characters (wrong) would swallow the next frame's prefix: detectably garbage.
  const wrong = `${'Grüße'.length} Grüße${octet('next')}`;
  t.regex(decode('octet-counting', [wrong]).error ?? '', /invalid octet-counting frame/);
});

test('every cut of a mixed auto-framed stream into two or three chunks gives the same frames', (t) => {
  const msgs = ['<13>Mar  3 09:04:05 SYSA Grüße ☃', 'LEEF:1.0|IBM|z/OS|3.1.0|80-1|usrName=IBMUSER', '{"a":"é"}', '12 ends\nhere', '2025-03-03T09:04:05Z SYSA x', '7'];
  const stream = Buffer.from(octet(msgs[0]!) + `${msgs[1]}\r\n` + octet(msgs[2]!) + octet(msgs[3]!) + `${msgs[4]}\n` + `${msgs[5]}\n`);
  let cases = 0;
  for (const chunks of splits(stream)) {
    const r = decode('auto', chunks);
    assert.deepEqual(r.texts, msgs, `cut at ${chunks.map((c) => c.length).join('+')}`);
    assert.equal(r.error, undefined);
    cases++;
  }
  t.true(cases > 10_000, `${cases} cuts`);
});

test('every cut of an octet-counted stream, including inside the length and inside a UTF-8 sequence', (t) => {
  const msgs = ['ä', '<13>1 2025-03-03T09:04:05Z MVS1 zSecure - C2P0815 - Grüße', '€€€'];
  const stream = Buffer.from(msgs.map(octet).join('\n')); // a stray LF between counted frames is tolerated
  for (const chunks of splits(stream)) {
    const r = decode('octet-counting', chunks);
    assert.deepEqual(r.texts, msgs);
    assert.equal(r.error, undefined);
  }
  // One byte at a time.
  t.deepEqual(decode('octet-counting', [...stream].map((b) => Buffer.from([b]))).texts, msgs);
});

test('auto: digits that are not a length prefix start a newline frame', (t) => {
  t.deepEqual(decode('auto', ['123abc\n12\n0 zero\n2025-03-03 x\n99']).texts, ['123abc', '12', '0 zero', '2025-03-03 x', '99']);
  t.deepEqual(decode('auto', ['12345678901 eleven digits\n']).texts, ['12345678901 eleven digits']);
});

test('a frame of exactly max bytes passes; one byte more is cut to max and flagged; the next frame is intact', (t) => {
  const max = 16;
  const exact = 'x'.repeat(max);
  t.deepEqual(decode('newline', [`${exact}\r\n`], max).frames, [{ text: exact, bytes: max }]);
  t.deepEqual(decode('octet-counting', [octet(exact)], max).frames, [{ text: exact, bytes: max }]);
  for (const framing of ['newline', 'auto', 'octet-counting'] as const) {
    const long = 'y'.repeat(max + 1);
    const stream = framing === 'octet-counting' ? octet(long) + octet('next') : `${long}\nnext\n`;
    const r = decode(framing, [stream], max);
    t.deepEqual(r.frames, [{ text: 'y'.repeat(max), bytes: max, tooLong: true }, { text: 'next', bytes: 4 }], framing);
  }
});

test('an over-long frame is emitted as soon as it is known to be too long, and memory stays bounded', (t) => {
  for (const framing of ['newline', 'octet-counting'] as const) {
    const max = 1024;
    const total = 4 * 1024 * 1024;
    const d = new FrameDecoder({ framing, maxBytes: max });
    const held = () => (d as unknown as { held: number }).held;
    const frames = [...d.push(Buffer.from(framing === 'newline' ? '' : `${total} `)).frames];
    const chunk = Buffer.alloc(1000, 'z');
    let emittedAt = -1;
    for (let sent = 0; sent < total; sent += chunk.length) {
      const r = d.push(chunk.subarray(0, Math.min(chunk.length, total - sent)));
      if (r.frames.length && emittedAt < 0) emittedAt = sent;
      frames.push(...r.frames);
      assert.ok(held() <= max + 2, `held ${held()} bytes`);
    }
    frames.push(...d.push(Buffer.from(framing === 'newline' ? '\nafter\n' : octet('after'))).frames);
    t.is(emittedAt, 1000, framing); // in the second chunk, when the limit was crossed
    t.deepEqual(frames.map((f) => [f.bytes, f.tooLong ?? false]), [[max, true], [5, false]], framing);
  }
});

test('a garbage length prefix is an error; the frames before it are kept and nothing after is accepted', (t) => {
  const garbage: [string, RegExp][] = [
    ['abc def', /expected a length/],
    ['05 hello', /expected a length/],
    ['12x hello', /expected a space after the length/],
    ['12345678901 x', /more than 10 digits/],
    [' 5 hello', /expected a length/],
  ];
  for (const [bad, why] of garbage) {
    const d = new FrameDecoder({ framing: 'octet-counting', maxBytes: 100 });
    const r = d.push(Buffer.from(`${octet('one')}${octet('two')}${bad}`));
    t.deepEqual(r.frames.map((f) => f.text), ['one', 'two'], bad);
    t.regex(r.error ?? '', why, bad);
    t.regex(r.error ?? '', /frame starting at byte 10:/, bad);
    t.true(d.failed);
    t.deepEqual(d.push(Buffer.from(octet('three'))), { frames: [] });
  }
});

test('a stream that ends inside a counted frame or its length is an error, after the complete frames', (t) => {
  const cut = decode('octet-counting', [`${octet('ok')}10 abc`]);
  t.deepEqual(cut.texts, ['ok']);
  t.regex(cut.error ?? '', /stream ended inside a counted frame \(3 of 10 bytes received\)/);
  t.regex(decode('octet-counting', [`${octet('ok')}12`]).error ?? '', /inside a length prefix/);
});

// Property: any messages, any framing choice per message (auto), any chunking → the same messages.
const message = fc
  .oneof(fc.string({ minLength: 1, maxLength: 40 }), fc.string({ unit: 'grapheme', minLength: 1, maxLength: 20 }), fc.string({ unit: fc.constantFrom('1', '9', ' ', '\n', '\r', 'é', '<'), minLength: 1, maxLength: 12 }))
  .filter((m) => !/^[\r\n]|[\r\n]$/.test(m));

test('property: random messages, framings and chunk boundaries decode to the messages sent', (t) => {
  fc.assert(
    fc.property(
      fc.array(fc.tuple(message, fc.boolean()), { minLength: 1, maxLength: 12 }),
      fc.array(fc.nat(), { maxLength: 8 }),
      (items, cuts) => {
        // A newline frame must not contain LF, and in auto must not look like a length prefix.
        const frames = items.map(([m, counted]) => ({ m, counted: counted || m.includes('\n') || /^[1-9]\d* /.test(m) }));
        const wire = Buffer.from(frames.map((f) => (f.counted ? octet(f.m) : `${f.m}\n`)).join(''));
        const points = [...new Set(cuts.map((c) => c % (wire.length + 1)))].sort((a, b) => a - b);
        const chunks = [0, ...points].map((p, i, all) => wire.subarray(p, all[i + 1] ?? wire.length));
        const r = decode('auto', chunks, 10_000);
        assert.equal(r.error, undefined);
        assert.deepEqual(r.texts, frames.map((f) => f.m));
        if (frames.every((f) => f.counted)) assert.deepEqual(decode('octet-counting', chunks, 10_000).texts, frames.map((f) => f.m));
      },
    ),
    { numRuns: 2000 },
  );
  t.pass();
});
