// Alert rule assets (kibana/rules/*.json) and the request bodies of Kibana's alerting API.
//
// A rule file is { id, description?, rule, action_template? }:
//   id               the stable rule id (POST /api/alerting/rule/<id>), "smf-agent-…"
//   rule             exactly the body of Kibana's create-rule API
//   action_template  an action without a connector id: the message to use when a site attaches
//                    a connector (kibana/README.md); never sent by the installer
//
// Validation mirrors what Kibana 8.19 checks for `.es-query` rules (the create-rule body schema
// and the es-query params schema and validateParams), so a bad file fails here, offline, with
// every problem listed, instead of as a 400 halfway through an installation.

export interface RuleAction {
  group?: string;
  id: string;
  params: Record<string, unknown>;
  frequency?: { summary: boolean; notify_when: string; throttle: string | null };
  uuid?: string;
  alerts_filter?: unknown;
  use_alert_data_for_template?: boolean;
}

export interface CreateRuleBody {
  name: string;
  rule_type_id: string;
  consumer: string;
  enabled?: boolean;
  tags?: string[];
  schedule: { interval: string };
  params: Record<string, unknown>;
  actions: RuleAction[];
  throttle?: string | null;
  notify_when?: string | null;
  alert_delay?: { active: number };
  flapping?: unknown;
}

/** PUT /api/alerting/rule/<id>: the create body without rule_type_id, consumer and enabled. */
export type UpdateRuleBody = Omit<CreateRuleBody, 'rule_type_id' | 'consumer' | 'enabled'>;

export interface RuleAsset {
  id: string;
  file: string;
  description: string | undefined;
  rule: CreateRuleBody;
  actionTemplate: Omit<RuleAction, 'id'> | undefined;
}

/** Keys Kibana's create-rule body accepts (unknown keys are a 400). */
export const CREATE_RULE_KEYS = ['name', 'rule_type_id', 'consumer', 'enabled', 'tags', 'schedule', 'params', 'actions', 'throttle', 'notify_when', 'alert_delay', 'flapping'] as const;
/** Keys of the update body: rule type, consumer and enabled state cannot be changed by PUT. */
export const UPDATE_RULE_KEYS = ['name', 'tags', 'schedule', 'params', 'actions', 'throttle', 'notify_when', 'alert_delay', 'flapping'] as const;
const ACTION_UPDATE_KEYS = ['group', 'id', 'params', 'frequency', 'uuid', 'alerts_filter', 'use_alert_data_for_template'] as const;

/** Every param the 8.19 es-query rule type knows; anything else is refused by Kibana. */
export const ES_QUERY_PARAM_KEYS = [
  'size',
  'timeWindowSize',
  'timeWindowUnit',
  'excludeHitsFromPreviousRun',
  'threshold',
  'thresholdComparator',
  'aggType',
  'aggField',
  'groupBy',
  'termField',
  'termSize',
  'searchType',
  'timeField',
  'searchConfiguration',
  'esQuery',
  'index',
  'esqlQuery',
  'sourceFields',
] as const;
/** Fields required with searchType esQuery (Elasticsearch query DSL), the only type these assets use. */
export const ES_QUERY_DSL_REQUIRED = ['esQuery', 'index', 'timeField', 'threshold', 'thresholdComparator', 'timeWindowSize', 'timeWindowUnit', 'size'] as const;

const COMPARATORS = ['>', '<', '>=', '<=', 'between', 'notBetween'];
const AGG_TYPES = ['count', 'avg', 'min', 'max', 'sum'];
const MAX_HITS = 10_000; // ES_QUERY_MAX_HITS_PER_EXECUTION
const MAX_GROUPS = 1_000;
const MAX_GROUP_BY_TERMS = 4;
const DURATION = /^[1-9][0-9]*[smhd]$/;
const RULE_ID = /^smf-agent-[a-z0-9-]+$/;

const isObject = (v: unknown): v is Record<string, unknown> => typeof v === 'object' && v !== null && !Array.isArray(v);
const isNumber = (v: unknown): v is number => typeof v === 'number' && Number.isFinite(v);

/** Checks one parsed rule file; returns the asset or every problem, each prefixed with the file. */
export function parseRuleAsset(raw: unknown, file: string): { asset: RuleAsset | undefined; problems: string[] } {
  const problems: string[] = [];
  const p = (msg: string) => problems.push(`${file}: ${msg}`);
  if (!isObject(raw)) {
    p('must be a JSON object { id, rule, action_template? }');
    return { asset: undefined, problems };
  }
  for (const key of Object.keys(raw)) if (!['id', 'description', 'rule', 'action_template'].includes(key)) p(`unknown key '${key}'`);
  if (typeof raw.id !== 'string' || !RULE_ID.test(raw.id)) p(`id must be a stable id matching ${RULE_ID} (got ${JSON.stringify(raw.id)})`);
  if (raw.description !== undefined && typeof raw.description !== 'string') p('description must be a string');
  for (const m of ruleBodyProblems(raw.rule)) p(`rule.${m}`);
  if (raw.action_template !== undefined) for (const m of actionTemplateProblems(raw.action_template)) p(`action_template.${m}`);
  if (problems.length) return { asset: undefined, problems };
  return {
    asset: {
      id: raw.id as string,
      file,
      description: raw.description as string | undefined,
      rule: raw.rule as CreateRuleBody,
      actionTemplate: raw.action_template as RuleAsset['actionTemplate'],
    },
    problems,
  };
}

