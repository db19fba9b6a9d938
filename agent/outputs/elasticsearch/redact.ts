// Error text that is safe to log. The client's messages come from undici, TLS and Elasticsearch
// itself; a message that quotes a URL could carry credentials (https://user:pass@host), and the
// configured secrets must never reach a log line whatever quoted them. No I/O, unit-tested.

import type { ConnectionSettings } from './client.js';

const USERINFO = /\b([a-z][a-z0-9+.-]*:\/\/)[^\s/?#@]+@/gi;

/** Secrets shorter than this are not searched for (they would mangle ordinary words). */
const MIN_SECRET = 4;

/** The secrets of a connection: password, API key (encoded and decoded forms), URL passwords. */
export function secretsOf(s: ConnectionSettings): string[] {
  const out = new Set<string>();
  if (s.password) out.add(s.password);
  if (s.apiKey) {
    out.add(s.apiKey);
    const decoded = s.apiKey.includes(':') ? s.apiKey : Buffer.from(s.apiKey, 'base64').toString('utf8');
    const secret = decoded.split(':')[1];
    if (secret) out.add(secret);
    out.add(Buffer.from(decoded).toString('base64'));
  }
  for (const host of s.hosts) {
    try {
      const url = new URL(host);
      if (url.password) {
        out.add(url.password);
        out.add(decodeURIComponent(url.password));
      }
    } catch {
      // not a URL: nothing to take from it (the schema only lets URLs through)
    }
  }
  return [...out].filter((x) => x.length >= MIN_SECRET).sort((a, b) => b.length - a.length);
}

/** Removes userinfo from every URL in `text`, then every occurrence of a secret. */
export function redact(text: string, secrets: readonly string[] = []): string {
  let out = text.replace(USERINFO, '$1***@');
  for (const secret of secrets) out = out.split(secret).join('***');
  return out;
}
