import test from 'ava';
import type { Client } from '@elastic/elasticsearch';
import { deleteByIds } from '../../../agent/anomaly/stale.js';
import { AbortedDelivery } from '../../../agent/pipeline/delivery.js';
import { testContext } from '../../helpers/context.js';

type Op = { delete: { _index: string; _id: string } };
const DELIVERY = { retryInitialMs: 1, retryMaxMs: 5 };

/** A client whose answer per call is given by `answer(call, ids)`: item statuses, or a thrown error. */
function client(answer: (call: number, ids: string[]) => number[] | Error): Client & { calls: string[][] } {
  const calls: string[][] = [];
  const bulk = async ({ operations }: { operations: Op[] }) => {
    const ids = operations.map((o) => o.delete._id);
    calls.push(ids);
    const a = answer(calls.length, ids);
    if (a instanceof Error) throw a;
    return { items: a.map((status) => ({ delete: { status, ...(status >= 400 && status !== 404 ? { error: { type: 'x', reason: 'y' } } : {}) } })) };
  };
  return { bulk, calls } as unknown as Client & { calls: string[][] };
}

test('deleted and already missing ids are done; 429 and failed requests are retried, only for what is left', async (t) => {
  const c = client((call, ids) => (call === 1 ? ids.map((id) => (id === 'a' ? 200 : id === 'b' ? 404 : 429)) : call === 2 ? new Error('socket hang up') : ids.map(() => 200)));
  const r = await deleteByIds(c, 'ix', ['a', 'b', 'c'], DELIVERY, testContext());
  t.deepEqual(r, { deleted: 2, missing: 1, refused: [] });
  t.deepEqual(c.calls, [['a', 'b', 'c'], ['c'], ['c']]);
});

test('other 4xx answers are refused, not retried', async (t) => {
  const c = client((_, ids) => ids.map(() => 400));
  const r = await deleteByIds(c, 'ix', ['a'], DELIVERY, testContext());
  t.deepEqual(r.refused, [{ id: 'a', reason: 'x: y' }]);
  t.is(c.calls.length, 1);
});

test('nothing to delete sends nothing; a stopping agent ends the retries', async (t) => {
  const idle = client(() => []);
  t.deepEqual(await deleteByIds(idle, 'ix', [], DELIVERY, testContext()), { deleted: 0, missing: 0, refused: [] });
  t.is(idle.calls.length, 0);
  const ctx = testContext();
  const busy = client((call, ids) => {
    if (call === 2) ctx.abort.abort();
    return ids.map(() => 429);
  });
  await t.throwsAsync(deleteByIds(busy, 'ix', ['a'], DELIVERY, ctx), { instanceOf: AbortedDelivery });
});
