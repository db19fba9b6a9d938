// Bookkeeping of what enrichment added to a document (domain.md §3: record which fields were
// filled by enrichment rather than read from the record).
//
// `enrichment.fields` lists each filled dotted path once; `enrichment.sources` lists each source
// once ("session:job_id", "session:terminal", "session:job_name", "lookup:<table>"). Both are sets
// in insertion order, not parallel arrays: a search filters on them ("enrichment.sources:
// lookup:hr"); which source gave which field is not recorded.

import type { EventDoc } from '../schema/event.js';

export function markField(doc: EventDoc, path: string): void {
  const e = (doc.enrichment ??= {});
  const fields = (e.fields ??= []);
  if (!fields.includes(path)) fields.push(path);
}

export function markSource(doc: EventDoc, source: string): void {
  const e = (doc.enrichment ??= {});
  const sources = (e.sources ??= []);
  if (!sources.includes(source)) sources.push(source);
}
