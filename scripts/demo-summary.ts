// The demo's printed summary: what reached Elasticsearch, how complete the key fields are, one
// investigation timeline, dead letters, and the queries to go further.

import type { Client } from '@elastic/elasticsearch';
import type { ConnectionSettings } from '../agent/outputs/elasticsearch/client.js';

interface Indices {
  events: string;
  deadLetters: string;
}

type Buckets = { buckets: { key: string; doc_count: number }[] };

export async function printSummary(es: Client, conn: ConnectionSettings, ix: Indices): Promise<void> {
  const total = (await es.count({ index: ix.events })).count;
  const r = await es.search({
    index: ix.events,
    size: 0,
    aggs: {
      datasets: { terms: { field: 'event.dataset', size: 20 } },
      formats: { terms: { field: 'smf.format', size: 20 } },
      users: { cardinality: { field: 'user.name' } },
      jobs: { cardinality: { field: 'process.name' } },
      ips: { cardinality: { field: 'source.ip' } },
      systems: { terms: { field: 'host.name', size: 10 } },
      with_user: { filter: { exists: { field: 'user.name' } } },
      with_ip: { filter: { exists: { field: 'source.ip' } } },
      with_job: { filter: { exists: { field: 'process.name' } } },
      top_users: { terms: { field: 'user.name', size: 5 } },
      range: { stats: { field: '@timestamp' } },
    },
  });
  const a = r.aggregations as Record<string, Buckets & { value: number; doc_count: number; min_as_string?: string; max_as_string?: string }>;
  const pct = (n: number) => (total ? `${((100 * n) / total).toFixed(1)}%` : '-');
  const list = (b: Buckets) => b.buckets.map((x) => `${x.key} ${x.doc_count}`).join(', ');
  console.log(`\nEvents in ${ix.events}: ${total}`);
  console.log(`  time range        ${a.range!.min_as_string ?? '-'} … ${a.range!.max_as_string ?? '-'}`);
  console.log(`  by dataset        ${list(a.datasets!)}`);
  console.log(`  by wire format    ${list(a.formats!)}`);
  console.log(`  systems (LPARs)   ${list(a.systems!)}`);
  console.log(`  distinct          ${a.users!.value} users, ${a.jobs!.value} job names, ${a.ips!.value} client IPs`);
  console.log(`  carry user.name   ${pct(a.with_user!.doc_count)}   source.ip ${pct(a.with_ip!.doc_count)}   process.name ${pct(a.with_job!.doc_count)}`);

  const user = a.top_users!.buckets.find((b) => !/PRD|PROD|BATCH/.test(b.key))?.key ?? a.top_users!.buckets[0]?.key;
  if (user) {
    const tl = await es.search({ index: ix.events, size: 8, sort: [{ '@timestamp': 'asc' }], query: { term: { 'user.name': user } } });
    console.log(`\nTimeline of user ${user} (first 8 of ${(tl.hits.total as { value: number }).value} events, one filter):`);
    for (const h of tl.hits.hits) {
      const d = h._source as Record<string, any>; // eslint-disable-line @typescript-eslint/no-explicit-any
      const what = d.zos?.dsn ?? d.zos?.cics?.transaction ?? d.zos?.terminal ?? d.event?.action ?? '';
      console.log(`  ${d['@timestamp']}  ${d.event?.dataset ?? ''}  job=${d.process?.name ?? '-'}  ip=${d.source?.ip ?? '-'}  ${what}`);
    }
  }

  const dl = await es
    .search({ index: ix.deadLetters, size: 0, aggs: { reasons: { terms: { field: 'error.type', size: 10 } } } })
    .catch(() => undefined);
  const dlTotal = dl ? (dl.hits.total as { value: number }).value : 0;
  console.log(`\nDead letters in ${ix.deadLetters}: ${dlTotal}${dlTotal ? ` (${list((dl!.aggregations as Record<string, Buckets>).reasons!)})` : ''}`);

  // Credentials are never printed: the local node's password comes from `npm run es:status`.
  const auth = conn.username ? `-u "${conn.username}:$ES_PASSWORD" ` : conn.apiKey ? `-H "Authorization: ApiKey $ES_API_KEY" ` : '';
  const url = conn.hosts[0];
  console.log('\nTry it yourself (`npm run es:status` prints ES_URL and ES_PASSWORD of the local node):');
  console.log(`  curl -s ${auth}'${url}/${ix.events}/_search?q=user.name:${user ?? 'IBMUSER'}&sort=@timestamp:asc&size=20&pretty'`);
  console.log(`  curl -s ${auth}'${url}/${ix.deadLetters}/_search?size=3&pretty'`);
  console.log('  Kibana: create a data view on smf-events-* (time field @timestamp) and filter on user.name, source.ip or process.name.');
}
