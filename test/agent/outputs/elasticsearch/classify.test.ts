import test from 'ava';
import { classifyItem, requestFailureReason } from '../../../../agent/outputs/elasticsearch/classify.js';

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
