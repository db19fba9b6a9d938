// The installer against a stand-in for Kibana's HTTP API (Kibana itself cannot run here): what it
// sends (paths, headers, multipart import, rule bodies), that a second run updates in place keeping
// the site's actions and enabled state, spaces and base paths, and errors that name the URL, the
// request and the status without ever containing a credential.

import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import test from 'ava';

import { loadKibanaAssets } from '../../agent/kibana/assets.js';
import { KibanaError } from '../../agent/kibana/errors.js';
import { setupKibana } from '../../agent/kibana/install.js';
import { createRuleBody, UPDATE_RULE_KEYS, updateRuleBody } from '../../agent/kibana/rules.js';
import { SmfError } from '../../agent/errors.js';

const assets = loadKibanaAssets();
const PASSWORD = 's3cr3t-Pa55';
const BASIC = { hosts: ['http://es:9200'], username: 'elastic', password: PASSWORD };

interface Seen {
  method: string;
  url: string;
  headers: IncomingMessage['headers'];
  body: string;
}
type Handler = (req: Seen, res: ServerResponse) => void;

const send = (res: ServerResponse, status: number, body: unknown) => {
  res.writeHead(status, { 'content-type': 'application/json' });
  res.end(JSON.stringify(body));
};

/** A fake Kibana keeping rules in memory; `override` can answer a request first. */
function fakeKibana(t: { teardown: (fn: () => void) => void }, override?: (req: Seen, res: ServerResponse) => boolean) {
  const seen: Seen[] = [];
  const rules = new Map<string, Record<string, unknown>>();
  const handler: Handler = (req, res) => {
    if (override?.(req, res)) return;
    const path = req.url.replace(/^\/kibana/, '').replace(/^\/s\/[a-z0-9_-]+/, '');
    if (req.method === 'GET' && path === '/api/status') return send(res, 200, { name: 'kb', version: { number: '8.19.5' } });
    if (req.method === 'POST' && path === '/api/saved_objects/_import?overwrite=true') {
      return send(res, 200, { success: true, successCount: assets.savedObjects.length, warnings: [] });
    }
    const rule = /^\/api\/alerting\/rule\/([^/?]+)$/.exec(path);
    if (rule) {
      const id = decodeURIComponent(rule[1]!);
      if (req.method === 'GET') return rules.has(id) ? send(res, 200, rules.get(id)) : send(res, 404, { statusCode: 404, error: 'Not Found', message: `Saved object [alert/${id}] not found` });
      if (req.method === 'POST') {
        const body = JSON.parse(req.body) as Record<string, unknown>;
        rules.set(id, { id, ...body, enabled: body.enabled ?? true });
        return send(res, 200, rules.get(id));
      }
      if (req.method === 'PUT') {
        const body = JSON.parse(req.body) as Record<string, unknown>;
        rules.set(id, { ...rules.get(id), ...body });
        return send(res, 200, rules.get(id));
      }
    }
    send(res, 404, { statusCode: 404, error: 'Not Found', message: 'Not Found' });
  };
  const server = createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => {
      const s: Seen = { method: req.method ?? '', url: req.url ?? '', headers: req.headers, body: Buffer.concat(chunks).toString('utf8') };
      seen.push(s);
      handler(s, res);
    });
  });
  const ready = new Promise<string>((resolve) => server.listen(0, '127.0.0.1', () => resolve(`http://127.0.0.1:${(server.address() as AddressInfo).port}`)));
  t.teardown(() => server.close());
  return { ready, seen, rules };
}

const quiet = () => {};

