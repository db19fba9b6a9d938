// `smf-agent setup --kibana <url>`: installs the Kibana assets (kibana/README.md).
//
//   assets (checked offline first) ──► GET /api/status                       Kibana version, credentials
//                                  ──► POST /api/saved_objects/_import?overwrite=true   data views, searches,
//                                                                             visualisations, dashboards
//                                  ──► per rule: GET /api/alerting/rule/<id>  200 → PUT (update), 404 → POST
//
// Idempotent: saved objects keep their ids and are overwritten; rules keep their ids and are
// updated in place. On update the asset owns name, tags, schedule and params; the site owns the
// rule's actions (connectors) and its enabled state, which are kept.
//
// Rules are "multiple-isolated" saved objects in Kibana: an id is unique across all spaces. In a
// space other than the default one the rule id is therefore suffixed with the space id, so the
// same rules can be installed in several spaces.

import { Blob } from 'node:buffer';
import { FormData } from 'undici';
import type { ConnectionSettings } from '../outputs/elasticsearch/client.js';
import { loadKibanaAssets, type KibanaAssets } from './assets.js';
import { KibanaError } from './errors.js';
import { KibanaClient } from './http.js';
import { createRuleBody, updateRuleBody, type RuleAsset } from './rules.js';

export interface RuleOutcome {
  id: string;
  name: string;
  action: 'created' | 'updated';
  /** Whether the rule runs (as created, or as found when updated). */
  enabled: boolean | undefined;
  /** Connector actions on the rule after the call. */
  actions: number;
}

export interface KibanaInstallReport {
  url: string;
  space: string | undefined;
  version: string | undefined;
  savedObjects: { imported: number; byType: Record<string, number> };
  rules: RuleOutcome[];
}

interface ImportResponse {
  success?: boolean;
  successCount?: number;
  errors?: { id?: string; type?: string; title?: string; error?: { type?: string; message?: string; references?: { type: string; id: string }[] } }[];
  warnings?: { type?: string; message?: string }[];
}

/** The CLI's entry: connection from the Elasticsearch settings, assets from kibana/, a line per step. */
export async function setupKibana(opts: {
  url: string;
  space?: string | undefined;
  connection: ConnectionSettings;
  log: (line: string) => void;
  assets?: KibanaAssets;
}): Promise<KibanaInstallReport> {
  const assets = opts.assets ?? loadKibanaAssets(); // before any request: broken files never half-install
  const c = opts.connection;
  const client = new KibanaClient({
    url: opts.url,
    ...(opts.space === undefined ? {} : { space: opts.space }),
    ...(c.apiKey ? { apiKey: c.apiKey } : c.username ? { username: c.username, password: c.password ?? '' } : {}),
    ...(c.caCert ? { caCert: c.caCert } : {}),
    ...(c.verifyCertificate === undefined ? {} : { verifyCertificate: c.verifyCertificate }),
  });
  try {
    return await installKibanaAssets(client, assets, opts.log);
  } finally {
    await client.close();
  }
}

export async function installKibanaAssets(client: KibanaClient, assets: KibanaAssets, log: (line: string) => void = () => {}): Promise<KibanaInstallReport> {
  const status = await client.request('GET', '/api/status');
  const version = (status.body as { version?: { number?: unknown } } | undefined)?.version?.number;
  const where = `${client.url}${client.space ? ` (space '${client.space}')` : ''}`;
  log(`Kibana ${typeof version === 'string' ? version : '(version not reported)'} at ${where}`);

  const byType = await importSavedObjects(client, assets);
  const total = Object.values(byType).reduce((a, b) => a + b, 0);
  log(`Kibana: imported ${total} saved objects, overwriting by id (${Object.entries(byType).map(([t, n]) => `${n} ${t}`).join(', ')})`);

  const rules: RuleOutcome[] = [];
  for (const rule of assets.rules) {
    const outcome = await upsertRule(client, rule);
    rules.push(outcome);
    const state = outcome.enabled === false ? 'disabled' : 'enabled';
    const kept = outcome.action === 'updated' ? ' kept' : '';
    const actions = outcome.actions === 0 ? 'no actions' : `${outcome.actions} action${outcome.actions === 1 ? '' : 's'}${kept}`;
    log(`Kibana: rule ${outcome.id} "${outcome.name}" ${outcome.action} (${state}, ${actions})`);
  }
  return { url: client.url, space: client.space, version: typeof version === 'string' ? version : undefined, savedObjects: { imported: total, byType }, rules };
}

async function importSavedObjects(client: KibanaClient, assets: KibanaAssets): Promise<Record<string, number>> {
  const form = new FormData();
  form.append('file', new Blob([assets.ndjson], { type: 'application/ndjson' }), 'smf-agent.ndjson');
  const path = client.spacePath('/api/saved_objects/_import?overwrite=true');
  const res = await client.request('POST', path, { form });
  const body = (res.body ?? {}) as ImportResponse;
  if (body.success !== true) {
    const errors = body.errors ?? [];
    const listed = errors.slice(0, 10).map((e) => {
      const missing = e.error?.references?.map((r) => `${r.type}:${r.id}`).join(', ');
      return `${e.type}:${e.id} ${e.error?.type ?? 'error'}${e.error?.message ? ` (${e.error.message})` : ''}${missing ? ` missing ${missing}` : ''}`;
    });
    const more = errors.length > listed.length ? `; and ${errors.length - listed.length} more` : '';
    throw new KibanaError(
      'SMF_ERR_KIBANA_REQUEST',
      `Kibana ${client.url} answered ${res.status} to POST ${path} but imported ${body.successCount ?? 0} of ${assets.savedObjects.length} saved objects: ${listed.join('; ') || 'no error details'}${more}`,
      { status: res.status },
    );
  }
  const order = ['index-pattern', 'search', 'visualization', 'lens', 'dashboard'];
  const types = [...new Set(assets.savedObjects.map((o) => o.type))].sort((a, b) => (order.indexOf(a) + 1 || 99) - (order.indexOf(b) + 1 || 99));
  return Object.fromEntries(types.map((type) => [type, assets.savedObjects.filter((o) => o.type === type).length]));
}

/** The rule id in a space: the asset's id in the default space, suffixed with the space elsewhere. */
export function ruleIdIn(assetId: string, space: string | undefined): string {
  return space ? `${assetId}-${space}` : assetId;
}

async function upsertRule(client: KibanaClient, rule: RuleAsset): Promise<RuleOutcome> {
  const id = ruleIdIn(rule.id, client.space);
  const path = client.spacePath(`/api/alerting/rule/${encodeURIComponent(id)}`);
  const found = await client.request('GET', path, { accept: [404] });
  if (found.status === 404) {
    const body = createRuleBody(rule);
    await client.request('POST', path, { json: body });
    return { id, name: body.name, action: 'created', enabled: body.enabled ?? true, actions: body.actions.length };
  }
  const body = updateRuleBody(rule, found.body);
  await client.request('PUT', path, { json: body });
  const enabled = (found.body as { enabled?: unknown } | undefined)?.enabled;
  return { id, name: body.name, action: 'updated', enabled: typeof enabled === 'boolean' ? enabled : undefined, actions: body.actions.length };
}
