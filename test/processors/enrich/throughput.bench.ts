// Throughput of enrich() alone, on simulated documents (parse and normalize are done beforehand and
// not timed). Not an ava test (the machine is shared, timings are noisy): run it with
//   npx tsx test/processors/enrich/throughput.bench.ts
// Prints the median of 5 runs for: the session cache alone, the cache plus a user and an ip
// table, and a cache held at its 200,000-entry bound (a stream of ever new batch jobs).
// takeChanges() is called every 2,000 events, as the runtime does per batch, and is timed too.
import { createEnricher, type Enricher, type LookupTableInput } from '../../../processors/enrich/index.js';
import { createNormalizer } from '../../../processors/normalize/index.js';
import { createParser } from '../../../processors/parse/index.js';
import type { EventDoc } from '../../../processors/schema/event.js';
import { simulate } from '../../../processors/simulate/index.js';

const RUNS = 5;
const BATCH = 2000; // pipeline.batch_max_events default

function simulatedDocs(): EventDoc[] {
  const parser = createParser({ format: 'auto' });
  const normalizer = createNormalizer({});
  const docs: EventDoc[] = [];
  for (const line of simulate({ users: 400, days: 5, format: 'leef', seed: 3 })) {
    const parsed = parser.parse(line.text);
    if (!parsed.ok || parsed.record === null) continue;
    const normalized = normalizer.normalize(parsed.record, { receivedAt: line.time, inputName: 'bench' });
    if (normalized.ok) docs.push(normalized.doc);
  }
  return docs;
}

/** Batch jobs with ever new names and ids, each followed by data set records naming only the job. */
function churnDocs(n: number): EventDoc[] {
  const docs: EventDoc[] = [];
  const t0 = Date.parse('2025-03-03T00:00:00.000Z');
  for (let i = 0; docs.length < n; i++) {
    const base = { kind: 'event', module: 'smf', dataset: 'smf.job', created: '2025-03-03T00:00:00.000Z' } as const;
    const at = new Date(t0 + i * 50).toISOString();
    const job = `J${(i % 400_000).toString(36).toUpperCase()}`;
    docs.push({ '@timestamp': at, event: { ...base, action: 'job-start' }, host: { name: 'SYSA' }, smf: { format: 'json', profile: 'generic' }, user: { name: `U${i % 5000}` }, process: { name: job }, zos: { job_id: `JOB${i % 99999}` } });
    for (let k = 0; k < 3; k++) docs.push({ '@timestamp': at, event: { ...base, dataset: 'smf.dataset' }, host: { name: 'SYSA' }, smf: { format: 'json', profile: 'generic' }, process: { name: job } });
  }
  return docs;
}

function tables(docs: readonly EventDoc[]): LookupTableInput[] {
  const users = new Set<string>();
  const ips = new Set<string>();
  for (const d of docs) {
    if (d.user?.name !== undefined) users.add(d.user.name);
    if (d.source?.ip !== undefined) ips.add(d.source.ip);
  }
  return [
    { name: 'user', format: 'csv', text: `user_id,full_name,department\n${[...users].map((u) => `${u},Name of ${u},Dept`).join('\n')}\n` },
    { name: 'ip', format: 'csv', text: `ip,domain\n${[...ips].map((ip) => `${ip},host-${ip.replaceAll('.', '-')}.example`).join('\n')}\n` },
  ];
}

function measure(label: string, docs: readonly EventDoc[], make: () => Enricher): void {
  const rates: number[] = [];
  for (let run = 0; run < RUNS; run++) {
    const copies = structuredClone(docs) as EventDoc[];
    const enricher = make();
    const start = process.hrtime.bigint();
    for (let i = 0; i < copies.length; i++) {
      enricher.enrich(copies[i] as EventDoc);
      if (i % BATCH === BATCH - 1) enricher.takeChanges(); // the runtime commits them per batch
    }
    const seconds = Number(process.hrtime.bigint() - start) / 1e9;
    rates.push(copies.length / seconds);
    if (run === RUNS - 1) {
      const s = enricher.stats().session;
      console.log(`  (last run: ${s.entries} entries, ${s.evictions} evictions, ${s.hits} hits, ${s.misses} misses)`);
    }
  }
  rates.sort((a, b) => a - b);
  const median = rates[Math.floor(RUNS / 2)] as number;
  console.log(`${label}: ${docs.length} events, median ${Math.round(median).toLocaleString('en')} events/s (${(1e6 / median).toFixed(2)} µs/event); runs ${rates.map((r) => Math.round(r / 1000) + 'k').join(' ')}`);
}

const docs = simulatedDocs();
measure('session cache, simulated feed', docs, () => createEnricher());
const t = tables(docs);
measure('session cache + user and ip tables', docs, () => {
  const e = createEnricher();
  e.setTables(t);
  return e;
});
measure('session cache at its 200k bound (churn)', churnDocs(1_000_000), () => createEnricher());
