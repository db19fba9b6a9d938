// A small HTTP client for Kibana's REST API: base URL and space prefix, the `kbn-xsrf` header,
// the same credentials as Elasticsearch (basic or API key), optional CA bundle, a timeout per
// request, and failures turned into KibanaErrors that name the URL, the request and the status.
//
// Credentials live in one header built here and are never part of a message; a URL with
// user:password@ is refused rather than redacted and used.

import { readFileSync } from 'node:fs';
import { Agent, fetch, type FormData } from 'undici';
import { SmfError } from '../errors.js';
import { KibanaError } from './errors.js';

export interface KibanaConnection {
  /** Kibana's base URL, e.g. http://localhost:5601 or https://host/kibana (a base path is kept). */
  url: string;
  /** Kibana space id; undefined or "default" → the default space. */
  space?: string;
  username?: string;
  password?: string;
  /** Encoded API key (base64 of id:key), sent as `Authorization: ApiKey …`. */
  apiKey?: string;
  caCert?: string; // path to a PEM CA bundle
  verifyCertificate?: boolean; // default true
  requestTimeoutMs?: number; // default 60 s (an import of many objects can take a while)
}

export interface KibanaResponse {
  status: number;
  body: unknown;
}

const SPACE_ID = /^[a-z0-9_-]+$/;
const TLS_CODES = new Set([
  'UNABLE_TO_VERIFY_LEAF_SIGNATURE',
  'SELF_SIGNED_CERT_IN_CHAIN',
  'DEPTH_ZERO_SELF_SIGNED_CERT',
  'CERT_HAS_EXPIRED',
  'ERR_TLS_CERT_ALTNAME_INVALID',
  'UNABLE_TO_GET_ISSUER_CERT_LOCALLY',
]);

export class KibanaClient {
  /** The base URL as shown in messages (no credentials, no trailing slash). */
  readonly url: string;
  readonly space: string | undefined;
  private readonly base: string;
  private readonly authorization: string | undefined;
  private readonly dispatcher: Agent | undefined;
  private readonly timeoutMs: number;

  constructor(c: KibanaConnection) {
    const shown = c.url.replace(/\/\/[^/@]*@/, '//***@');
    let base: URL;
    try {
      base = new URL(c.url);
    } catch {
      throw new SmfError('SMF_ERR_USAGE', `Kibana URL '${shown}' (--kibana or KIBANA_URL) is not a URL`, { hint: 'e.g. --kibana http://localhost:5601' });
    }
    if (base.username || base.password) {
      throw new SmfError('SMF_ERR_USAGE', `Kibana URL '${shown}': credentials in the URL are not accepted`, {
        hint: 'Kibana uses the Elasticsearch credentials: output.elasticsearch in the config, or ES_USERNAME/ES_PASSWORD or ES_API_KEY',
      });
    }
    if (base.protocol !== 'http:' && base.protocol !== 'https:') throw new SmfError('SMF_ERR_USAGE', `Kibana URL '${shown}' must be an http or https URL`);
    if (base.search || base.hash) throw new SmfError('SMF_ERR_USAGE', `Kibana URL '${shown}' must not have a query or fragment`);
    if (c.space !== undefined && !SPACE_ID.test(c.space)) {
      throw new SmfError('SMF_ERR_USAGE', `Kibana space '${c.space}' (--kibana-space) is not a space id (lowercase letters, digits, '_' and '-')`);
    }
    // Kept as a string: URL.pathname cannot be empty, and "/" + "/api/…" would be a different path.
    this.base = `${base.origin}${base.pathname.replace(/\/+$/, '')}`;
    this.url = this.base;
    this.space = c.space === 'default' ? undefined : c.space;
    if (c.apiKey) this.authorization = `ApiKey ${c.apiKey}`;
    else if (c.username) this.authorization = `Basic ${Buffer.from(`${c.username}:${c.password ?? ''}`).toString('base64')}`;
    if (c.caCert || c.verifyCertificate === false) {
      this.dispatcher = new Agent({ connect: { ...(c.caCert ? { ca: readFileSync(c.caCert) } : {}), rejectUnauthorized: c.verifyCertificate !== false } });
    }
    this.timeoutMs = c.requestTimeoutMs ?? 60_000;
  }