/** Problems of a create-rule body (paths relative to the body). */
export function ruleBodyProblems(rule: unknown): string[] {
  if (!isObject(rule)) return ['must be the create-rule body, an object'];
  const out: string[] = [];
  for (const key of Object.keys(rule)) if (!(CREATE_RULE_KEYS as readonly string[]).includes(key)) out.push(`${key}: not accepted by the create-rule API`);
  for (const key of ['name', 'rule_type_id', 'consumer'] as const) {
    if (typeof rule[key] !== 'string' || rule[key] === '') out.push(`${key}: required, a non-empty string`);
  }
  if (rule.enabled !== undefined && typeof rule.enabled !== 'boolean') out.push('enabled: must be a boolean');
  if (rule.tags !== undefined && !(Array.isArray(rule.tags) && rule.tags.every((t) => typeof t === 'string'))) out.push('tags: must be an array of strings');
  if (!isObject(rule.schedule) || typeof rule.schedule.interval !== 'string' || !DURATION.test(rule.schedule.interval)) {
    out.push(`schedule: required, { "interval": "<n>s|m|h|d" } (got ${JSON.stringify(rule.schedule)})`);
  }
  if (!Array.isArray(rule.actions)) out.push('actions: required, an array (empty: no connector)');
  else rule.actions.forEach((a, i) => out.push(...actionProblems(a).map((m) => `actions[${i}].${m}`)));
  if (!isObject(rule.params)) out.push('params: required, an object');
  else if (rule.rule_type_id === '.es-query') out.push(...esQueryParamProblems(rule.params).map((m) => `params.${m}`));
  else if (typeof rule.rule_type_id === 'string') out.push(`rule_type_id: '${rule.rule_type_id}' is not validated by smf-agent (only .es-query)`);
  return out;
}

/**
 * Problems of `.es-query` params with searchType esQuery, as Kibana 8.19 reports them: the params
 * schema (types, ranges, unknown keys) and validateParams (threshold arity, aggField, grouping,
 * esQuery must be JSON with a `query`).
 */
export function esQueryParamProblems(params: Record<string, unknown>): string[] {
  const out: string[] = [];
  for (const key of Object.keys(params)) if (!(ES_QUERY_PARAM_KEYS as readonly string[]).includes(key)) out.push(`${key}: unknown es-query parameter`);
  const searchType = params.searchType ?? 'esQuery';
  if (searchType !== 'esQuery') return [...out, `searchType: only 'esQuery' (query DSL) is supported here (got ${JSON.stringify(searchType)})`];
  for (const key of ES_QUERY_DSL_REQUIRED) if (params[key] === undefined) out.push(`${key}: required`);
  const { size, timeWindowSize, timeWindowUnit, threshold, thresholdComparator, aggType = 'count', aggField, groupBy = 'all', termField, termSize } = params;
  if (size !== undefined && !(isNumber(size) && size >= 0 && size <= MAX_HITS)) out.push(`size: a number from 0 to ${MAX_HITS}`);
  if (timeWindowSize !== undefined && !(isNumber(timeWindowSize) && timeWindowSize >= 1)) out.push('timeWindowSize: a number ≥ 1');
  if (timeWindowUnit !== undefined && !['s', 'm', 'h', 'd'].includes(timeWindowUnit as string)) out.push(`timeWindowUnit: one of s, m, h, d (got ${JSON.stringify(timeWindowUnit)})`);
  if (params.excludeHitsFromPreviousRun !== undefined && typeof params.excludeHitsFromPreviousRun !== 'boolean') out.push('excludeHitsFromPreviousRun: a boolean');
  if (threshold !== undefined && !(Array.isArray(threshold) && threshold.length >= 1 && threshold.length <= 2 && threshold.every(isNumber))) {
    out.push('threshold: an array of one or two numbers');
  }
  if (thresholdComparator !== undefined && !COMPARATORS.includes(thresholdComparator as string)) out.push(`thresholdComparator: one of ${COMPARATORS.join(', ')}`);
  if (['between', 'notBetween'].includes(thresholdComparator as string) && Array.isArray(threshold) && threshold.length !== 2) {
    out.push(`threshold: must have two elements for the "${String(thresholdComparator)}" comparator`);
  }
  if (!AGG_TYPES.includes(aggType as string)) out.push(`aggType: one of ${AGG_TYPES.join(', ')}`);
  else if (aggType !== 'count' && (typeof aggField !== 'string' || aggField === '')) out.push(`aggField: must have a value when aggType is "${String(aggType)}"`);
  if (groupBy !== 'all' && groupBy !== 'top') out.push(`groupBy: 'all' or 'top' (got ${JSON.stringify(groupBy)})`);
  if (termField !== undefined) {
    const single = typeof termField === 'string' && termField !== '';
    const multi = Array.isArray(termField) && termField.length >= 2 && termField.length <= MAX_GROUP_BY_TERMS && termField.every((f) => typeof f === 'string');
    if (!single && !multi) out.push(`termField: a field name or 2 to ${MAX_GROUP_BY_TERMS} field names`);
  }
  if (termSize !== undefined && !(isNumber(termSize) && termSize >= 1)) out.push('termSize: a number ≥ 1');
  if (groupBy === 'top') {
    if (termField === undefined) out.push('termField: required when groupBy is top');
    if (termSize === undefined) out.push('termSize: required when groupBy is top');
    else if (isNumber(termSize) && termSize > MAX_GROUPS) out.push(`termSize: must be less than or equal to ${MAX_GROUPS}`);
  }
  if (params.timeField !== undefined && (typeof params.timeField !== 'string' || params.timeField === '')) out.push('timeField: a non-empty field name');
  if (params.index !== undefined && !(Array.isArray(params.index) && params.index.length >= 1 && params.index.every((i) => typeof i === 'string' && i !== ''))) {
    out.push('index: a non-empty array of index patterns');
  }
  if (params.esQuery !== undefined) {
    if (typeof params.esQuery !== 'string' || params.esQuery === '') out.push('esQuery: the query DSL as a JSON string');
    else {
      try {
        const parsed: unknown = JSON.parse(params.esQuery);
        if (!isObject(parsed) || parsed.query === undefined) out.push('esQuery: must contain "query"');
      } catch {
        out.push('esQuery: must be valid JSON');
      }
    }
  }
  return out;
}

