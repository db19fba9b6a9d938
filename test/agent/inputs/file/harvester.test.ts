import test from 'ava';
import { appendFileSync, closeSync, mkdtempSync, openSync, truncateSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Harvester } from '../../../../agent/inputs/file/harvester.js';
import { headHash } from '../../../../agent/inputs/file/identity.js';

function harvester(content: string | Buffer, opts: { maxLineBytes?: number; bufferBytes?: number; offset?: number } = {}) {
  const path = join(mkdtempSync(join(tmpdir(), 'smf-h-')), 'f.log');
  writeFileSync(path, content);
  const h = new Harvester({ input: 'i', path, cursorKey: 'k', identity: 'id', offset: opts.offset ?? 0, maxLineBytes: opts.maxLineBytes ?? 1000, bufferBytes: opts.bufferBytes ?? 7 });
  return { h, path };
}

function readAll(h: Harvester) {
  const out = [];
  for (;;) {
    const { lines, eof } = h.readChunk(0);
    out.push(...lines);
    if (eof) return out;
  }
}

test('lines split across chunks come out whole with exact offsets; CRLF is trimmed', (t) => {
  const { h } = harvester('alpha\r\nbeta\n\ngamma-delta-epsilon\n');
  const lines = readAll(h);
  t.deepEqual(lines.map((l) => l.text), ['alpha', 'beta', '', 'gamma-delta-epsilon']);
  t.deepEqual(lines.map((l) => [l.source.offset, l.source.end]), [[0, 7], [7, 12], [12, 13], [13, 33]]);
});

test('an unterminated last line waits for its newline', (t) => {
  const { h, path } = harvester('one\ntw');
  t.deepEqual(readAll(h).map((l) => l.text), ['one']);
  appendFileSync(path, 'o\n');
  const more = readAll(h);
  t.deepEqual(more.map((l) => [l.text, l.source.offset, l.source.end]), [['two', 4, 8]]);
});

test('a line over the limit is emitted once, cut and flagged, and the next line is intact', (t) => {
  const long = 'x'.repeat(50);
  const { h } = harvester(`a\n${long}\nb\n`, { maxLineBytes: 16, bufferBytes: 8 });
  const lines = readAll(h);
  t.deepEqual(lines.map((l) => [l.text, l.tooLong === true]), [['a', false], ['x'.repeat(16), true], ['b', false]]);
  t.is(lines[1]!.source.end, 2 + 51);
  t.is(lines[2]!.source.offset, 53);
});

test('multi-byte UTF-8 split across chunk boundaries decodes correctly', (t) => {
  const { h } = harvester('Zürich—東京\nok\n', { bufferBytes: 3 });
  t.deepEqual(readAll(h).map((l) => l.text), ['Zürich—東京', 'ok']);
});

test('reading resumes from a given offset', (t) => {
  const { h } = harvester('one\ntwo\nthree\n', { offset: 4 });
  t.deepEqual(readAll(h).map((l) => l.text), ['two', 'three']);
});

test('with a fingerprint, a read after a truncation and a rewrite returns `changed` and no line of the new bytes', (t) => {
  const path = join(mkdtempSync(join(tmpdir(), 'smf-h-')), 'f.log');
  writeFileSync(path, 'first line\nsecond line\n');
  const fd = openSync(path, 'r');
  const fingerprint = headHash(fd, 1024);
  closeSync(fd);
  const h = new Harvester({ input: 'i', path, cursorKey: 'k', identity: 'id', fingerprint, offset: 0, maxLineBytes: 1000, bufferBytes: 7 });
  t.deepEqual(readAll(h).map((l) => l.text), ['first line', 'second line']);
  appendFileSync(path, 'third');
  t.deepEqual(readAll(h), []); // partial line: waits
  truncateSync(path, 0);
  appendFileSync(path, 'NEW CONTENT, longer than the old one was\nmore\n');
  const r = h.readChunk(0);
  t.true(r.changed);
  t.deepEqual(r.lines, []);
  t.is(h.emitted, 23);
});
