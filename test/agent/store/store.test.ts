import test from 'ava';
import { mkdtempSync, rmSync, writeFileSync, existsSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { StateStore } from '../../../agent/store/store.js';
import { isSmfError } from '../../../agent/errors.js';

const tmp = () => mkdtempSync(join(tmpdir(), 'smf-store-'));

test('state committed in one transaction survives reopening', async (t) => {
  const dir = tmp();
  const s = StateStore.open(dir);
  await s.commit(() => {
    s.db('cursors').put('a', { offset: 10 });
    s.db('assoc').put('p', 3);
  });
  await s.close();
  const s2 = StateStore.open(dir);
  t.deepEqual(s2.db('cursors').get('a'), { offset: 10 });
  t.is(s2.db('assoc').get('p'), 3);
  t.is(s2.info.agentId, s.info.agentId);
  await s2.close();
});

test('a transaction that throws commits nothing', async (t) => {
  const dir = tmp();
  const s = StateStore.open(dir);
  await t.throwsAsync(
    s.commit(() => {
      s.db('cursors').put('a', 1);
      throw new Error('boom');
    }),
  );
  t.is(s.db('cursors').get('a'), undefined);
  await s.close();
});

test('a missing store is reported, not silently recreated', async (t) => {
  const dir = tmp();
  await StateStore.open(dir).close();
  rmSync(join(dir, 'state.mdb'));
  const err = t.throws(() => StateStore.open(dir));
  t.true(isSmfError(err, 'SMF_ERR_STORE_MISSING'), String(err));
  t.regex(err!.message, /state\.mdb is missing/);
  t.false(existsSync(join(dir, 'state.mdb')), 'nothing was recreated');
  const reset = StateStore.open(dir, { reset: true });
  t.truthy(reset.info.agentId);
  await reset.close();
});

test('a corrupt store file is reported', async (t) => {
  const dir = tmp();
  await StateStore.open(dir).close();
  writeFileSync(join(dir, 'state.mdb'), Buffer.alloc(64 * 1024, 0x5a));
  const err = t.throws(() => StateStore.open(dir));
  t.true(isSmfError(err, 'SMF_ERR_STORE_CORRUPT'), String(err));
});

test('a second agent on the same store is refused; a stale lock is taken over', async (t) => {
  const dir = tmp();
  const s = StateStore.open(dir);
  const err = t.throws(() => StateStore.open(dir));
  t.true(isSmfError(err, 'SMF_ERR_STORE_LOCKED'));
  await s.close();
  writeFileSync(join(dir, 'agent.lock'), '999999999'); // no such process
  const s2 = StateStore.open(dir);
  t.pass();
  await s2.close();
});
