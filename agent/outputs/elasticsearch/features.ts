// Feature detection. The product must work on a full production cluster and on the reduced
// integration-test node used here (no ingest-common, painless, ILM, reindex/delete-by-query,
// possibly no data streams), so nothing core depends on these; `setup` and the docs report them.

import type { Client } from '@elastic/elasticsearch';

export interface ClusterFeatures {
  version: string;
  modules: string[];
  /** Data streams are created from a template by the server core (7.9+): always true on 8.x. */
  dataStreamAutoCreate: boolean;
  /** The `_data_stream` management APIs (module data-streams): absent on the test node. */
  dataStreamApi: boolean;
  ingestProcessors: string[]; // ingest processor types the node offers
  painless: boolean;
  ilm: boolean;
  deleteByQuery: boolean;
}

/** Probes what the cluster can do, using only read requests and throw-away names. */
export async function detectFeatures(es: Client): Promise<ClusterFeatures> {
  // `GET /` lives in the rest-root module, absent from the integration-test node: ask _nodes instead.
  const nodes = await es.nodes.info({ metric: ['plugins', 'ingest'] });
  const versions = Object.values(nodes.nodes).map((n) => n.version);
  const modules = new Set<string>();
  const processors = new Set<string>();
  for (const node of Object.values(nodes.nodes)) {
    for (const m of node.modules ?? []) modules.add(m.name);
    for (const p of node.ingest?.processors ?? []) processors.add(p.type);
  }
  const probe = async (fn: () => Promise<unknown>) => {
    try {
      await fn();
      return true;
    } catch (err) {
      // 404 "index_not_found" or a 400 about our probe's arguments means the API exists.
      const status = (err as { meta?: { statusCode?: number }; body?: unknown }).meta?.statusCode;
      const type = JSON.stringify((err as { meta?: { body?: unknown } }).meta?.body ?? '');
      return status === 404 && type.includes('index_not_found') ? true : false;
    }
  };
  return {
    version: versions.sort()[0] ?? 'unknown',
    modules: [...modules].sort(),
    dataStreamAutoCreate: Number(versions[0]?.split('.')[0] ?? 0) >= 8,
    dataStreamApi: modules.has('data-streams') || (await probe(() => es.indices.getDataStream({ name: 'smf-agent-probe-*' }))),
    ingestProcessors: [...processors].sort(),
    painless: modules.has('lang-painless'),
    ilm: modules.has('x-pack-ilm'),
    deleteByQuery: modules.has('reindex'),
  };
}
