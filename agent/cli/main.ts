#!/usr/bin/env node
// smf-agent command line. The only module that calls process.exit.
//
//   smf-agent run    --config <file> [--reset-state]     tail inputs into Elasticsearch
//   smf-agent setup  --config <file> | (ES_URL…) [--kibana <url> [--kibana-space <id>]]
//                                                       install index templates (and Kibana assets)
//   smf-agent check  --config <file>                     validate configuration
//   smf-agent parse  [--format f] [--profile p] [--timezone tz] [file]   try a feed offline
//   smf-agent backfill --config <file> --input <log> --date YYYY-MM-DD [--format f] [--profile p] [--timezone tz] [--force]
//   smf-agent anomalies --config <file> --date YYYY-MM-DD    run the nightly anomaly job for one day
//   smf-agent version
//
// Exit codes: 0 ok, 1 runtime failure, 2 bad usage or configuration.

import { parseArgs } from 'node:util';
import { createReadStream } from 'node:fs';
import split2 from 'split2';
import { startAgent } from '../agent.js';
import { backfill } from '../backfill.js';
import { loadDefinitions } from '../associations/loader.js';
import { formatReport } from '../anomaly/index.js';
import { runAnomaliesCommand } from '../anomaly/cli.js';
import { runSimulate } from './simulate.js';
import { loadConfigFile } from '../config/load.js';
import { FORMATS, PROFILES, type AgentConfig } from '../config/schema.js';
import { describeError, isSmfError, SmfError } from '../errors.js';
import { connectionFromEnv, createClient, type ConnectionSettings } from '../outputs/elasticsearch/client.js';
import { detectFeatures } from '../outputs/elasticsearch/features.js';
import { settingsOf } from '../outputs/elasticsearch/index.js';
import { installTemplates } from '../outputs/elasticsearch/templates.js';
import { setupKibana } from '../kibana/install.js';
import { createLogger } from '../telemetry/logger.js';
import { createParser } from '../../processors/parse/index.js';
import { createNormalizer } from '../../processors/normalize/index.js';
import { AGENT_VERSION } from '../../processors/schema/event.js';

const USAGE = `usage: smf-agent <command> [options]

commands:
  run    --config <file> [--reset-state]   read the configured inputs into Elasticsearch until SIGTERM/SIGINT
  setup  [--config <file>]                 install index templates (connection from the config, or ES_URL/ES_USERNAME/ES_PASSWORD/ES_API_KEY)
         [--kibana <url>] [--kibana-space <id>]
                                           also install dashboards and alert rules into Kibana (or KIBANA_URL), same credentials
  check  --config <file>                   validate the configuration and the association definitions; every problem
  parse  [--format F] [--profile P] [--timezone TZ] [file]
                                           parse lines from a file or stdin and print one JSON line per event or rejection
  backfill --config <file> --input <log> --date YYYY-MM-DD [--format F] [--profile P] [--timezone TZ] [--force]
                                           count the associations of an external message log under that date
                                           (uses the agent's store: stop the agent first)
  anomalies --config <file> --date YYYY-MM-DD
                                           run the nightly anomaly job for that day (replaces its anomalies;
                                           uses the agent's store: stop the agent or use a copy of its data_dir)
  simulate [--format F] [--days N] [--start YYYY-MM-DD] [--incidents default|none|<json>] [--out F] [--truth F] …
                                           write a realistic multi-day feed with labelled incidents (simulate --help)
  version                                  print the version

formats: ${FORMATS.join(', ')}
profiles: ${PROFILES.join(', ')}`;

type Opts = Record<string, string | boolean | undefined>;

