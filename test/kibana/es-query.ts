// What Kibana's es-query rule type (searchType esQuery) sends to Elasticsearch on one run, rebuilt
// from Kibana 8.19's sources so a test can execute a rule's params against a real node:
//
//   executor.ts          getTimeRange(`${timeWindowSize}${timeWindowUnit}`) → dateStart = now − window, dateEnd = now
//   fetch_es_query.ts    the DSL's `query` (plus a must_not range on the time field for ungrouped rules with
//                        excludeHitsFromPreviousRun after their first run; grouped rules never keep a
//                        latestTimestamp, so for them the query is used as is)
//   build_sorted_events_query.ts   bool.filter [query, range on timeField gte dateStart lte dateEnd],
//                        size 0 when grouped, sort on the time field desc, track_total_hits
//   build_agg.ts         groupAgg terms(termField, termSize) + conditionSelector bucket_selector
//                        (count compared with the threshold in painless) + topHitsAgg (size ≤ 100),
//                        groupAggCount stats_bucket
//
// The integration-test node has neither painless nor the bucket_selector aggregation. When the
// node refuses bucket_selector, the request is sent without it and the same comparison is applied
// to each bucket's doc_count here: the groups that come back are the ones the selector would keep.

import type { Client } from '@elastic/elasticsearch';

export interface EsQueryParams {
  index: string[];
  timeField: string;
  esQuery: string;
  timeWindowSize: number;
  timeWindowUnit: 's' | 'm' | 'h' | 'd';
  threshold: number[];
  thresholdComparator: '>' | '<' | '>=' | '<=' | 'between' | 'notBetween';
  size: number;
  aggType?: string;
  groupBy?: string;
  termField?: string | string[];
  termSize?: number;
  excludeHitsFromPreviousRun?: boolean;
}

export interface RuleGroup {
  key: string;
  count: number;
  hits: { _id: string; _source: Record<string, unknown> }[];
}

export interface RuleRun {
  dateStart: string;
  dateEnd: string;
  total: number;
  groups: RuleGroup[];
  /** Set when the node lacked bucket_selector and the threshold was applied here instead. */
  deviation: string | undefined;
}

const UNIT_MS = { s: 1_000, m: 60_000, h: 3_600_000, d: 86_400_000 } as const;
const DEFAULT_GROUPS = 100;
const MAX_TOP_HITS = 100;
const SELECTOR_FIELD = 'params.compareValue';

/** getComparatorScript of Kibana: integers get an `L` suffix. */
export function comparatorScript(comparator: EsQueryParams['thresholdComparator'], threshold: number[], field = SELECTOR_FIELD): string {
  const t = (n: number) => (Number.isInteger(n) ? `${n}L` : `${n}`);
  const [a = 0, b = 0] = threshold;
  switch (comparator) {
    case '>':
      return `${field} > ${t(a)}`;
    case '<':
      return `${field} < ${t(a)}`;
    case '>=':
      return `${field} >= ${t(a)}`;
    case '<=':
      return `${field} <= ${t(a)}`;
    case 'between':
      return `${field} >= ${t(a)} && ${field} <= ${t(b)}`;
    case 'notBetween':
      return `${field} < ${t(a)} || ${field} > ${t(b)}`;
  }
}

/** ComparatorFns of Kibana. */
export function compare(comparator: EsQueryParams['thresholdComparator'], value: number, threshold: number[]): boolean {
  const [a = 0, b = 0] = threshold;
  switch (comparator) {
    case '>':
      return value > a;
    case '<':
      return value < a;
    case '>=':
      return value >= a;
    case '<=':
      return value <= a;
    case 'between':
      return value >= a && value <= b;
    case 'notBetween':
      return value < a || value > b;
  }
}

/** The search request of one rule run at `now` (count aggregation; grouped or not). */
export function ruleSearchRequest(params: EsQueryParams, now: Date, opts: { index?: string[]; alertLimit?: number; bucketSelector?: boolean } = {}) {
  const dateEnd = now.toISOString();
  const dateStart = new Date(now.getTime() - params.timeWindowSize * UNIT_MS[params.timeWindowUnit]).toISOString();
  const parsed = JSON.parse(params.esQuery) as { query: unknown };
  const grouped = params.termField !== undefined && params.termField !== '';
  const alertLimit = opts.alertLimit ?? 1000; // the alerting framework's default max alerts per run
  let terms = params.termSize ?? DEFAULT_GROUPS;
  if (terms > alertLimit) terms = alertLimit + 1;
  const aggs: Record<string, unknown> = {};
  if (grouped) {
    const field = params.termField as string; // multi_terms is not used by these rules
    aggs.groupAgg = {
      terms: { field, size: terms },
      aggs: {
        ...(opts.bucketSelector === false
          ? {}
          : {
              conditionSelector: {
                bucket_selector: { buckets_path: { compareValue: '_count' }, script: comparatorScript(params.thresholdComparator, params.threshold) },
              },
            }),
        topHitsAgg: { top_hits: { size: Math.min(params.size, MAX_TOP_HITS) } },
      },
    };
    aggs.groupAggCount = { stats_bucket: { buckets_path: 'groupAgg._count' } };
  }
  return {
    dateStart,
    dateEnd,
    grouped,
    request: {
      index: opts.index ?? params.index,
      allow_no_indices: true,
      ignore_unavailable: true,
      size: grouped ? 0 : params.size,
      track_total_hits: true,
      docvalue_fields: [{ field: params.timeField, format: 'strict_date_optional_time' }],
      query: {
        bool: {
          filter: [parsed.query, { bool: { filter: [{ range: { [params.timeField]: { lte: dateEnd, gte: dateStart, format: 'strict_date_optional_time' } } }] } }],
        },
      },
      aggs,
      sort: [{ [params.timeField]: { order: 'desc', format: 'strict_date_optional_time||epoch_millis' } }],
    },
  };
}

interface GroupBucket {
  key: string;
  doc_count: number;
  topHitsAgg: { hits: { hits: { _id: string; _source: Record<string, unknown> }[] } };
}

/** Runs a grouped rule's query as Kibana would at `now`, returning the groups that meet the threshold. */
export async function runGroupedRule(es: Client, params: EsQueryParams, now: Date, opts: { index?: string[] } = {}): Promise<RuleRun> {
  let deviation: string | undefined;
  let built = ruleSearchRequest(params, now, opts);
  if (!built.grouped) throw new Error('runGroupedRule: the rule has no termField');
  let res;
  try {
    res = await es.search(built.request as never);
  } catch (err) {
    if (!/bucket_selector/.test(String((err as Error).message))) throw err;
    deviation = 'the node has no bucket_selector aggregation: threshold applied to each bucket by the test';
    built = ruleSearchRequest(params, now, { ...opts, bucketSelector: false });
    res = await es.search(built.request as never);
  }
  const buckets = (res.aggregations as { groupAgg: { buckets: GroupBucket[] } }).groupAgg.buckets;
  const groups = buckets
    .filter((b) => deviation === undefined || compare(params.thresholdComparator, b.doc_count, params.threshold))
    .map((b) => ({ key: String(b.key), count: b.doc_count, hits: b.topHitsAgg.hits.hits }));
  const total = typeof res.hits.total === 'number' ? res.hits.total : (res.hits.total?.value ?? 0);
  return { dateStart: built.dateStart, dateEnd: built.dateEnd, total, groups, deviation };
}
