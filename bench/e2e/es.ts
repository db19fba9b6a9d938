// The Elasticsearch side of the end-to-end benchmark: the connection (ES_URL and credentials, as
// set by scripts/with-es.ts), how many documents an index has taken, the node's CPU time, and
// removal of the indices a run created, and the timed window of an external shipper's run.
//
// "Taken" is the primaries' indexing counter (index/_stats/indexing): it moves as soon as a bulk
// item is acknowledged and needs no refresh, so polling it neither forces tiny segments nor waits
// for the refresh interval, and it is the same yardstick for every shipper.

import { readFileSync } from 'node:fs';
import { setTimeout as sleep } from 'node:timers/promises';
import type { Client } from '@elastic/elasticsearch';
import { connectionFromEnv, createClient, type ConnectionSettings } from '../../agent/outputs/elasticsearch/client.js';
import { cpuMs, pollUntil, summarizeRss, type RssSampler } from './proc.js';
import type { ShipperRun } from './types.js';

export interface Es {
  client: Client;
  settings: ConnectionSettings;
  url: URL;
  version: string;
}

export async function connect(): Promise<Es> {
  const settings = connectionFromEnv();
  if (!settings) throw new Error('ES_URL is not set: run `npm run bench` (it starts the local node) or set ES_URL and credentials');
  const client = createClient({ ...settings, requestTimeoutMs: 120_000 });
  // Not GET /: the local test distribution does not serve it.
  const nodes = await client.nodes.info({ filter_path: 'nodes.*.version' });
  const version = Object.values(nodes.nodes ?? {}).map((n) => n.version).sort()[0] ?? 'unknown';
  return { client, settings, url: new URL(settings.hosts[0]!), version };
}

/** Documents the index's primaries have indexed so far (0 while the index does not exist). */
export async function indexedCount(es: Client, index: string): Promise<number> {
  try {
    const r = await es.indices.stats({ index, metric: 'indexing', filter_path: '_all.primaries.indexing.index_total' });
    return r._all?.primaries?.indexing?.index_total ?? 0;
  } catch {
    return 0;
  }
}

/** The documents an index holds once refreshed: checks that every line arrived exactly once. */
export async function finalCount(es: Client, index: string): Promise<number> {
  await es.indices.refresh({ index, ignore_unavailable: true });
  return (await es.count({ index, ignore_unavailable: true })).count;
}

/**
 * CPU milliseconds of the node(s) so far. A node on this host is read from /proc (exact); otherwise
 * the node's process.cpu.total_in_millis, which Elasticsearch refreshes only every second or so.
 * The node is shared: anything else it serves during a run is in the difference too.
 */
export async function esCpuMs(es: Client): Promise<number> {
  const info = await es.nodes.info({ metric: 'process', filter_path: 'nodes.*.process.id' }).catch(() => undefined);
  const pids = Object.values(info?.nodes ?? {}).map((n) => n.process?.id);
  if (pids.length === 1 && pids[0] !== undefined && isLocalElasticsearch(pids[0])) return cpuMs(pids[0]);
  const r = await es.nodes.stats({ metric: 'process', filter_path: 'nodes.*.process.cpu.total_in_millis' });
  return Object.values(r.nodes ?? {}).reduce((s, n) => s + (n.process?.cpu?.total_in_millis ?? 0), 0);
}

function isLocalElasticsearch(pid: number): boolean {
  try {
    return readFileSync(`/proc/${pid}/cmdline`, 'utf8').includes('org.elasticsearch');
  } catch {
    return false;
  }
}

/** Deletes the named indices (exact names: clusters may forbid wildcard deletes). */
export async function deleteIndices(es: Client, names: readonly string[]): Promise<void> {
  if (names.length) await es.indices.delete({ index: [...names], ignore_unavailable: true }).catch(() => {});
}

/**
 * The timed part of an external shipper's run (pino-elasticsearch, rsyslog), once its process is
 * up: idle memory for a second, then `start()` hands it the input and the clock runs until the
 * index holds `lines` documents. `exited()` says why the process is gone, if it is.
 */
export async function timeIndexing(
  es: Client,
  o: { name: string; index: string; lines: number; pid: number; sampler: RssSampler; start: () => void; exited: () => string | undefined },
): Promise<ShipperRun> {
  await sleep(1000);
  const idleBefore = summarizeRss(o.sampler.window());
  const es0 = await esCpuMs(es);
  const cpu0 = cpuMs(o.pid);
  const t0 = performance.now();
  const loadFrom = o.sampler.elapsed();
  o.start();
  await pollUntil(
    `${o.name} to index ${o.lines} lines`,
    async () => {
      const n = await indexedCount(es, o.index);
      if (n >= o.lines) return true;
      const why = o.exited();
      if (why !== undefined) throw new Error(`${o.name} exited after ${n} documents: ${why}`);
      return undefined;
    },
    Math.max(300_000, o.lines * 5),
  );
  const seconds = (performance.now() - t0) / 1000;
  const shipperCpuMs = cpuMs(o.pid) - cpu0;
  const esCpu = (await esCpuMs(es)) - es0;
  const load = summarizeRss(o.sampler.window(loadFrom, o.sampler.elapsed()));
  const indexed = await finalCount(es, o.index);
  return {
    lines: o.lines,
    indexed,
    seconds,
    linesPerSecond: o.lines / seconds,
    shipperCpuMs,
    esCpuMs: esCpu,
    rss: { ...(idleBefore ? { idleBefore } : {}), ...(load ? { load } : {}) },
  };
}