async function main(argv: string[]): Promise<number> {
  const [command, ...rest] = argv;
  if (command === 'simulate') return runSimulate(rest); // its own options (agent/cli/simulate.ts)
  const { values, positionals } = parseArgs({
    args: rest,
    allowPositionals: true,
    strict: true,
    options: {
      config: { type: 'string', short: 'c' },
      'reset-state': { type: 'boolean' },
      format: { type: 'string' },
      profile: { type: 'string' },
      timezone: { type: 'string' },
      kibana: { type: 'string' },
      'kibana-space': { type: 'string' },
      help: { type: 'boolean', short: 'h' },
      input: { type: 'string' },
      date: { type: 'string' },
      force: { type: 'boolean' },
    },
  });
  if (values.help || !command || command === 'help' || command === '--help') {
    console.log(USAGE);
    return command ? 0 : 2;
  }
  switch (command) {
    case 'run':
      return run(values);
    case 'setup':
      return setup(values);
    case 'check':
      return check(values);
    case 'parse':
      return parse(values, positionals[0]);
    case 'backfill':
      return runBackfill(values);
    case 'anomalies':
      return runAnomalies(values);
    case 'version':
      console.log(AGENT_VERSION);
      return 0;
    default:
      throw new SmfError('SMF_ERR_USAGE', `unknown command '${command}'`, { hint: 'smf-agent --help lists the commands' });
  }
}

function requireConfig(values: Opts): string {
  if (typeof values.config !== 'string') throw new SmfError('SMF_ERR_USAGE', 'missing --config <file>');
  return values.config;
}

async function run(values: Opts): Promise<number> {
  const config = loadConfigFile(requireConfig(values));
  const logger = createLogger({ level: config.logging.level, name: config.agent.name });
  // Handlers first: start-up awaits I/O while inputs already run, and a signal in that window
  // must stop the agent cleanly once it is up, not kill it with the default action.
  const running: { agent?: Awaited<ReturnType<typeof startAgent>>; requested?: NodeJS.Signals } = {};
  const onSignal = (sig: NodeJS.Signals) => {
    running.requested ??= sig;
    if (running.agent) void running.agent.stop(`received ${sig}`);
  };
  process.once('SIGTERM', onSignal).once('SIGINT', onSignal);
  const agent = await startAgent(config, { logger, resetState: values['reset-state'] === true });
  running.agent = agent;
  if (running.requested) void agent.stop(`received ${running.requested} during start-up`);
  const code = await agent.done;
  logger.end();
  return code;
}

/** Validates the configuration, then the association definitions and pattern lists it names. */
function check(values: Opts): number {
  const config = loadConfigFile(requireConfig(values));
  console.log(`configuration ${String(values.config)} is valid`);
  if (!config.associations.enabled) return 0;
  const loaded = loadDefinitions(config.associations);
  const enabled = loaded.definitions.filter((d) => d.enabled).length;
  console.log(`association definitions: ${loaded.definitions.length} loaded (${enabled} enabled) from ${loaded.files.length} files`);
  for (const e of loaded.listErrors) console.log(`  ERROR ${e}`);
  for (const e of loaded.errors) console.log(`  ERROR ${e.message}`);
  return loaded.errors.length + loaded.listErrors.length > 0 ? 1 : 0;
}

async function runBackfill(values: Opts): Promise<number> {
  const config = loadConfigFile(requireConfig(values));
  if (typeof values.input !== 'string') throw new SmfError('SMF_ERR_USAGE', 'backfill needs --input <log file>');
  if (typeof values.date !== 'string') throw new SmfError('SMF_ERR_USAGE', 'backfill needs --date YYYY-MM-DD');
  const logger = createLogger({ level: config.logging.level, name: config.agent.name });
  const r = await backfill(
    config,
    {
      file: values.input,
      date: values.date,
      ...(typeof values.format === 'string' ? { format: values.format } : {}),
      ...(typeof values.profile === 'string' ? { profile: values.profile } : {}),
      ...(typeof values.timezone === 'string' ? { timezone: values.timezone } : {}),
      force: values.force === true,
    },
    logger,
  );
  const reasons = Object.entries(r.rejectReasons).map(([k, n]) => `${k} ${n}`).join(', ');
  console.log(
    `backfill of ${values.input} for ${values.date}: ${r.lines} lines, ${r.events} events, ${r.rejected} rejected${reasons ? ` (${reasons})` : ''}, ${r.observations} associations counted, ${r.pairsIndexed} association documents written in ${(r.durationMs / 1000).toFixed(1)} s`,
  );
  logger.end();
  return 0;
}

async function runAnomalies(values: Opts): Promise<number> {
  const config = loadConfigFile(requireConfig(values));
  if (typeof values.date !== 'string') throw new SmfError('SMF_ERR_USAGE', 'anomalies needs --date YYYY-MM-DD');
  const logger = createLogger({ level: config.logging.level, name: config.agent.name });
  const s = await runAnomaliesCommand(config, values.date, logger);
  console.log(formatReport(s));
  logger.end();
  return s.status === 'failed' ? 1 : 0;
}

