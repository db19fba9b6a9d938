import test from 'ava';
import { LineQueue } from '../../../agent/pipeline/queue.js';
import type { RawLine } from '../../../agent/pipeline/event.js';

const line = (i: number, bytes = 10): RawLine => ({ text: `l${i}`, bytes, receivedAt: 0, source: { input: 'a', offset: i, end: i + 1 } });

test('push waits while the queue is full and resumes when a batch is taken (backpressure)', async (t) => {
  const q = new LineQueue(3, 1_000_000);
  await q.push([line(1), line(2), line(3)]);
  let pushed = false;
  const p = q.push([line(4)]).then(() => (pushed = true));
  await new Promise((r) => setTimeout(r, 20));
  t.false(pushed, 'a full queue must hold the producer');
  t.deepEqual((await q.take(2, 0)).map((l) => l.text), ['l1', 'l2']);
  await p;
  t.true(pushed);
  t.deepEqual((await q.take(10, 0)).map((l) => l.text), ['l3', 'l4']);
});

test('the byte bound holds producers too', async (t) => {
  const q = new LineQueue(1000, 25);
  await q.push([line(1, 10), line(2, 10)]);
  let pushed = false;
  const p = q.push([line(3, 10)]).then(() => (pushed = true));
  await new Promise((r) => setTimeout(r, 20));
  t.false(pushed);
  await q.take(1, 0);
  await p;
  t.true(pushed);
});

test('take waits up to maxWait to fill a batch, then returns what it has', async (t) => {
  const q = new LineQueue(100, 1_000_000);
  await q.push([line(1)]);
  const t0 = Date.now();
  const got = await q.take(10, 50);
  t.is(got.length, 1);
  t.true(Date.now() - t0 >= 40);
});

test('close drains what is left, then take returns []', async (t) => {
  const q = new LineQueue(100, 1_000_000);
  await q.push([line(1), line(2)]);
  q.close();
  t.is((await q.take(10, 1000)).length, 2);
  t.deepEqual(await q.take(10, 1000), []);
  await t.throwsAsync(q.push([line(3)]));
});

test('an oversized single push enters an empty queue instead of waiting forever', async (t) => {
  const q = new LineQueue(2, 1_000_000);
  await q.push([line(1), line(2), line(3), line(4)]);
  t.is(q.size, 4);
});
