// Builds the official client from the output's connection settings. Secrets go into the client
// only; nothing here logs them, and errors are re-described (describeError) without options.
// Credentials written into a host URL (https://user:pass@host) are moved into the client's auth,
// so no connection URL the client keeps or quotes carries them.

import { readFileSync } from 'node:fs';
import { Client, type ClientOptions } from '@elastic/elasticsearch';

export interface ConnectionSettings {
  hosts: string[];
  username?: string;
  password?: string;
  apiKey?: string; // base64 "id:api_key" (the Security API's `encoded`), or "id:api_key" as Beats take it
  caCert?: string; // path to a PEM CA bundle
  verifyCertificate?: boolean; // default true
  requestTimeoutMs?: number;
}

export function createClient(s: ConnectionSettings): Client {
  const hosts = s.hosts.map(splitUserinfo);
  const fromUrl = hosts.find((h) => h.username !== undefined);
  const opts: ClientOptions = {
    nodes: hosts.map((h) => h.url),
    requestTimeout: s.requestTimeoutMs ?? 30_000,
    maxRetries: 0, // the pipeline owns retries: the client must report, not loop
    compression: false,
  };
  if (s.apiKey) opts.auth = { apiKey: encodedApiKey(s.apiKey) };
  else if (s.username) opts.auth = { username: s.username, password: s.password ?? '' };
  else if (fromUrl) opts.auth = { username: fromUrl.username!, password: fromUrl.password ?? '' };
  if (s.caCert || s.verifyCertificate === false) {
    opts.tls = {
      ...(s.caCert ? { ca: readFileSync(s.caCert) } : {}),
      rejectUnauthorized: s.verifyCertificate !== false,
    };
  }
  return new Client(opts);
}

/** A host URL without its userinfo, and the (decoded) credentials it carried. */
export function splitUserinfo(host: string): { url: string; username?: string; password?: string } {
  let url: URL;
  try {
    url = new URL(host);
  } catch {
    return { url: host }; // the client reports the bad URL; it carries nothing we could strip
  }
  if (!url.username && !url.password) return { url: host };
  const username = decodeURIComponent(url.username);
  const password = decodeURIComponent(url.password);
  url.username = '';
  url.password = '';
  return { url: url.toString(), username, password };
}

/** The API key as Elasticsearch's `Authorization: ApiKey` header wants it (base64 of "id:api_key"). */
export function encodedApiKey(key: string): string {
  // Base64 has no ':'; a key with one is the "id:api_key" pair itself.
  return key.includes(':') ? Buffer.from(key, 'utf8').toString('base64') : key;
}

/** Connection settings from ES_URL, ES_USERNAME, ES_PASSWORD, ES_API_KEY, ES_CA_CERT (tests, demo, scripts). */
export function connectionFromEnv(env: NodeJS.ProcessEnv = process.env): ConnectionSettings | undefined {
  if (!env.ES_URL) return undefined;
  return {
    hosts: env.ES_URL.split(',').map((h) => h.trim()),
    ...(env.ES_USERNAME ? { username: env.ES_USERNAME } : {}),
    ...(env.ES_PASSWORD ? { password: env.ES_PASSWORD } : {}),
    ...(env.ES_API_KEY ? { apiKey: env.ES_API_KEY } : {}),
    ...(env.ES_CA_CERT ? { caCert: env.ES_CA_CERT } : {}),
  };
}
