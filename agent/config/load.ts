// Loading a configuration: read → parse YAML → substitute ${ENV} → validate → cross-check → freeze.
// Every problem is collected and reported at once, each prefixed with its key path, so a user
// fixes the whole file in one pass (as the OpenTelemetry Collector does).

import { readFileSync } from 'node:fs';
import { dirname, isAbsolute, resolve } from 'node:path';
import { isMap, isScalar, isSeq, parseDocument, type Node } from 'yaml';
import { SmfError } from '../errors.js';
import { configSchema, type AgentConfig } from './schema.js';

export interface ConfigProblem {
  path: string; // e.g. "inputs[0].paths" or "(file)" for whole-file problems
  message: string;
}

export function loadConfigFile(file: string, env: NodeJS.ProcessEnv = process.env): AgentConfig {
  let text: string;
  try {
    text = readFileSync(file, 'utf8');
  } catch (err) {
    throw new SmfError('SMF_ERR_CONFIG_READ', `cannot read configuration file '${file}': ${(err as Error).message}`, { cause: err });
  }
  return parseConfig(text, { source: file, env, baseDir: dirname(resolve(file)) });
}

export function parseConfig(text: string, opts: { source: string; env?: NodeJS.ProcessEnv; baseDir?: string }): AgentConfig {
  const problems: ConfigProblem[] = [];
  const doc = parseDocument(text, { prettyErrors: true, uniqueKeys: true });
  for (const e of doc.errors) problems.push({ path: '(yaml)', message: e.message.split('\n')[0] ?? e.message });
  if (problems.length) throw configError(opts.source, problems);

  substituteEnv(doc.contents, [], opts.env ?? process.env, problems);
  if (problems.length) throw configError(opts.source, problems);

  const result = configSchema.safeParse(doc.toJS() ?? {});
  if (!result.success) {
    for (const issue of result.error.issues) problems.push({ path: formatPath(issue.path), message: issue.message });
    throw configError(opts.source, problems);
  }
  const config = result.data;
  crossCheck(config, problems);
  if (problems.length) throw configError(opts.source, problems);
  if (opts.baseDir) resolvePaths(config, opts.baseDir);
  readSecretFiles(config, problems);
  if (problems.length) throw configError(opts.source, problems);
  return deepFreeze(config);
}

/** Checks that span keys: unique input names, credentials that belong together. */
function crossCheck(c: AgentConfig, problems: ConfigProblem[]): void {
  const seen = new Map<string, number>();
  c.inputs.forEach((input, i) => {
    const prev = seen.get(input.name);
    if (prev !== undefined) problems.push({ path: `inputs[${i}].name`, message: `duplicate input name '${input.name}' (also inputs[${prev}].name)` });
    seen.set(input.name, i);
  });
  const es = c.output.elasticsearch;
  if (es.api_key && es.username) problems.push({ path: 'output.elasticsearch.api_key', message: 'set either api_key or username/password, not both' });
  if (es.password !== undefined && !es.username) problems.push({ path: 'output.elasticsearch.password', message: 'password given without username' });
  if (es.password !== undefined && es.password_file) problems.push({ path: 'output.elasticsearch.password_file', message: 'set either password or password_file, not both' });
  if (es.password_file && !es.username) problems.push({ path: 'output.elasticsearch.password_file', message: 'password_file given without username' });
  if (es.api_key_file && (es.api_key || es.username)) problems.push({ path: 'output.elasticsearch.api_key_file', message: 'set api_key_file alone, without api_key or username/password' });
}

/** Replaces *_file secrets by the files' contents; a problem names the key and the file, never the secret. */
function readSecretFiles(c: AgentConfig, problems: ConfigProblem[]): void {
  const es = c.output.elasticsearch;
  const read = (key: 'password_file' | 'api_key_file'): string | undefined => {
    const file = es[key];
    if (!file) return undefined;
    try {
      const v = readFileSync(file, 'utf8').replace(/\r?\n$/, '');
      if (!v) problems.push({ path: `output.elasticsearch.${key}`, message: `file '${file}' is empty` });
      return v;
    } catch (err) {
      problems.push({ path: `output.elasticsearch.${key}`, message: `cannot read file '${file}': ${(err as NodeJS.ErrnoException).code ?? (err as Error).message}` });
      return undefined;
    }
  };
  const password = read('password_file');
  if (password !== undefined) es.password = password;
  const apiKey = read('api_key_file');
  if (apiKey !== undefined) es.api_key = apiKey;
}

