// A local single-node Elasticsearch for tests and the demo, built from the integration-test
// distribution on Maven Central (these machines cannot reach elastic.co and have no Docker).
//
// fetch: `mvn dependency:get` puts the pinned zip in the Maven cache (~/.m2, outside the repo).
// install: unzip into the node home, write elasticsearch.yml / heap options, create the keystore
//          with a generated bootstrap password for the `elastic` user (security stays on).
// start:   as a non-root user (Elasticsearch refuses root; created when run as root), daemonized
//          with a pid file, then wait for cluster health.
// Everything is idempotent: a second start finds the running node and returns its connection.
// Tests that need a differently configured node (tiny write queues, HTTP TLS) start extra nodes
// with their own home and port through the `settings` and `tls` options.

import { execFileSync, spawnSync, type SpawnSyncOptions } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { chmodSync, copyFileSync, existsSync, mkdirSync, readFileSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { request as httpRequest } from 'node:http';
import { request as httpsRequest } from 'node:https';
import { homedir } from 'node:os';
import { dirname, join } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { SmfError } from '../../agent/errors.js';

export const ES_VERSION = '8.19.21';
const GROUP = 'org.elasticsearch.distribution.integ-test-zip';
const ARTIFACT = `${GROUP}:elasticsearch:${ES_VERSION}:zip`;
const RUN_USER = 'smf-es';

export interface LocalNodeOptions {
  home?: string; // where the node lives (default: see nodeHome)
  port?: number;
  heap?: string; // -Xmx value, e.g. "768m"
  /**
   * Extra elasticsearch.yml settings, written after (and overriding) the defaults,
   * e.g. `{ 'thread_pool.write.queue_size': 1 }`. Applied when the node starts.
   */
  settings?: Record<string, string | number | boolean>;
  /**
   * HTTP TLS. `certDir` holds PEM files `ca.crt` (the CA), `node.crt` (the server certificate,
   * valid for 127.0.0.1) and `node.key` (its unencrypted key); they are copied into the node's
   * config directory, where the node's user can read them. The connection's URL is then https.
   */
  tls?: { certDir: string };
  log?: (line: string) => void;
}

/** The TLS files `LocalNodeOptions.tls.certDir` must hold. */
export const TLS_FILES = { ca: 'ca.crt', certificate: 'node.crt', key: 'node.key' } as const;

export interface NodeConnection {
  url: string;
  username: string;
  password: string;
  version: string;
  home: string;
  /** With HTTP TLS: path of the CA certificate (PEM) that signed the node's certificate. */
  caCert?: string;
}

/** What credentials.json holds (mode 600). `tls` and `caCert` are absent for a plain-HTTP node. */
interface StoredCredentials {
  username: string;
  password: string;
  port: number;
  tls?: boolean;
  caCert?: string;
}

const POINT_ELSEWHERE =
  'To use an existing cluster instead, set ES_URL (and ES_USERNAME/ES_PASSWORD or ES_API_KEY, plus ES_CA_CERT for TLS).';

const isRoot = () => typeof process.getuid === 'function' && process.getuid() === 0;

/** Root's home is not traversable by the run user, so as root the node lives under /var/tmp. */
export function nodeHome(opts: LocalNodeOptions = {}): string {
  if (opts.home) return opts.home;
  if (process.env.SMF_ES_HOME) return process.env.SMF_ES_HOME;
  if (isRoot()) return `/var/tmp/smf-agent-es/${ES_VERSION}`;
  const cache = process.env.XDG_CACHE_HOME ?? join(homedir(), '.cache');
  return join(cache, 'smf-agent', 'es', ES_VERSION);
}

interface Layout {
  home: string; // node root (holds dist/, data/, logs/, credentials.json, es.pid)
  dist: string;
  data: string;
  logs: string;
  pid: string;
  credentials: string;
  httpCa: string; // copy of the HTTP CA certificate for clients (TLS nodes only)
}

function layout(home: string): Layout {
  return {
    home,
    dist: join(home, `elasticsearch-${ES_VERSION}`),
    data: join(home, 'data'),
    logs: join(home, 'logs'),
    pid: join(home, 'es.pid'),
    credentials: join(home, 'credentials.json'),
    httpCa: join(home, 'http-ca.crt'),
  };
}

/** JAVA_HOME of a Java ≥ 17 (ES_JAVA_HOME, JAVA_HOME, or the `java` on PATH). */
export function findJava(): string {
  const candidates = [process.env.ES_JAVA_HOME, process.env.JAVA_HOME].filter((v): v is string => !!v);
  const onPath = spawnSync('sh', ['-c', 'readlink -f "$(command -v java)"'], { encoding: 'utf8' }).stdout.trim();
  if (onPath) candidates.push(dirname(dirname(onPath)));
  for (const home of candidates) {
    const java = join(home, 'bin', 'java');
    if (!existsSync(java)) continue;
    const out = spawnSync(java, ['-version'], { encoding: 'utf8' });
    const m = /version "(\d+)/.exec(`${out.stderr}${out.stdout}`);
    if (m && Number(m[1]) >= 17) return home;
  }
  throw new SmfError('SMF_ERR_ES_LOCAL', 'No Java 17 or newer found (looked at ES_JAVA_HOME, JAVA_HOME and `java` on PATH).', {
    hint: `Install one (Debian: apt-get install openjdk-17-jre-headless). ${POINT_ELSEWHERE}`,
  });
}

function mavenZipPath(): string {
  const repo = process.env.MAVEN_REPO ?? join(homedir(), '.m2', 'repository');
  return join(repo, ...GROUP.split('.'), 'elasticsearch', ES_VERSION, `elasticsearch-${ES_VERSION}.zip`);
}

/** Downloads the pinned zip into the Maven cache unless it is already there. */
export function fetchDistribution(log: (s: string) => void = () => {}): string {
  const zip = mavenZipPath();
  if (existsSync(zip)) return zip;
  if (spawnSync('sh', ['-c', 'command -v mvn'], { encoding: 'utf8' }).status !== 0) {
    throw new SmfError('SMF_ERR_ES_LOCAL', `Maven (mvn) is not installed; it is needed to fetch ${ARTIFACT}.`, {
      hint: `Install it (Debian: apt-get install maven). ${POINT_ELSEWHERE}`,
    });
  }
  log(`fetching ${ARTIFACT} with mvn …`);
  const r = spawnSync('mvn', ['-B', '-q', 'dependency:get', `-Dartifact=${ARTIFACT}`, '-Dtransitive=false'], {
    encoding: 'utf8',
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  if (r.status !== 0 || !existsSync(zip)) {
    throw new SmfError('SMF_ERR_ES_LOCAL', `mvn could not fetch ${ARTIFACT} (exit ${r.status}): ${tail(r.stdout + r.stderr, 8)}`, {
      hint: POINT_ELSEWHERE,
    });
  }
  return zip;
}

function ensureRunUser(): void {
  if (spawnSync('id', ['-u', RUN_USER]).status === 0) return;
  const r = spawnSync('useradd', ['--system', '--no-create-home', '--shell', '/usr/sbin/nologin', RUN_USER], { encoding: 'utf8' });
  if (r.status !== 0) throw new SmfError('SMF_ERR_ES_LOCAL', `Could not create the user '${RUN_USER}' to run Elasticsearch: ${r.stderr.trim()}`);
}

/** Runs a command as the node's user: as root via runuser, otherwise as ourselves. */
function runAsNodeUser(cmd: string, args: string[], opts: SpawnSyncOptions) {
  return isRoot() ? spawnSync('runuser', ['-u', RUN_USER, '--', cmd, ...args], opts) : spawnSync(cmd, args, opts);
}

function install(l: Layout, opts: LocalNodeOptions, javaHome: string, log: (s: string) => void): void {
  const zip = fetchDistribution(log);
  mkdirSync(l.home, { recursive: true });
  if (!existsSync(join(l.dist, 'bin', 'elasticsearch'))) {
    log(`unpacking into ${l.home} …`);
    rmSync(l.dist, { recursive: true, force: true });
    const hasUnzip = spawnSync('sh', ['-c', 'command -v unzip']).status === 0;
    if (hasUnzip) execFileSync('unzip', ['-q', '-o', zip, '-d', l.home]);
    else {
      // `jar` ships with every JDK; it loses the executable bits, so restore them.
      execFileSync(join(javaHome, 'bin', 'jar'), ['xf', zip], { cwd: l.home });
      for (const f of readdirSync(join(l.dist, 'bin'))) chmodSync(join(l.dist, 'bin', f), 0o755);
    }
  }
  mkdirSync(l.data, { recursive: true });
  mkdirSync(l.logs, { recursive: true });
  const port = opts.port ?? Number(process.env.SMF_ES_PORT ?? 9200);
  const tls = opts.tls !== undefined;
  if (opts.tls) installTlsFiles(l, opts.tls.certDir);
  writeFileSync(join(l.dist, 'config', 'elasticsearch.yml'), elasticsearchYml(l, port, opts));
  const heap = opts.heap ?? process.env.SMF_ES_HEAP ?? '768m';
  mkdirSync(join(l.dist, 'config', 'jvm.options.d'), { recursive: true });
  writeFileSync(join(l.dist, 'config', 'jvm.options.d', 'heap.options'), `-Xms${heap}\n-Xmx${heap}\n`);
  if (!existsSync(l.credentials)) {
    const password = randomBytes(12).toString('base64url');
    const env = { ...process.env, ES_JAVA_HOME: javaHome };
    rmSync(join(l.dist, 'config', 'elasticsearch.keystore'), { force: true });
    execFileSync(join(l.dist, 'bin', 'elasticsearch-keystore'), ['create'], { env, stdio: 'ignore' });
    execFileSync(join(l.dist, 'bin', 'elasticsearch-keystore'), ['add', '-x', '-f', 'bootstrap.password'], { env, input: password });
    writeCredentials(l, { username: 'elastic', password, port, ...(tls ? { tls, caCert: l.httpCa } : {}) });
  } else {
    const old = JSON.parse(readFileSync(l.credentials, 'utf8')) as StoredCredentials;
    const next: StoredCredentials = { username: old.username, password: old.password, port, ...(tls ? { tls, caCert: l.httpCa } : {}) };
    if (JSON.stringify(next) !== JSON.stringify(old)) writeCredentials(l, next);
  }
  if (isRoot()) {
    ensureRunUser();
    // Only the node's own tree changes hands; credentials.json stays root-only.
    execFileSync('chown', ['-R', `${RUN_USER}:${RUN_USER}`, l.dist, l.data, l.logs]);
    execFileSync('chmod', ['755', l.home]);
    let dir = dirname(l.home);
    while (dir !== '/' && dir.startsWith('/var/tmp/')) {
      execFileSync('chmod', ['755', dir]);
      dir = dirname(dir);
    }
  }
}

function writeCredentials(l: Layout, c: StoredCredentials): void {
  writeFileSync(l.credentials, JSON.stringify(c, null, 2), { mode: 0o600 });
}

/** elasticsearch.yml: the defaults, HTTP TLS when asked, then the caller's settings (which win). */
function elasticsearchYml(l: Layout, port: number, opts: LocalNodeOptions): string {
  const settings = new Map<string, string | number | boolean>([
    ['cluster.name', 'smf-agent-dev'],
    ['node.name', 'smf-agent-dev-1'],
    ['discovery.type', 'single-node'],
    ['network.host', '127.0.0.1'],
    ['http.port', port],
    ['transport.port', port + 100],
    ['path.data', l.data],
    ['path.logs', l.logs],
    ['xpack.security.enabled', true],
    ['xpack.security.http.ssl.enabled', opts.tls !== undefined],
    ['xpack.security.transport.ssl.enabled', false],
    ['cluster.routing.allocation.disk.threshold_enabled', false],
    ['action.destructive_requires_name', false],
  ]);
  if (opts.tls) {
    // Relative paths resolve against the config directory (the node may read nothing else).
    settings.set('xpack.security.http.ssl.key', `certs/${TLS_FILES.key}`);
    settings.set('xpack.security.http.ssl.certificate', `certs/${TLS_FILES.certificate}`);
    settings.set('xpack.security.http.ssl.certificate_authorities', `certs/${TLS_FILES.ca}`);
  }
  for (const [key, value] of Object.entries(opts.settings ?? {})) {
    if (!/^[A-Za-z0-9_.-]+$/.test(key)) throw new SmfError('SMF_ERR_ES_LOCAL', `Invalid Elasticsearch setting name '${key}'.`);
    settings.set(key, value);
  }
  // Strings are written as JSON strings, which YAML reads as the same scalar (paths, colons…).
  const line = ([k, v]: [string, string | number | boolean]) => `${k}: ${typeof v === 'string' ? JSON.stringify(v) : String(v)}`;
  return [...settings].map(line).join('\n') + '\n';
}

/** Copies the PEM files into <config>/certs (owned by the node's user with the rest of dist/). */
function installTlsFiles(l: Layout, certDir: string): void {
  const target = join(l.dist, 'config', 'certs');
  mkdirSync(target, { recursive: true });
  for (const f of Object.values(TLS_FILES)) {
    const from = join(certDir, f);
    if (!existsSync(from)) throw new SmfError('SMF_ERR_ES_LOCAL', `TLS file ${from} is missing (tls.certDir needs ${Object.values(TLS_FILES).join(', ')}).`);
    copyFileSync(from, join(target, f));
    chmodSync(join(target, f), f === TLS_FILES.key ? 0o600 : 0o644);
  }
  copyFileSync(join(certDir, TLS_FILES.ca), l.httpCa);
}

function readPid(l: Layout): number | undefined {
  if (!existsSync(l.pid)) return undefined;
  const pid = Number(readFileSync(l.pid, 'utf8').trim());
  if (!Number.isInteger(pid) || pid <= 0) return undefined;
  try {
    process.kill(pid, 0);
    return pid;
  } catch {
    return undefined;
  }
}

function connectionOf(l: Layout): NodeConnection {
  const c = JSON.parse(readFileSync(l.credentials, 'utf8')) as StoredCredentials;
  return {
    url: `${c.tls ? 'https' : 'http'}://127.0.0.1:${c.port}`,
    username: c.username,
    password: c.password,
    version: ES_VERSION,
    home: l.home,
    ...(c.tls && c.caCert ? { caCert: c.caCert } : {}),
  };
}

async function health(conn: NodeConnection): Promise<{ status: string } | undefined> {
  try {
    return (await getJson(conn, '/_cluster/health')) as { status: string } | undefined;
  } catch {
    return undefined;
  }
}

/** GET with the node's credentials (and its CA over https); undefined unless the answer is 2xx. */
function getJson(conn: NodeConnection, path: string): Promise<unknown> {
  const url = new URL(path, conn.url);
  const options = {
    headers: { authorization: `Basic ${Buffer.from(`${conn.username}:${conn.password}`).toString('base64')}` },
    timeout: 3000,
    ...(conn.caCert ? { ca: readFileSync(conn.caCert) } : {}),
  };
  return new Promise((resolve, reject) => {
    const req = (url.protocol === 'https:' ? httpsRequest : httpRequest)(url, options, (res) => {
      let body = '';
      res.setEncoding('utf8');
      res.on('data', (d: string) => (body += d));
      res.on('end', () => {
        const ok = res.statusCode !== undefined && res.statusCode >= 200 && res.statusCode < 300;
        try {
          resolve(ok ? JSON.parse(body) : undefined);
        } catch (err) {
          reject(err as Error);
        }
      });
      res.on('error', reject);
    });
    req.on('timeout', () => req.destroy(new Error('timed out')));
    req.on('error', reject);
    req.end();
  });
}

export async function status(opts: LocalNodeOptions = {}): Promise<{ running: boolean; pid?: number; health?: string; connection?: NodeConnection }> {
  const l = layout(nodeHome(opts));
  const pid = readPid(l);
  if (!pid || !existsSync(l.credentials)) return { running: false };
  const connection = connectionOf(l);
  const h = await health(connection);
  return { running: true, pid, health: h?.status ?? 'unreachable', connection };
}

/** Installs (first time) and starts the node, waiting until the cluster is at least yellow. */
export async function start(opts: LocalNodeOptions = {}): Promise<NodeConnection & { startedMs: number; alreadyRunning: boolean }> {
  const log = opts.log ?? (() => {});
  const l = layout(nodeHome(opts));
  const running = readPid(l);
  if (running && existsSync(l.credentials)) {
    const conn = connectionOf(l);
    if (await waitForHealth(conn, 60_000)) return { ...conn, startedMs: 0, alreadyRunning: true };
  }
  const javaHome = findJava();
  install(l, opts, javaHome, log);
  const conn = connectionOf(l);
  if (await health(conn)) {
    throw new SmfError('SMF_ERR_ES_LOCAL', `Port ${new URL(conn.url).port} already answers as an Elasticsearch we did not start.`, {
      hint: `Stop it, choose another port with SMF_ES_PORT, or use it: ${POINT_ELSEWHERE}`,
    });
  }
  const t0 = Date.now();
  log(`starting Elasticsearch ${ES_VERSION} on ${conn.url} …`);
  rmSync(l.pid, { force: true });
  const env: NodeJS.ProcessEnv = { ...process.env, ES_JAVA_HOME: javaHome, ES_PATH_CONF: join(l.dist, 'config') };
  delete env.JAVA_HOME;
  const pidTarget = isRoot() ? join(l.logs, 'es.pid') : l.pid;
  const r = runAsNodeUser(join(l.dist, 'bin', 'elasticsearch'), ['-d', '-p', pidTarget], {
    env,
    encoding: 'utf8',
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  if (r.status !== 0) {
    throw new SmfError('SMF_ERR_ES_LOCAL', `Elasticsearch did not start (exit ${r.status}): ${tail(`${r.stdout}${r.stderr}`, 15) || tail(serverLog(l), 15)}`, {
      hint: POINT_ELSEWHERE,
    });
  }
  if (isRoot()) writeFileSync(l.pid, readFileSync(pidTarget, 'utf8'));
  if (!(await waitForHealth(conn, 180_000))) {
    throw new SmfError('SMF_ERR_ES_LOCAL', `Elasticsearch started but did not become healthy within 180 s. Last log lines:\n${tail(serverLog(l), 20)}`, {
      hint: POINT_ELSEWHERE,
    });
  }
  return { ...conn, startedMs: Date.now() - t0, alreadyRunning: false };
}

async function waitForHealth(conn: NodeConnection, timeoutMs: number): Promise<boolean> {
  const deadline = Date.now() + timeoutMs;
  while (Date.now() < deadline) {
    const h = await health(conn);
    if (h && (h.status === 'green' || h.status === 'yellow')) return true;
    await sleep(500);
  }
  return false;
}

/** Stops the node (SIGTERM, then SIGKILL after 30 s). Returns false when it was not running. */
export async function stop(opts: LocalNodeOptions = {}): Promise<boolean> {
  const l = layout(nodeHome(opts));
  const pid = readPid(l);
  if (!pid) return false;
  process.kill(pid, 'SIGTERM');
  const deadline = Date.now() + 30_000;
  while (Date.now() < deadline) {
    try {
      process.kill(pid, 0);
    } catch {
      rmSync(l.pid, { force: true });
      return true;
    }
    await sleep(200);
  }
  process.kill(pid, 'SIGKILL');
  rmSync(l.pid, { force: true });
  return true;
}

/** Removes the node's data (indices) but keeps the unpacked distribution and credentials. */
export function wipeData(opts: LocalNodeOptions = {}): void {
  const l = layout(nodeHome(opts));
  rmSync(l.data, { recursive: true, force: true });
}

function serverLog(l: Layout): string {
  const f = join(l.logs, 'smf-agent-dev.log');
  return existsSync(f) ? readFileSync(f, 'utf8') : '';
}

function tail(text: string, n: number): string {
  return text.trim().split('\n').slice(-n).join('\n');
}
