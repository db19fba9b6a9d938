// An extra Elasticsearch node for one test: its own temporary home and free ports, configured by
// the test (tiny write queues, HTTP TLS…), stopped and deleted when the test ends. The run's
// shared node (ES_URL) is never touched. A start takes ~10–25 s on a loaded 2-core machine.

import { execFileSync } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { ExecutionContext } from 'ava';
import type { Client } from '@elastic/elasticsearch';
import { createClient, type ConnectionSettings } from '../../agent/outputs/elasticsearch/client.js';
import * as localNode from '../../scripts/es/local-node.js';

export interface ExtraNodeOptions {
  settings?: localNode.LocalNodeOptions['settings'];
  tls?: { certDir: string };
  heap?: string; // default 512m
}

export interface ExtraNode {
  connection: localNode.NodeConnection;
  port: number;
  /** Connection settings as the elastic superuser (with the CA for a TLS node). */
  settings: ConnectionSettings;
  /** A client for the test's own checks; closed in teardown. */
  es: Client;
  /** Milliseconds the first start took. */
  startedMs: number;
  /** Stops the node (data kept); `start()` brings it back on the same port with the same data. */
  stop(): Promise<void>;
  start(): Promise<number>;
}

/** Starts a node for this test; teardown stops it and deletes its home. */
export async function startExtraNode(t: ExecutionContext, opts: ExtraNodeOptions = {}): Promise<ExtraNode> {
  const home = mkdtempSync(join(tmpdir(), 'smf-es-extra-'));
  const port = await freePortPair();
  const nodeOpts: localNode.LocalNodeOptions = {
    home,
    port,
    heap: opts.heap ?? '512m',
    ...(opts.settings ? { settings: opts.settings } : {}),
    ...(opts.tls ? { tls: opts.tls } : {}),
  };
  const clients: Client[] = [];
  t.teardown(async () => {
    for (const c of clients) await c.close().catch(() => {});
    await localNode.stop({ home }).catch(() => false);
    rmSync(home, { recursive: true, force: true });
  });
  const first = await localNode.start(nodeOpts);
  const connection: localNode.NodeConnection = { url: first.url, username: first.username, password: first.password, version: first.version, home: first.home, ...(first.caCert ? { caCert: first.caCert } : {}) };
  const settings: ConnectionSettings = { hosts: [connection.url], username: connection.username, password: connection.password, ...(connection.caCert ? { caCert: connection.caCert } : {}) };
  const es = createClient(settings);
  clients.push(es);
  return {
    connection,
    port,
    settings,
    es,
    startedMs: first.startedMs,
    stop: async () => {
      await localNode.stop({ home });
    },
    start: async () => (await localNode.start(nodeOpts)).startedMs,
  };
}

/** A random HTTP port in 9400–9499 whose transport port (+100) is free too. */
async function freePortPair(): Promise<number> {
  for (let i = 0; i < 200; i++) {
    const port = 9400 + Math.floor(Math.random() * 100);
    if ((await isFree(port)) && (await isFree(port + 100))) return port;
  }
  throw new Error('no free port pair in 9400–9599');
}

/** A free TCP port on 127.0.0.1 (for the agent's monitoring endpoint). */
export async function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const srv = createServer();
    srv.once('error', reject);
    srv.listen(0, '127.0.0.1', () => {
      const addr = srv.address();
      srv.close(() => (typeof addr === 'object' && addr ? resolve(addr.port) : reject(new Error('no port'))));
    });
  });
}

function isFree(port: number): Promise<boolean> {
  return new Promise((resolve) => {
    const srv = createServer();
    srv.once('error', () => resolve(false));
    srv.listen(port, '127.0.0.1', () => srv.close(() => resolve(true)));
  });
}

/**
 * Writes a fresh CA (`ca.crt`, `ca.key`) and a server certificate it signed for 127.0.0.1 and
 * localhost (`node.crt`, `node.key`) into `dir`, as `LocalNodeOptions.tls.certDir` expects.
 */
export function makeCertificates(dir: string, caName = 'smf-test-ca'): void {
  makeCa(dir, caName);
  writeFileSync(join(dir, 'node.ext'), 'subjectAltName=IP:127.0.0.1,DNS:localhost\nbasicConstraints=CA:FALSE\nkeyUsage=digitalSignature,keyEncipherment\nextendedKeyUsage=serverAuth\n');
  openssl(dir, ['req', '-new', '-newkey', 'rsa:2048', '-nodes', '-keyout', 'node.key', '-out', 'node.csr', '-subj', '/CN=127.0.0.1']);
  openssl(dir, ['x509', '-req', '-in', 'node.csr', '-CA', 'ca.crt', '-CAkey', 'ca.key', '-set_serial', '0x1001', '-days', '3', '-out', 'node.crt', '-extfile', 'node.ext']);
}

/** Writes a self-signed CA (`ca.crt`, `ca.key`) into `dir`. */
export function makeCa(dir: string, name: string): void {
  openssl(dir, [
    'req', '-x509', '-newkey', 'rsa:2048', '-nodes', '-keyout', 'ca.key', '-out', 'ca.crt', '-days', '3', '-subj', `/CN=${name}`,
    '-addext', 'basicConstraints=critical,CA:TRUE', '-addext', 'keyUsage=critical,keyCertSign,cRLSign',
  ]);
}

function openssl(cwd: string, args: string[]): void {
  execFileSync('openssl', args, { cwd, stdio: ['ignore', 'ignore', 'pipe'] });
}