async function setup(values: Opts): Promise<number> {
  const kibana = typeof values.kibana === 'string' ? values.kibana : process.env.KIBANA_URL;
  const space = typeof values['kibana-space'] === 'string' ? values['kibana-space'] : undefined;
  if (space && !kibana) throw new SmfError('SMF_ERR_USAGE', '--kibana-space needs --kibana <url> (or KIBANA_URL)');
  let settings: ConnectionSettings | undefined;
  if (typeof values.config === 'string') settings = settingsOf(loadConfigFile(values.config).output.elasticsearch);
  else settings = connectionFromEnv();
  if (!settings) throw new SmfError('SMF_ERR_USAGE', 'setup needs --config <file> or ES_URL in the environment');
  const es = createClient(settings);
  try {
    const features = await detectFeatures(es);
    const installed = await installTemplates(es);
    console.log(`Elasticsearch ${features.version}: installed ${installed.length} templates (${installed.join(', ')})`);
    const missing = [
      !features.ilm && 'ILM (no lifecycle policy installed; manage retention yourself)',
      !features.painless && 'painless scripting (not needed)',
      !features.ingestProcessors.includes('set') && 'ingest processors (not needed: the agent does all processing)',
    ].filter(Boolean);
    if (missing.length) console.log(`cluster lacks: ${missing.join('; ')}`);
    if (kibana) await setupKibana({ url: kibana, space, connection: settings, log: (line) => console.log(line) });
    return 0;
  } finally {
    await es.close();
  }
}

async function parse(values: Opts, file: string | undefined): Promise<number> {
  const format = (values.format ?? 'auto') as AgentConfig['inputs'][number]['format'];
  const profile = (values.profile ?? 'auto') as AgentConfig['inputs'][number]['profile'];
  if (!(FORMATS as readonly string[]).includes(format)) throw new SmfError('SMF_ERR_USAGE', `unknown --format '${format}' (one of ${FORMATS.join(', ')})`);
  if (!(PROFILES as readonly string[]).includes(profile)) throw new SmfError('SMF_ERR_USAGE', `unknown --profile '${profile}' (one of ${PROFILES.join(', ')})`);
  const timezone = typeof values.timezone === 'string' ? values.timezone : 'UTC';
  const parser = createParser({ format });
  const normalizer = createNormalizer({ profile, timezone, aliases: {} });
  const source = file ? createReadStream(file) : process.stdin;
  let lineNo = 0;
  let events = 0;
  let rejected = 0;
  for await (const line of source.pipe(split2())) {
    lineNo++;
    const text = String(line);
    const p = parser.parse(text);
    if (!p.ok) {
      rejected++;
      process.stdout.write(`${JSON.stringify({ rejected: { line: lineNo, code: p.code, reason: p.reason, original: text } })}\n`);
      continue;
    }
    if (p.record === null) continue;
    const n = normalizer.normalize(p.record, { receivedAt: new Date(), inputName: 'parse' });
    if (!n.ok) {
      rejected++;
      process.stdout.write(`${JSON.stringify({ rejected: { line: lineNo, code: n.code, reason: n.reason, original: text } })}\n`);
      continue;
    }
    events++;
    process.stdout.write(`${JSON.stringify(n.doc)}\n`);
  }
  console.error(`${lineNo} lines: ${events} events, ${rejected} rejected`);
  return 0;
}

main(process.argv.slice(2)).then(
  (code) => process.exit(code),
  (err) => {
    console.error(`smf-agent: error: ${isSmfError(err) ? `[${err.code}] ${err.message}` : describeError(err)}`);
    if (err instanceof SmfError && err.hint) console.error(`smf-agent: hint: ${err.hint}`);
    const usage = err instanceof SmfError ? ['SMF_ERR_USAGE', 'SMF_ERR_CONFIG', 'SMF_ERR_CONFIG_READ'].includes(err.code) : (err as { code?: string }).code?.startsWith('ERR_PARSE_ARGS');
    process.exit(usage ? 2 : 1);
  },
);
