// Classification of Elasticsearch answers into outcomes (no I/O, unit-tested).
//
// Item level: 2xx ok; 409 on create = duplicate (our ids are deterministic, so this is an earlier
// attempt's document); 429 and 5xx retry; any other 4xx (mapping conflict, bad value) reject.
// Request level: connection errors, timeouts, 429, 5xx, and also 401/403 (credentials may be
// rotated while we wait; losing data is worse than waiting) are retried for every item; the one
// exception is 413 (request too large: Elasticsearch's http.max_content_length or a proxy's body
// limit), which the output answers by splitting the request, since resending it cannot succeed.

import type { ItemOutcome } from '../../pipeline/outcome.js';

export interface BulkItemResult {
  status: number;
  error?: { type?: string; reason?: string; caused_by?: { type?: string; reason?: string } };
}

export function classifyItem(item: BulkItemResult): ItemOutcome {
  const s = item.status;
  if (s >= 200 && s < 300) return { kind: 'ok' };
  if (s === 409) return { kind: 'duplicate' };
  if (s === 429 || s >= 500) return { kind: 'retry', reason: s === 429 ? 'es_429' : `es_${s}` };
  const type = item.error?.type ?? `http_${s}`;
  const cause = item.error?.caused_by?.reason ? ` (caused by: ${item.error.caused_by.reason})` : '';
  return { kind: 'reject', code: type, reason: `${item.error?.reason ?? `status ${s}`}${cause}` };
}

/** Reason code for a whole failed request; everything at request level is retried. */
export function requestFailureReason(err: unknown): string {
  const e = err as { name?: string; meta?: { statusCode?: number } };
  const status = e.meta?.statusCode;
  if (status === 429) return 'es_429';
  if (status === 401 || status === 403) return `es_auth_${status}`;
  if (status && status >= 500) return `es_${status}`;
  if (e.name === 'TimeoutError') return 'timeout';
  if (e.name === 'ConnectionError') return 'connection';
  if (status) return `es_${status}`;
  return 'request_error';
}

/** A 429/503 answer's Retry-After (seconds or an HTTP date) in ms, when the server sent one. */
export function retryAfterMs(err: unknown, now: number = Date.now()): number | undefined {
  const headers = (err as { meta?: { headers?: Record<string, string | string[] | undefined> | null } }).meta?.headers;
  const raw = headers?.['retry-after'];
  const value = (Array.isArray(raw) ? raw[0] : raw)?.trim();
  if (!value) return undefined;
  if (/^\d+$/.test(value)) return Number(value) * 1000;
  const at = Date.parse(value);
  return Number.isNaN(at) ? undefined : Math.max(0, at - now);
}