function resolvePaths(c: AgentConfig, base: string): void {
  const abs = (p: string) => (isAbsolute(p) ? p : resolve(base, p));
  c.agent.data_dir = abs(c.agent.data_dir);
  for (const input of c.inputs) if (input.type === 'file') input.paths = input.paths.map(abs);
  if (c.dead_letter.file) c.dead_letter.file = abs(c.dead_letter.file);
  const es = c.output.elasticsearch;
  if (es.ca_cert) es.ca_cert = abs(es.ca_cert);
  if (es.password_file) es.password_file = abs(es.password_file);
  if (es.api_key_file) es.api_key_file = abs(es.api_key_file);
  c.associations.definitions = c.associations.definitions.map(abs);
  for (const t of c.enrichment.tables) t.path = abs(t.path);
  for (const [name, file] of Object.entries(c.associations.lists)) c.associations.lists[name] = abs(file);
}

const ENV_REF = /\$\$|\$\{([A-Za-z_][A-Za-z0-9_]*)(?::-([^}]*))?\}/g;

/**
 * Replaces ${NAME} and ${NAME:-default} inside string scalars only, after YAML parsing, so an
 * environment value can never change the document's structure. `$$` is a literal `$`.
 * A variable that is unset and has no default is an error naming the key and the variable.
 */
function substituteEnv(node: Node | null, path: (string | number)[], env: NodeJS.ProcessEnv, problems: ConfigProblem[]): void {
  if (!node) return;
  if (isMap(node)) {
    for (const pair of node.items) {
      const key = isScalar(pair.key) ? String(pair.key.value) : String(pair.key);
      substituteEnv(pair.value as Node | null, [...path, key], env, problems);
    }
  } else if (isSeq(node)) {
    node.items.forEach((item, i) => substituteEnv(item as Node | null, [...path, i], env, problems));
  } else if (isScalar(node) && typeof node.value === 'string' && node.value.includes('$')) {
    const whole = /^\$\{([A-Za-z_][A-Za-z0-9_]*)(?::-([^}]*))?\}$/.exec(node.value);
    const replaced = node.value.replace(ENV_REF, (m, varName: string | undefined, def: string | undefined) => {
      if (m === '$$') return '$';
      const v = env[varName!];
      if (v !== undefined && v !== '') return v;
      if (def !== undefined) return def;
      problems.push({ path: formatPath(path), message: `environment variable ${varName} is not set (and no default given as \${${varName}:-default})` });
      return '';
    });
    // A value that is exactly one reference keeps YAML typing of the result ("8" → 8, "true" → true).
    node.value = whole ? coerceScalar(replaced) : replaced;
  }
}

function coerceScalar(s: string): string | number | boolean {
  if (/^-?\d+(\.\d+)?$/.test(s)) return Number(s);
  if (s === 'true' || s === 'false') return s === 'true';
  return s;
}

export function formatPath(path: readonly PropertyKey[]): string {
  let out = '';
  for (const p of path) out += typeof p === 'number' ? `[${p}]` : out ? `.${String(p)}` : String(p);
  return out || '(root)';
}

function configError(source: string, problems: ConfigProblem[]): SmfError {
  const lines = problems.map((p) => `  - ${p.path}: ${p.message}`).join('\n');
  const err = new SmfError('SMF_ERR_CONFIG', `invalid configuration in ${source} (${problems.length} problem${problems.length > 1 ? 's' : ''}):\n${lines}`, {
    hint: 'see config/agent.example.yaml for every key with its default',
  });
  (err as SmfError & { problems: ConfigProblem[] }).problems = problems;
  return err;
}

function deepFreeze<T>(o: T): T {
  if (o && typeof o === 'object' && !Object.isFrozen(o)) {
    Object.freeze(o);
    for (const v of Object.values(o)) deepFreeze(v);
  }
  return o;
}
