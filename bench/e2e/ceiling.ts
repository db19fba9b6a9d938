// The raw bulk ceiling: the agent's own documents (docs.tsv, built before timing) indexed with the
// official client exactly as the agent's output would send them — `create` with the deterministic
// _id, chunks of bulk_max_events / bulk_max_bytes, `concurrency` requests in flight, the same
// filter_path — but with every request body serialised beforehand. Nothing is left to do on the
// client side but send, so this is as fast as this node takes these documents in this shape.

import { createReadStream } from 'node:fs';
import { createInterface } from 'node:readline';
import type { Client } from '@elastic/elasticsearch';
import type { ElasticsearchConfig } from '../../agent/config/schema.js';
import { esCpuMs, finalCount } from './es.js';
import type { ShipperRun } from './types.js';

/** NDJSON request bodies for `index`, chunked as the agent's output chunks a batch. */
export async function buildBodies(docsPath: string, index: string, out: Pick<ElasticsearchConfig, 'bulk_max_events' | 'bulk_max_bytes'>): Promise<{ bodies: Buffer[]; docs: number }> {
  const bodies: Buffer[] = [];
  let parts: string[] = [];
  let count = 0;
  let bytes = 0;
  let docs = 0;
  const actionHead = `{"create":{"_index":${JSON.stringify(index)},"_id":`;
  const flush = () => {
    if (count) bodies.push(Buffer.from(`${parts.join('\n')}\n`));
    parts = [];
    count = 0;
    bytes = 0;
  };
  for await (const line of createInterface({ input: createReadStream(docsPath), crlfDelay: Infinity })) {
    const tab = line.indexOf('\t');
    const id = line.slice(0, tab);
    const json = line.slice(tab + 1);
    const size = json.length + 80; // the output's own estimate
    if (count >= out.bulk_max_events || (count > 0 && bytes + size > out.bulk_max_bytes)) flush();
    parts.push(`${actionHead}${JSON.stringify(id)}}}`, json);
    count++;
    bytes += size;
    docs++;
  }
  flush();
  return { bodies, docs };
}

interface BulkResponse {
  errors?: boolean;
  items?: Record<string, { status: number; error?: { type?: string } }>[];
}

/** Sends the bodies, `concurrency` at a time; resolves when the last one is acknowledged. */
export async function runCeiling(es: Client, index: string, bodies: readonly Buffer[], docs: number, concurrency: number): Promise<ShipperRun> {
  const failures = new Map<string, number>();
  const es0 = await esCpuMs(es);
  const cpu0 = process.cpuUsage();
  const t0 = performance.now();
  let next = 0;
  const worker = async () => {
    while (next < bodies.length) {
      const body = bodies[next++]!;
      const res = (await es.transport.request({
        method: 'POST',
        path: '/_bulk',
        bulkBody: body,
        querystring: { filter_path: 'errors,items.*.status,items.*.error.type' },
      })) as BulkResponse;
      if (res.errors) {
        for (const item of res.items ?? []) {
          const r = Object.values(item)[0];
          if (r && r.status >= 300) failures.set(`${r.status} ${r.error?.type ?? ''}`.trim(), (failures.get(`${r.status} ${r.error?.type ?? ''}`.trim()) ?? 0) + 1);
        }
      }
    }
  };
  await Promise.all(Array.from({ length: concurrency }, worker));
  const seconds = (performance.now() - t0) / 1000;
  const cpu = process.cpuUsage(cpu0);
  const esCpu = (await esCpuMs(es)) - es0;
  const indexed = await finalCount(es, index);
  return {
    lines: docs,
    indexed,
    seconds,
    linesPerSecond: docs / seconds,
    shipperCpuMs: (cpu.user + cpu.system) / 1000,
    esCpuMs: esCpu,
    ...(failures.size ? { notes: [`bulk item failures: ${[...failures].map(([k, v]) => `${v}× ${k}`).join(', ')}`] } : {}),
  };
}
