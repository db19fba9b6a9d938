// Removal of stale anomaly documents by id: when a re-run of a day no longer finds an item, the
// document of the earlier run must go. By id, with the bulk API, because the test node has no
// delete-by-query; the ids come from the job's own record of what each run of a day wrote.
//
// Per item: 2xx and 404 (already gone) are done; 429 and 5xx are retried with backoff and jitter,
// as are whole-request failures; anything else is reported, not retried. Like deliver(), it
// retries until done or until the agent stops (then it throws AbortedDelivery).

import type { Client } from '@elastic/elasticsearch';
import type { AgentContext } from '../context.js';
import { describeError } from '../errors.js';
import { classifyItem, requestFailureReason, type BulkItemResult } from '../outputs/elasticsearch/classify.js';
import { backoffDelay, wait } from '../pipeline/backoff.js';
import { AbortedDelivery, type DeliveryOptions } from '../pipeline/delivery.js';

const CHUNK = 1000;

export interface DeleteResult {
  deleted: number; // removed now
  missing: number; // 404: not there (never written, or already removed)
  refused: { id: string; reason: string }[];
}

export async function deleteByIds(
  client: Client,
  index: string,
  ids: readonly string[],
  delivery: DeliveryOptions,
  ctx: Pick<AgentContext, 'logger' | 'signal'>,
): Promise<DeleteResult> {
  const result: DeleteResult = { deleted: 0, missing: 0, refused: [] };
  for (let i = 0; i < ids.length; i += CHUNK) {
    let pending = ids.slice(i, i + CHUNK);
    for (let attempt = 0; pending.length > 0; attempt++) {
      if (ctx.signal.aborted) throw new AbortedDelivery();
      const again: string[] = [];
      try {
        const res = await client.bulk(
          { operations: pending.map((_id) => ({ delete: { _index: index, _id } })), filter_path: 'items.*.status,items.*.error' },
          { signal: ctx.signal },
        );
        const items = res.items ?? [];
        pending.forEach((id, k) => {
          const item = items[k] ? (Object.values(items[k]!)[0] as BulkItemResult | undefined) : undefined;
          if (item?.status === 404) return void result.missing++;
          const outcome = item ? classifyItem(item) : { kind: 'retry' as const, reason: 'missing_item' };
          if (outcome.kind === 'ok' || outcome.kind === 'duplicate') result.deleted++;
          else if (outcome.kind === 'retry') again.push(id);
          else result.refused.push({ id, reason: `${outcome.code}: ${outcome.reason}` });
        });
      } catch (err) {
        if (ctx.signal.aborted) throw new AbortedDelivery();
        ctx.logger.warn(`deleting ${pending.length} stale anomaly documents failed (${requestFailureReason(err)}), retrying: ${describeError(err)}`);
        again.push(...pending);
      }
      if (again.length > 0 && !(await wait(backoffDelay(attempt, delivery.retryInitialMs, delivery.retryMaxMs), ctx.signal))) {
        throw new AbortedDelivery();
      }
      pending = again;
    }
  }
  return result;
}