test('a first install checks Kibana, imports the saved objects and creates every rule', async (t) => {
  const kb = fakeKibana(t);
  const lines: string[] = [];
  const report = await setupKibana({ url: await kb.ready, connection: BASIC, log: (l) => lines.push(l), assets });

  const [status, imp, ...ruleCalls] = kb.seen;
  t.is(`${status!.method} ${status!.url}`, 'GET /api/status');
  t.is(`${imp!.method} ${imp!.url}`, 'POST /api/saved_objects/_import?overwrite=true');
  for (const s of kb.seen) {
    t.is(s.headers['kbn-xsrf'], 'smf-agent', `${s.method} ${s.url}: kbn-xsrf`);
    t.is(s.headers.authorization, `Basic ${Buffer.from(`elastic:${PASSWORD}`).toString('base64')}`);
  }
  t.regex(imp!.headers['content-type'] ?? '', /^multipart\/form-data; boundary=/);
  t.regex(imp!.body, /name="file"; filename="smf-agent\.ndjson"/);
  t.true(imp!.body.includes(assets.ndjson), 'the NDJSON is sent unchanged');

  t.is(ruleCalls.length, 2 * assets.rules.length);
  assets.rules.forEach((r, i) => {
    t.is(`${ruleCalls[2 * i]!.method} ${ruleCalls[2 * i]!.url}`, `GET /api/alerting/rule/${r.id}`);
    t.is(`${ruleCalls[2 * i + 1]!.method} ${ruleCalls[2 * i + 1]!.url}`, `POST /api/alerting/rule/${r.id}`);
    t.deepEqual(JSON.parse(ruleCalls[2 * i + 1]!.body), createRuleBody(r));
    t.is(ruleCalls[2 * i + 1]!.headers['content-type'], 'application/json');
  });

  t.is(report.version, '8.19.5');
  t.is(report.savedObjects.imported, assets.savedObjects.length);
  t.deepEqual(
    report.rules.map((r) => [r.id, r.action]),
    assets.rules.map((r) => [r.id, 'created']),
  );
  t.regex(lines[0]!, /^Kibana 8\.19\.5 at http:\/\/127\.0\.0\.1:\d+$/);
  t.regex(lines[1]!, /^Kibana: imported \d+ saved objects, overwriting by id \(\d+ index-pattern, \d+ search, \d+ visualization, \d+ dashboard\)$/);
  t.true(lines.includes('Kibana: rule smf-agent-anomaly-low "smf-agent: low association anomalies" created (disabled, no actions)'));
  t.false(lines.join('\n').includes(PASSWORD));
});

test('a second install updates every rule in place, keeping the actions and enabled state the site chose', async (t) => {
  const kb = fakeKibana(t);
  const url = await kb.ready;
  await setupKibana({ url, connection: BASIC, log: quiet, assets });
  // The site attached a connector to the high rule and disabled the medium one in Kibana.
  const siteAction = { group: 'query matched', id: 'slack-secops', params: { message: 'hi' }, connector_type_id: '.slack', uuid: 'u-1', frequency: { summary: false, notify_when: 'onActionGroupChange', throttle: null } };
  kb.rules.set('smf-agent-anomaly-high', { ...kb.rules.get('smf-agent-anomaly-high'), actions: [siteAction], name: 'renamed by hand' });
  kb.rules.set('smf-agent-anomaly-medium', { ...kb.rules.get('smf-agent-anomaly-medium'), enabled: false });
  kb.seen.length = 0;

  const lines: string[] = [];
  const report = await setupKibana({ url, connection: BASIC, log: (l) => lines.push(l), assets });
  const puts = kb.seen.filter((s) => s.method === 'PUT');
  t.is(puts.length, assets.rules.length);
  t.false(kb.seen.some((s) => s.method === 'POST' && s.url.startsWith('/api/alerting')));
  for (const p of puts) {
    const body = JSON.parse(p.body) as Record<string, unknown>;
    for (const k of Object.keys(body)) t.true((UPDATE_RULE_KEYS as readonly string[]).includes(k), `${p.url}: ${k} is an update key`);
  }
  const high = JSON.parse(puts.find((p) => p.url.endsWith('/smf-agent-anomaly-high'))!.body) as Record<string, unknown>;
  t.is(high.name, 'smf-agent: high association anomalies', 'the asset owns the name');
  const { connector_type_id: _dropped, ...kept } = siteAction;
  t.deepEqual(high.actions, [kept], 'the connector stays, in the shape PUT accepts');
  t.is(kb.rules.get('smf-agent-anomaly-medium')!.enabled, false);
  t.deepEqual(
    report.rules.map((r) => r.action),
    assets.rules.map(() => 'updated'),
  );
  t.true(lines.includes('Kibana: rule smf-agent-anomaly-high "smf-agent: high association anomalies" updated (enabled, 1 action kept)'));
  t.true(lines.includes('Kibana: rule smf-agent-anomaly-medium "smf-agent: medium association anomalies" updated (disabled, no actions)'));
});

