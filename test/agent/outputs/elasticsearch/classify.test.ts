import test from 'ava';
import { classifyItem, requestFailureReason, retryAfterMs } from '../../../../agent/outputs/elasticsearch/classify.js';

test('bulk item outcomes follow the delivery contract', (t) => {
  t.deepEqual(classifyItem({ status: 201 }), { kind: 'ok' });
  t.deepEqual(classifyItem({ status: 409, error: { type: 'version_conflict_engine_exception' } }), { kind: 'duplicate' });
  t.deepEqual(classifyItem({ status: 429 }), { kind: 'retry', reason: 'es_429' });
  t.deepEqual(classifyItem({ status: 503 }), { kind: 'retry', reason: 'es_503' });
  t.deepEqual(classifyItem({ status: 400, error: { type: 'document_parsing_exception', reason: 'failed to parse field [source.ip]', caused_by: { reason: "'x' is not an IP string literal." } } }), {
    kind: 'reject',
    code: 'document_parsing_exception',
    reason: "failed to parse field [source.ip] (caused by: 'x' is not an IP string literal.)",
  });
});

test('request-level failures are all retried, with a reason code', (t) => {
  t.is(requestFailureReason({ name: 'ConnectionError' }), 'connection');
  t.is(requestFailureReason({ name: 'TimeoutError' }), 'timeout');
  t.is(requestFailureReason({ name: 'ResponseError', meta: { statusCode: 429 } }), 'es_429');
  t.is(requestFailureReason({ name: 'ResponseError', meta: { statusCode: 401 } }), 'es_auth_401');
  t.is(requestFailureReason({ name: 'ResponseError', meta: { statusCode: 502 } }), 'es_502');
});

test('a Retry-After header is read as seconds or as an HTTP date; absent or garbled means none', (t) => {
  const withHeader = (v: string | undefined) => ({ name: 'ResponseError', meta: { statusCode: 429, headers: v === undefined ? {} : { 'retry-after': v } } });
  t.is(retryAfterMs(withHeader('7')), 7000);
  const now = Date.parse('2025-03-03T08:00:00Z');
  t.is(retryAfterMs(withHeader('Mon, 03 Mar 2025 08:00:05 GMT'), now), 5000);
  t.is(retryAfterMs(withHeader('Mon, 03 Mar 2025 07:59:00 GMT'), now), 0);
  t.is(retryAfterMs(withHeader(undefined)), undefined);
  t.is(retryAfterMs(withHeader('soon')), undefined);
  t.is(retryAfterMs({ name: 'ConnectionError' }), undefined);
});

test('413 (request too large) has its own reason: the output splits instead of resending', (t) => {
  t.is(requestFailureReason({ name: 'ResponseError', meta: { statusCode: 413 } }), 'es_413');
});
