// The demo's printed summary: what reached Elasticsearch, how complete the key fields are, one
// investigation timeline, dead letters, and the queries to go further.

import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import type { Client } from '@elastic/elasticsearch';
import type { ConnectionSettings } from '../agent/outputs/elasticsearch/client.js';

interface Indices {
  events: string;
  deadLetters: string;
  pairs: string;
  rows: string;
  anomalies: string;
  /** The simulator's ground truth (labelled incidents), to rehearse detection against. */
  truthDir: string;
  day: string;
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

  const incidents = labelledIncidents(ix.truthDir);
  await printAssociations(es, ix);
  const hits = await printAnomalies(es, ix, incidents);
  // The timeline an analyst pulls up when an alert fires: the first detected incident's user.
  const detected = incidents.find((i) => hits.has(i.user));
  const user = detected?.user ?? a.top_users!.buckets.find((b) => !/PRD|PROD|BATCH/.test(b.key))?.key ?? a.top_users!.buckets[0]?.key;
  if (user) {
    const tl = await es.search({
      index: ix.events,
      size: 8,
      sort: [{ '@timestamp': 'asc' }],
      query: { bool: { filter: [{ term: { 'user.name': user } }, { range: { '@timestamp': { gte: `${ix.day}T00:00:00`, time_zone: 'Europe/Berlin' } } }] } },
    });
    console.log(`\nTimeline of user ${user} (first 8 of ${(tl.hits.total as { value: number }).value} events, one filter on user.name):`);
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

interface Incident {
  label: string;
  kind: string;
  user: string;
}

function labelledIncidents(dir: string): Incident[] {
  const labels = new Set<string>();
  for (const f of readdirSync(dir).filter((x) => !x.startsWith('sample-'))) {
    for (const line of readFileSync(join(dir, f), 'utf8').split('\n')) {
      const m = /"incident":"([^"]+)"/.exec(line);
      if (m) labels.add(m[1]!);
    }
  }
  return [...labels].sort().map((label) => {
    const [kind, , user] = label.split('/') as [string, string, string];
    return { label, kind, user };
  });
}

async function printAssociations(es: Client, ix: Indices): Promise<void> {
  const rows = await es.search({ index: ix.rows, size: 50, sort: [{ 'association.messages.history': 'desc' }] }).catch(() => undefined);
  const pairs = await es.count({ index: ix.pairs }).catch(() => ({ count: 0 }));
  if (!rows) return;
  console.log(`\nAssociations (${pairs.count} pairs in ${ix.pairs}; the Associations tab of the source product):`);
  console.log(`  ${'definition'.padEnd(40)} ${'last message'.padEnd(24)} ${'unique today/history'.padEnd(21)} messages today/history`);
  for (const h of rows.hits.hits) {
    const a = (h._source as { association: { definition: { name: string }; status: string; last_message?: string; unique: { today: number; history: number }; messages: { today: number; history: number } } }).association;
    if (a.messages.history === 0 && a.status === 'ok') continue;
    console.log(`  ${a.definition.name.padEnd(40)} ${(a.last_message ?? '-').slice(0, 19).padEnd(24)} ${`${a.unique.today} / ${a.unique.history}`.padEnd(21)} ${a.messages.today} / ${a.messages.history}${a.status === 'error' ? '  ERROR' : ''}`);
  }
}

/** Prints the day's anomalies and the rehearsal: which labelled incidents they caught. Returns the flagged items. */
async function printAnomalies(es: Client, ix: Indices, incidents: Incident[]): Promise<Set<string>> {
  const r = await es.search({ index: ix.anomalies, size: 500, query: { term: { 'anomaly.day': ix.day } }, sort: [{ 'event.severity': 'desc' }] }).catch(() => undefined);
  const docs = (r?.hits.hits ?? []).map((h) => h._source as { message: string; anomaly: { kind: string; mode?: string; severity: string; score?: number }; association: { definition: { id: string }; field1: { value: string } } });
  const flagged = new Set(docs.map((d) => d.association.field1.value));
  const byKind = new Map<string, number>();
  for (const d of docs) byKind.set(`${d.anomaly.kind}${d.anomaly.mode ? `/${d.anomaly.mode}` : ''}`, (byKind.get(`${d.anomaly.kind}${d.anomaly.mode ? `/${d.anomaly.mode}` : ''}`) ?? 0) + 1);
  console.log(`\nAnomalies for ${ix.day} in ${ix.anomalies}: ${docs.length} (${[...byKind].map(([k, n]) => `${k} ${n}`).join(', ') || 'none'})`);
  for (const d of docs.filter((x) => x.anomaly.kind !== 'new_associations').slice(0, 8)) console.log(`  [${d.anomaly.severity}] ${d.message}`);
  console.log('\nRehearsal: the simulated incidents, and the anomaly documents that name their user:');
  for (const i of incidents) {
    const found = docs.filter((d) => d.association.field1.value === i.user || d.association.field1.value.startsWith(`${i.user}/`));
    const how = [...new Set(found.map((d) => `${d.association.definition.id}:${d.anomaly.kind}${d.anomaly.mode ? `/${d.anomaly.mode}` : ''}`))];
    console.log(`  ${i.kind.padEnd(15)} ${i.user.padEnd(9)} ${found.length ? `detected (${how.slice(0, 4).join(', ')}${how.length > 4 ? ', …' : ''})` : 'not flagged'}`);
  }
  return flagged;
}