  /** "/api/…" in the configured space (Kibana prefixes space-scoped APIs with /s/<space>). */
  spacePath(path: string): string {
    return this.space ? `/s/${this.space}${path}` : path;
  }

  /**
   * One request; resolves for 2xx and for the statuses in `accept` (e.g. 404 when probing),
   * otherwise rejects with a KibanaError naming the URL, method, path and status.
   */
  async request(method: 'GET' | 'POST' | 'PUT', path: string, opts: { json?: unknown; form?: FormData; accept?: number[] } = {}): Promise<KibanaResponse> {
    const headers: Record<string, string> = { 'kbn-xsrf': 'smf-agent', accept: 'application/json' };
    if (this.authorization) headers.authorization = this.authorization;
    let body: string | FormData | undefined;
    if (opts.json !== undefined) {
      headers['content-type'] = 'application/json';
      body = JSON.stringify(opts.json);
    } else if (opts.form) body = opts.form; // fetch sets the multipart boundary
    const target = `${this.base}${path}`;
    const what = `${method} ${path}`;
    let res: Awaited<ReturnType<typeof fetch>>;
    try {
      res = await fetch(target, {
        method,
        headers,
        ...(body === undefined ? {} : { body }),
        ...(this.dispatcher ? { dispatcher: this.dispatcher } : {}),
        signal: AbortSignal.timeout(this.timeoutMs),
        redirect: 'manual',
      });
    } catch (err) {
      throw this.connectError(err, what);
    }
    const text = await res.text().catch(() => '');
    let parsed: unknown = text;
    try {
      parsed = text ? JSON.parse(text) : undefined;
    } catch {
      // not JSON: keep the text for the message
    }
    if ((res.status >= 200 && res.status < 300) || opts.accept?.includes(res.status)) return { status: res.status, body: parsed };
    const detail = kibanaMessage(parsed);
    const statusText = `${res.status}${res.statusText ? ` ${res.statusText}` : ''}`;
    if (res.status === 401 || res.status === 403) {
      throw new KibanaError(
        'SMF_ERR_KIBANA_AUTH',
        `Kibana ${this.url} answered ${statusText} to ${what}${detail ? `: ${detail}` : ''} ` +
          `(Kibana is called with the Elasticsearch credentials; the user needs the Kibana privileges for saved objects and alerting rules${this.space ? ` in space '${this.space}'` : ''})`,
        { status: res.status },
      );
    }
    const where = res.status >= 300 && res.status < 400 ? ` (redirect to ${res.headers.get('location') ?? '?'}: is the base path right?)` : '';
    throw new KibanaError('SMF_ERR_KIBANA_REQUEST', `Kibana ${this.url} answered ${statusText} to ${what}${detail ? `: ${detail}` : ''}${where}`, {
      status: res.status,
    });
  }

  async close(): Promise<void> {
    await this.dispatcher?.close();
  }

  private connectError(err: unknown, what: string): KibanaError {
    const e = err as Error & { cause?: { code?: string; message?: string } };
    if (e.name === 'TimeoutError' || e.name === 'AbortError') {
      return new KibanaError('SMF_ERR_KIBANA_CONNECT', `Kibana ${this.url} did not answer ${what} within ${this.timeoutMs} ms`, { cause: err });
    }
    const code = e.cause?.code;
    const reason = code ?? e.cause?.message ?? e.message;
    const tls = code !== undefined && TLS_CODES.has(code) ? ' (certificate refused: set the CA with output.elasticsearch.ca_cert or ES_CA_CERT, which Kibana shares)' : '';
    return new KibanaError('SMF_ERR_KIBANA_CONNECT', `cannot reach Kibana at ${this.url} (${what}): ${reason}${tls}`, { cause: err });
  }
}

/** Kibana's error message from a JSON error body ({ statusCode, error, message }), shortened. */
function kibanaMessage(body: unknown): string {
  let msg = '';
  if (typeof body === 'object' && body !== null) {
    const b = body as { message?: unknown; error?: unknown };
    msg = typeof b.message === 'string' ? b.message : typeof b.error === 'string' ? b.error : JSON.stringify(body);
  } else if (typeof body === 'string') msg = body;
  msg = msg.replace(/\s+/g, ' ').trim();
  return msg.length > 500 ? `${msg.slice(0, 500)}…` : msg;
}
