// The file input against real files and a real store, without a pipeline: lines are collected
// from the sink, and `commit()` does what the pipeline does once lines are delivered.
import test, { type ExecutionContext } from 'ava';
import { appendFileSync, copyFileSync, mkdtempSync, renameSync, truncateSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { inputSchema, type FileInputConfig } from '../../../../agent/config/schema.js';
import { FileInput } from '../../../../agent/inputs/file/index.js';
import { cursorKey, type FileCursor } from '../../../../agent/inputs/file/identity.js';
import type { RawLine } from '../../../../agent/pipeline/event.js';
import { StateStore } from '../../../../agent/store/store.js';
import { testContext } from '../../../helpers/context.js';

interface Harness {
  dir: string;
  lines: RawLine[];
  input: FileInput;
  store: StateStore;
  /** Stores the furthest position per cursor key of the lines seen so far (as the pipeline does). */
  commit(): Promise<void>;
  /** Polls until `n` lines have arrived (fails after 5 s). */
  until(n: number): Promise<void>;
  stop(): Promise<void>;
}

function start(t: ExecutionContext, dir: string, over: Partial<FileInputConfig> = {}, store?: StateStore): Harness {
  const config = inputSchema.parse({ type: 'file', name: 'f', paths: [join(dir, 'app.log*')], poll_interval_ms: 20, ...over }) as FileInputConfig;
  const ctx = testContext();
  const s = store ?? StateStore.open(join(dir, 'data'));
  const input = new FileInput(config, ctx, s);
  const lines: RawLine[] = [];
  let committed = 0;
  input.start(async (batch) => void lines.push(...batch));
  const h: Harness = {
    dir,
    lines,
    input,
    store: s,
    async commit() {
      const furthest = new Map<string, RawLine>();
      for (const l of lines.slice(committed)) furthest.set(l.source.cursorKey!, l);
      committed = lines.length;
      await s.commit(() => {
        for (const [key, l] of furthest) {
          const v = input.cursorValue(key, l.source.identity, l.source.end);
          if (v !== undefined) s.db('cursors').put(key, v);
        }
      });
    },
    async until(n) {
      for (let i = 0; i < 250 && lines.length < n; i++) await sleep(20);
      t.is(lines.length, n, `lines so far: ${lines.map((l) => l.text).join(' ')}`);
    },
    async stop() {
      await input.stop();
      ctx.abort.abort();
    },
  };
  t.teardown(async () => {
    await input.stop();
    await s.close();
  });
  return h;
}

const tmp = () => mkdtempSync(join(tmpdir(), 'smf-fi-'));
const numbered = (from: number, to: number, tag = 'line') => Array.from({ length: to - from }, (_, i) => `${tag} ${String(from + i).padStart(6, '0')} ${'x'.repeat(40)}\n`).join('');
const texts = (lines: RawLine[]) => lines.map((l) => l.text.slice(0, 11));
const expected = (from: number, to: number, tag = 'line') => Array.from({ length: to - from }, (_, i) => `${tag} ${String(from + i).padStart(6, '0')}`);
/** The (identity, offset) pairs: what document ids are made of. */
const ids = (lines: RawLine[]) => lines.map((l) => `${l.source.identity}@${l.source.offset}`);

test('rename rotation: the renamed file is read to its end under its identity, the new file from its start', async (t) => {
  const dir = tmp();
  const log = join(dir, 'app.log');
  writeFileSync(log, numbered(0, 30));
  const h = start(t, dir);
  await h.until(30);
  renameSync(log, `${log}.1`);
  appendFileSync(`${log}.1`, numbered(30, 40)); // the writer has not reopened yet
  writeFileSync(log, numbered(40, 50));
  await h.until(50);
  t.deepEqual([...texts(h.lines)].sort(), expected(0, 50));
  t.is(new Set(h.lines.slice(0, 40).map((l) => l.source.identity)).size, 1, 'one identity for the renamed file');
  t.not(h.lines[45]!.source.identity, h.lines[0]!.source.identity);
});

test('copy-and-truncate: the copy goes on where reading stopped, under the same identity; nothing twice', async (t) => {
  const dir = tmp();
  const log = join(dir, 'app.log');
  writeFileSync(log, numbered(0, 30));
  const h = start(t, dir);
  await h.until(30);
  await h.commit();
  appendFileSync(log, numbered(30, 60));
  // Rotate before the agent could read the new lines: they are only in the copy now.
  await h.stop();
  copyFileSync(log, `${log}.1`);
  truncateSync(log, 0);
  appendFileSync(log, numbered(60, 70, 'next'));
  const h2 = start(t, dir, {}, h.store);
  await h2.until(30 + 10);
  t.deepEqual(texts(h2.lines).filter((x) => x.startsWith('line')), expected(30, 60));
  t.deepEqual(texts(h2.lines).filter((x) => x.startsWith('next')), expected(60, 70, 'next'));
  const identity = h.lines[0]!.source.identity;
  t.true(h2.lines.filter((l) => l.text.startsWith('line')).every((l) => l.source.identity === identity), 'same content, same identity');
  t.deepEqual(h2.lines.find((l) => l.text.startsWith('line'))!.source.offset, h.lines[29]!.source.end);
});

test('copy-and-truncate while running: a copy made before the truncation waits, then takes over; ids stay unique', async (t) => {
  const dir = tmp();
  const log = join(dir, 'app.log');
  writeFileSync(log, numbered(0, 40));
  const h = start(t, dir);
  await h.until(40);
  copyFileSync(log, `${log}.1`);
  writeFileSync(`${log}.9`, 'mark 000000\n'); // read in the same scan that finds the copy (names sort)
  await h.until(41);
  t.is(h.lines[40]!.text, 'mark 000000', 'the copy is not read while the original carries its content');
  appendFileSync(log, numbered(40, 45)); // written after the copy: only in the original
  await h.until(46);
  truncateSync(log, 0);
  appendFileSync(log, numbered(45, 60, 'next'));
  await h.until(61);
  t.deepEqual(texts(h.lines).filter((x) => !x.startsWith('mark')), [...expected(0, 45), ...expected(45, 60, 'next')]);
  t.is(new Set(ids(h.lines)).size, 61);
});

test('truncation seen only by the changed head (the file regrew past the old position) re-reads the new content from byte 0', async (t) => {
  const dir = tmp();
  const log = join(dir, 'app.log');
  writeFileSync(log, numbered(0, 10));
  const h = start(t, dir, { poll_interval_ms: 200 });
  await h.until(10);
  truncateSync(log, 0);
  appendFileSync(log, numbered(100, 150, 'new!')); // longer than before, within one poll interval
  await h.until(60);
  t.deepEqual(texts(h.lines).slice(10), expected(100, 150, 'new!'));
  t.not(h.lines[10]!.source.identity, h.lines[0]!.source.identity);
});

test('a file that only begins like a read file is read whole, as its own content', async (t) => {
  const dir = tmp();
  const log = join(dir, 'app.log');
  writeFileSync(log, numbered(0, 30));
  const h = start(t, dir);
  await h.until(30);
  writeFileSync(`${log}.other`, numbered(0, 25) + numbered(0, 10, 'othr')); // over 1 KiB in common, then not
  await h.until(65);
  t.deepEqual(texts(h.lines.slice(30)), [...expected(0, 25), ...expected(0, 10, 'othr')]);
  t.is(new Set(ids(h.lines)).size, 65);
});

test('a copy found before its original (after a restart) hands over to the longer original', async (t) => {
  const dir = tmp();
  const log = join(dir, 'b.log');
  writeFileSync(join(dir, 'a.log'), numbered(0, 30)); // the copy sorts first; the original grew on since
  writeFileSync(log, numbered(0, 50));
  const h = start(t, dir, { paths: [join(dir, '*.log')] });
  await h.until(50);
  t.deepEqual(texts(h.lines), expected(0, 50));
  t.is(new Set(h.lines.map((l) => l.source.identity)).size, 1);
  appendFileSync(log, numbered(50, 55));
  await h.until(55);
});

test('a new file sharing the first bytes of a line with a read file is not taken for a copy', async (t) => {
  const dir = tmp();
  const log = join(dir, 'app.log');
  writeFileSync(log, numbered(0, 3));
  const h = start(t, dir);
  await h.until(3);
  writeFileSync(`${log}.2`, 'line 0000'); // a line's start, still being written
  writeFileSync(`${log}.3`, 'mark\n'); // read in the same scan that sees the partial file
  await h.until(4);
  appendFileSync(`${log}.2`, '99 other\n');
  await h.until(5);
  t.is(h.lines[4]!.text, 'line 000099 other');
  t.is(h.lines[4]!.source.offset, 0);
});

test('restart: positions and identities come from the store; a file first seen small keeps its identity', async (t) => {
  const dir = tmp();
  const log = join(dir, 'app.log');
  writeFileSync(log, numbered(0, 2)); // under HEAD_BYTES: the identity is named after a short head
  const h = start(t, dir);
  await h.until(2);
  await h.commit();
  appendFileSync(log, numbered(2, 40));
  await h.until(40); // read but never committed: re-read after the restart, with the same ids
  await h.stop();
  const h2 = start(t, dir, {}, h.store);
  await h2.until(38);
  t.deepEqual(ids(h2.lines), ids(h.lines.slice(2)));
});

test('records keyed by inode (format 0.1) are re-keyed by identity and resumed', async (t) => {
  const dir = tmp();
  const log = join(dir, 'app.log');
  writeFileSync(log, numbered(0, 40));
  const h = start(t, dir);
  await h.until(40);
  await h.commit();
  await h.stop();
  const key = h.lines[0]!.source.cursorKey!;
  const rec = h.store.db<string, FileCursor>('cursors').get(key)!;
  const { identity: _drop, ...old } = rec;
  const oldKey = `f\u0000${rec.dev}:${rec.ino}`;
  await h.store.commit(() => {
    h.store.db('cursors').remove(key);
    h.store.db('cursors').put(oldKey, { ...old, offset: h.lines[20]!.source.offset });
  });
  const h2 = start(t, dir, {}, h.store);
  await h2.until(20);
  t.deepEqual(ids(h2.lines), ids(h.lines.slice(20)));
  t.is(h.store.db('cursors').get(oldKey), undefined);
  t.is(h2.lines[0]!.source.cursorKey, cursorKey('f', rec.identity!));
});

test('a file renamed out of the paths is read on while its writer still appends', async (t) => {
  const dir = tmp();
  const log = join(dir, 'app.log');
  writeFileSync(log, numbered(0, 10));
  const h = start(t, dir, { paths: [log] }); // rotated names do not match
  await h.until(10);
  renameSync(log, join(dir, 'old.log'));
  writeFileSync(log, numbered(20, 25));
  await h.until(15); // scans have run without the old file under a watched name
  appendFileSync(join(dir, 'old.log'), numbered(10, 20)); // the writer has not reopened yet
  await h.until(25);
  t.deepEqual([...texts(h.lines)].sort(), expected(0, 25));
});

test('start_at end: files present at start are read from their end, also after a restart with nothing committed; later files from 0', async (t) => {
  const dir = tmp();
  const log = join(dir, 'app.log');
  writeFileSync(log, numbered(0, 10));
  const h = start(t, dir, { start_at: 'end' });
  // The first scan has placed the file: its content is registered in the store.
  for (let i = 0; i < 250 && h.store.db('cursors').getKeysCount() === 0; i++) await sleep(20);
  appendFileSync(log, numbered(10, 12));
  await h.until(2);
  writeFileSync(`${log}.new`, numbered(0, 3, 'new!'));
  await h.until(5);
  t.deepEqual([...texts(h.lines)].sort(), [...expected(10, 12), ...expected(0, 3, 'new!')].sort());
  await h.stop();
  appendFileSync(log, numbered(12, 13));
  const h2 = start(t, dir, { start_at: 'end' }, h.store);
  await h2.until(6); // nothing was committed: each file again from its recorded start, not from 0 or its new end
  t.deepEqual(texts(h2.lines).filter((x) => x.startsWith('line')), expected(10, 13));
  t.deepEqual(texts(h2.lines).filter((x) => x.startsWith('new!')), expected(0, 3, 'new!'));
});