test('updateRuleBody: the asset owns name, tags, schedule and params; rule type, consumer and enabled are never sent', (t) => {
  const asset = assets.rules.find((r) => r.id === 'smf-agent-anomaly-critical')!;
  const body = updateRuleBody(asset, { actions: [] }) as unknown as Record<string, unknown>;
  t.deepEqual(Object.keys(body).sort(), ['actions', 'name', 'params', 'schedule', 'tags']);
  t.deepEqual(body.params, asset.rule.params);
  t.deepEqual(updateRuleBody(asset, undefined).actions, []);
});

test('in a space, space-scoped APIs get /s/<space> and rule ids the space suffix (rule ids are unique across spaces)', async (t) => {
  const kb = fakeKibana(t);
  const report = await setupKibana({ url: await kb.ready, space: 'secops', connection: BASIC, log: quiet, assets });
  t.is(kb.seen[0]!.url, '/api/status');
  t.is(kb.seen[1]!.url, '/s/secops/api/saved_objects/_import?overwrite=true');
  t.true(kb.seen.some((s) => s.method === 'POST' && s.url === '/s/secops/api/alerting/rule/smf-agent-anomaly-high-secops'));
  t.true(report.rules.every((r) => r.id.endsWith('-secops')));
  t.is(report.space, 'secops');
  const dflt = fakeKibana(t);
  await setupKibana({ url: await dflt.ready, space: 'default', connection: BASIC, log: quiet, assets });
  t.is(dflt.seen[1]!.url, '/api/saved_objects/_import?overwrite=true', 'the default space has no prefix');
});

test('a base path in the URL is kept, and an API key is sent as ApiKey', async (t) => {
  const kb = fakeKibana(t);
  await setupKibana({ url: `${await kb.ready}/kibana/`, connection: { hosts: ['http://es:9200'], apiKey: 'aWQ6a2V5' }, log: quiet, assets });
  t.true(kb.seen.every((s) => s.url.startsWith('/kibana/api/')));
  t.true(kb.seen.every((s) => s.headers.authorization === 'ApiKey aWQ6a2V5'));
});

test('refused credentials: SMF_ERR_KIBANA_AUTH naming the URL, the request and the status, never the password', async (t) => {
  const kb = fakeKibana(t, (req, res) => {
    send(res, 401, { statusCode: 401, error: 'Unauthorized', message: '[security_exception] unable to authenticate user [elastic]' });
    return true;
  });
  const url = await kb.ready;
  const err = await t.throwsAsync(setupKibana({ url, connection: BASIC, log: quiet, assets }), { instanceOf: KibanaError });
  t.is(err!.code, 'SMF_ERR_KIBANA_AUTH');
  t.is(err!.status, 401);
  t.true(err!.message.startsWith(`Kibana ${url} answered 401 Unauthorized to GET /api/status: [security_exception] unable to authenticate user [elastic]`), err!.message);
  t.false(err!.message.includes(PASSWORD));
  t.is(kb.seen.length, 1, 'nothing after a refused status call');
});

