// Builds the official client from the output's connection settings. Secrets go into the client
// only; nothing here logs them, and errors are re-described (describeError) without options.

import { readFileSync } from 'node:fs';
import { Client, type ClientOptions } from '@elastic/elasticsearch';

export interface ConnectionSettings {
  hosts: string[];
  username?: string;
  password?: string;
  apiKey?: string;
  caCert?: string; // path to a PEM CA bundle
  verifyCertificate?: boolean; // default true
  requestTimeoutMs?: number;
}

export function createClient(s: ConnectionSettings): Client {
  const opts: ClientOptions = {
    nodes: s.hosts,
    requestTimeout: s.requestTimeoutMs ?? 30_000,
    maxRetries: 0, // the pipeline owns retries: the client must report, not loop
    compression: false,
  };
  if (s.apiKey) opts.auth = { apiKey: s.apiKey };
  else if (s.username) opts.auth = { username: s.username, password: s.password ?? '' };
  if (s.caCert || s.verifyCertificate === false) {
    opts.tls = {
      ...(s.caCert ? { ca: readFileSync(s.caCert) } : {}),
      rejectUnauthorized: s.verifyCertificate !== false,
    };
  }
  return new Client(opts);
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
