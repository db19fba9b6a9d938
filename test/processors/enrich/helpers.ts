// Builders for enrichment tests: compact EventDocs as the normalizer writes them.
import type { EventDoc } from '../../../processors/schema/event.js';

export const T0 = Date.parse('2025-03-03T08:00:00.000Z');
export const SECOND = 1000;
export const MINUTE = 60 * SECOND;
export const HOUR = 60 * MINUTE;

export interface Spec {
  at: number; // epoch ms
  action?: string;
  type?: string[];
  user?: string;
  ip?: string;
  address?: string;
  job?: string;
  jobId?: string;
  terminal?: string;
  system?: string | null; // null: no host.name
  dsn?: string;
}

/** An EventDoc with only the fields named (system defaults to SYSA). */
export function ev(s: Spec): EventDoc {
  const doc: EventDoc = {
    '@timestamp': new Date(s.at).toISOString(),
    event: { kind: 'event', module: 'smf', dataset: 'smf.test', created: '2025-03-03T00:00:00.000Z' },
    host: s.system === null ? {} : { name: s.system ?? 'SYSA' },
    smf: { format: 'json', profile: 'generic' },
  };
  if (s.action !== undefined) doc.event.action = s.action;
  if (s.type !== undefined) doc.event.type = s.type;
  if (s.user !== undefined) doc.user = { name: s.user };
  if (s.ip !== undefined || s.address !== undefined) doc.source = {};
  if (s.ip !== undefined) (doc.source as NonNullable<EventDoc['source']>).ip = s.ip;
  if (s.address !== undefined) (doc.source as NonNullable<EventDoc['source']>).address = s.address;
  if (s.job !== undefined) doc.process = { name: s.job };
  if (s.jobId !== undefined || s.terminal !== undefined || s.dsn !== undefined) doc.zos = {};
  if (s.jobId !== undefined) (doc.zos as NonNullable<EventDoc['zos']>).job_id = s.jobId;
  if (s.terminal !== undefined) (doc.zos as NonNullable<EventDoc['zos']>).terminal = s.terminal;
  if (s.dsn !== undefined) (doc.zos as NonNullable<EventDoc['zos']>).dsn = s.dsn;
  return doc;
}

/** What enrichment left on a document: the five session fields plus its bookkeeping. */
export function seen(doc: EventDoc) {
  return {
    user: doc.user?.name,
    ip: doc.source?.ip,
    job: doc.process?.name,
    jobId: doc.zos?.job_id,
    terminal: doc.zos?.terminal,
    fields: doc.enrichment?.fields ?? [],
    sources: doc.enrichment?.sources ?? [],
  };
}