test('an import Kibana refuses is SMF_ERR_KIBANA_REQUEST listing the objects and why', async (t) => {
  const kb = fakeKibana(t, (req, res) => {
    if (!req.url.includes('_import')) return false;
    send(res, 200, {
      success: false,
      successCount: 25,
      errors: [{ id: 'smf-agent-search-anomalies', type: 'search', title: 'x', error: { type: 'missing_references', references: [{ type: 'index-pattern', id: 'smf-agent-dv-anomalies' }] } }],
    });
    return true;
  });
  const err = await t.throwsAsync(setupKibana({ url: await kb.ready, connection: BASIC, log: quiet, assets }), { instanceOf: KibanaError });
  t.is(err!.code, 'SMF_ERR_KIBANA_REQUEST');
  t.regex(err!.message, /imported 25 of \d+ saved objects: search:smf-agent-search-anomalies missing_references missing index-pattern:smf-agent-dv-anomalies/);
  t.false(kb.seen.some((s) => s.url.includes('/alerting/')), 'no rule is touched after a failed import');
});

test('a rule Kibana refuses is SMF_ERR_KIBANA_REQUEST with the status and Kibana\'s message', async (t) => {
  const kb = fakeKibana(t, (req, res) => {
    if (req.method !== 'POST' || !req.url.endsWith('/smf-agent-anomaly-high')) return false;
    send(res, 400, { statusCode: 400, error: 'Bad Request', message: 'params invalid: [termSize]: must be less than or equal to 1000' });
    return true;
  });
  const url = await kb.ready;
  const err = await t.throwsAsync(setupKibana({ url, connection: BASIC, log: quiet, assets }), { instanceOf: KibanaError });
  t.is(err!.status, 400);
  t.is(err!.message, `Kibana ${url} answered 400 Bad Request to POST /api/alerting/rule/smf-agent-anomaly-high: params invalid: [termSize]: must be less than or equal to 1000`);
});

test('an unreachable Kibana is SMF_ERR_KIBANA_CONNECT naming the URL', async (t) => {
  const kb = fakeKibana(t);
  const url = await kb.ready; // a port that was free a moment ago: listen, then close
  const probe = createServer();
  const closedPort = await new Promise<number>((resolve) => probe.listen(0, '127.0.0.1', () => resolve((probe.address() as AddressInfo).port)));
  await new Promise((r) => probe.close(r));
  t.truthy(url);
  const err = await t.throwsAsync(setupKibana({ url: `http://127.0.0.1:${closedPort}`, connection: BASIC, log: quiet, assets }), { instanceOf: KibanaError });
  t.is(err!.code, 'SMF_ERR_KIBANA_CONNECT');
  t.is(err!.message, `cannot reach Kibana at http://127.0.0.1:${closedPort} (GET /api/status): ECONNREFUSED`);
});

const BAD_OPTIONS: { name: string; url: string; space?: string; expect: RegExp }[] = [
  { name: 'credentials in the URL', url: `http://elastic:${PASSWORD}@kibana:5601`, expect: /Kibana URL 'http:\/\/\*\*\*@kibana:5601': credentials in the URL are not accepted/ },
  { name: 'not a URL', url: 'kibana:5601 x', expect: /is not a URL|must be an http or https URL/ },
  { name: 'not http', url: 'ftp://kibana:5601', expect: /must be an http or https URL/ },
  { name: 'a space id Kibana would refuse', url: 'http://kibana:5601', space: 'Sec Ops', expect: /Kibana space 'Sec Ops' \(--kibana-space\) is not a space id/ },
];
for (const c of BAD_OPTIONS) {
  test(`a usage error for ${c.name}, before any request`, async (t) => {
    const err = await t.throwsAsync(setupKibana({ url: c.url, space: c.space, connection: BASIC, log: quiet, assets }), { instanceOf: SmfError });
    t.is(err!.code, 'SMF_ERR_USAGE');
    t.regex(err!.message, c.expect);
    t.false(err!.message.includes(PASSWORD));
  });
}
