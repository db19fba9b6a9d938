// Test access to the run's Elasticsearch (started by scripts/with-es.ts, or ES_URL).
// Each test gets index names under its own random prefix and deletes them when it ends.

import { randomBytes } from 'node:crypto';
import type { ExecutionContext } from 'ava';
import type { Client } from '@elastic/elasticsearch';
import { connectionFromEnv, createClient, type ConnectionSettings } from '../../agent/outputs/elasticsearch/client.js';

export function esSettings(): ConnectionSettings {
  const s = connectionFromEnv();
  if (!s) throw new Error('ES_URL is not set: run tests with `npm test` (which starts a local node) or set ES_URL');
  return s;
}

export interface EsFixture {
  es: Client;
  settings: ConnectionSettings;
  /** A unique lowercase tag, e.g. "t-3fa9c2"; every index the test creates must contain it. */
  prefix: string;
}

/** A client and a unique prefix; the prefix's indices and templates are removed after the test. */
export function useEs(t: ExecutionContext): EsFixture {
  const settings = esSettings();
  const es = createClient(settings);
  const prefix = `t-${randomBytes(4).toString('hex')}`;
  t.teardown(async () => {
    // Resolve names first: clusters may forbid wildcard deletes (action.destructive_requires_name).
    const found = await es.indices.get({ index: `*${prefix}*`, expand_wildcards: 'all' }).catch(() => ({}));
    const names = Object.keys(found);
    if (names.length) await es.indices.delete({ index: names, ignore_unavailable: true }).catch(() => {});
    const templates = await es.indices.getIndexTemplate({ name: `${prefix}*` }).catch(() => ({ index_templates: [] }));
    for (const tpl of templates.index_templates) await es.indices.deleteIndexTemplate({ name: tpl.name }).catch(() => {});
    const comps = await es.cluster.getComponentTemplate({ name: `${prefix}*` }).catch(() => ({ component_templates: [] }));
    for (const c of comps.component_templates) await es.cluster.deleteComponentTemplate({ name: c.name }).catch(() => {});
    await es.close();
  });
  return { es, settings, prefix };
}

/**
 * Polls until `index` holds at least `n` documents (or the time is up); returns the last count.
 * Errors while the index is being created (404, 503 no_shard_available) count as "not yet".
 */
export async function waitForCount(es: Client, index: string, n: number, timeoutMs = 60_000): Promise<number> {
  const deadline = Date.now() + timeoutMs;
  let count = 0;
  for (;;) {
    try {
      await es.indices.refresh({ index, ignore_unavailable: true });
      count = (await es.count({ index, ignore_unavailable: true })).count;
    } catch {
      count = 0;
    }
    if (count >= n || Date.now() > deadline) return count;
    await new Promise((r) => setTimeout(r, 100));
  }
}
