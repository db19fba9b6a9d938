import test from 'ava';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Lineages, type Carrier } from '../../../../agent/inputs/file/lineages.js';
import type { FileCursor } from '../../../../agent/inputs/file/identity.js';
import { StateStore } from '../../../../agent/store/store.js';
import { testContext } from '../../../helpers/context.js';

test('dormant contents beyond the bound are forgotten oldest first, in memory and in the store; contents in flight are kept', async (t) => {
  const store = StateStore.open(mkdtempSync(join(tmpdir(), 'smf-lin-')));
  t.teardown(() => store.close());
  let now = Date.UTC(2025, 0, 1);
  const ctx = { ...testContext(), clock: { now: () => now } };
  const lineages = new Lineages<Carrier>('in', store, ctx, 2);
  const made = [];
  for (let i = 0; i < 5; i++) {
    now += 1000;
    made.push(await lineages.create(`/f${i}`, { dev: 1, ino: 100 + i }, Buffer.from(`content ${i}\n`), 0));
  }
  made[0]!.emitted = 10; // lines in flight: never forgotten
  lineages.evict();
  await store.commit(() => {}); // the removal is queued behind this
  const keys = [...store.db<string, FileCursor>('cursors').getKeys()];
  t.deepEqual(keys.sort(), [made[0]!.key, made[3]!.key, made[4]!.key].sort());
  t.is(lineages.size, 3);
  t.is(lineages.get(made[1]!.key), undefined);
  // What the pipeline stores once line ends are delivered: the furthest offset, never less.
  t.is(lineages.cursorValue(made[0]!.key, made[0]!.identity, 10)!.offset, 10);
  t.is(lineages.cursorValue(made[0]!.key, made[0]!.identity, 4)!.offset, 10);
  t.is(lineages.cursorValue(made[0]!.key, 'another identity', 20), undefined);
});