function actionProblems(a: unknown): string[] {
  if (!isObject(a)) return ['must be an object'];
  const out = [...actionTemplateProblems(a, ['id'])];
  if (typeof a.id !== 'string' || a.id === '') out.push('id: the connector id, required');
  return out;
}

function actionTemplateProblems(a: unknown, extraKeys: string[] = []): string[] {
  if (!isObject(a)) return ['must be an object'];
  const out: string[] = [];
  const allowed = [...ACTION_UPDATE_KEYS.filter((k) => k !== 'id'), ...extraKeys];
  for (const key of Object.keys(a)) if (!allowed.includes(key)) out.push(`${key}: not an action property`);
  if (a.group !== undefined && typeof a.group !== 'string') out.push('group: a string');
  if (!isObject(a.params)) out.push('params: required, an object');
  if (a.frequency !== undefined) {
    const f = a.frequency;
    if (!isObject(f) || typeof f.summary !== 'boolean' || !['onActiveAlert', 'onThrottleInterval', 'onActionGroupChange'].includes(f.notify_when as string)) {
      out.push('frequency: { summary: boolean, notify_when: onActiveAlert|onThrottleInterval|onActionGroupChange, throttle }');
    }
  }
  return out;
}

/** Body of POST /api/alerting/rule/<id>. */
export function createRuleBody(asset: RuleAsset): CreateRuleBody {
  return structuredClone(asset.rule);
}

/**
 * Body of PUT /api/alerting/rule/<id>. The asset owns the rule's name, tags, schedule and params;
 * the site owns its actions (connectors are site-specific and added in Kibana), so the actions of
 * the existing rule are kept unless the asset itself declares some. The enabled state is never
 * part of an update (PUT cannot change it), so a rule an operator disabled stays disabled.
 */
export function updateRuleBody(asset: RuleAsset, existing: unknown): UpdateRuleBody {
  const body: Record<string, unknown> = {};
  for (const key of UPDATE_RULE_KEYS) if (asset.rule[key] !== undefined) body[key] = structuredClone(asset.rule[key]);
  const current = isObject(existing) && Array.isArray(existing.actions) ? existing.actions : [];
  if (asset.rule.actions.length === 0 && current.length > 0) body.actions = current.filter(isObject).map(actionForUpdate);
  return body as unknown as UpdateRuleBody;
}

/** An action as GET returns it (with connector_type_id and friends) reduced to what PUT accepts. */
function actionForUpdate(a: Record<string, unknown>): RuleAction {
  const out: Record<string, unknown> = {};
  for (const key of ACTION_UPDATE_KEYS) if (a[key] !== undefined) out[key] = a[key];
  return out as unknown as RuleAction;
}
