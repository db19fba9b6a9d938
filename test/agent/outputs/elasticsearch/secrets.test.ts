import test from 'ava';
import { createClient, encodedApiKey, splitUserinfo } from '../../../../agent/outputs/elasticsearch/client.js';
import { redact, secretsOf } from '../../../../agent/outputs/elasticsearch/redact.js';

test('userinfo is removed from every URL in a message', (t) => {
  t.is(redact('connect ECONNREFUSED https://elastic:s3cr%40t@es.example:9200/_bulk and http://u@h/'), 'connect ECONNREFUSED https://***@es.example:9200/_bulk and http://***@h/');
  t.is(redact('no url here: user@example.org'), 'no url here: user@example.org');
});

test('every configured secret is removed, in every form it can take', (t) => {
  const apiKey = Buffer.from('key-id:the-key-secret').toString('base64');
  const secrets = secretsOf({ hosts: ['https://bob:url%2Fpass@es:9200'], password: 'hunter22', apiKey });
  const text = `pw hunter22, key ${apiKey}, secret the-key-secret, url pass url/pass and url%2Fpass`;
  t.is(redact(text, secrets), 'pw ***, key ***, secret ***, url pass *** and ***');
  // The Beats form "id:api_key" is a secret too, and so is its base64 encoding.
  const beats = secretsOf({ hosts: ['http://h:9200'], apiKey: 'key-id:other-secret' });
  t.true(beats.includes('other-secret') && beats.includes(Buffer.from('key-id:other-secret').toString('base64')));
  // Very short values are not searched for: they would mangle ordinary words.
  t.deepEqual(secretsOf({ hosts: ['http://h:9200'], password: 'ab' }), []);
});

test('credentials in a host URL move into the client auth; no connection URL keeps them', (t) => {
  t.deepEqual(splitUserinfo('https://el%40stic:p%3Ass@es.example:9243'), { url: 'https://es.example:9243/', username: 'el@stic', password: 'p:ss' });
  t.deepEqual(splitUserinfo('http://127.0.0.1:9200'), { url: 'http://127.0.0.1:9200' });
  const es = createClient({ hosts: ['https://elastic:pa55word@127.0.0.1:9200'] });
  const conn = es.connectionPool.connections[0]!;
  t.is(conn.url.href, 'https://127.0.0.1:9200/');
  t.is(conn.headers.authorization, `Basic ${Buffer.from('elastic:pa55word').toString('base64')}`);
  // Explicit settings win over the URL's userinfo, which is still stripped.
  const explicit = createClient({ hosts: ['https://elastic:pa55word@127.0.0.1:9200'], username: 'agent', password: 'other' });
  t.is(explicit.connectionPool.connections[0]!.headers.authorization, `Basic ${Buffer.from('agent:other').toString('base64')}`);
  t.is(explicit.connectionPool.connections[0]!.url.password, '');
});

test('an API key is accepted as the encoded value or as the Beats "id:api_key" pair', (t) => {
  const encoded = Buffer.from('VuaCfGcBCdbkQm-e5aOx:ui2lp2axTNmsyakw9tvNnw').toString('base64');
  t.is(encodedApiKey(encoded), encoded);
  t.is(encodedApiKey('VuaCfGcBCdbkQm-e5aOx:ui2lp2axTNmsyakw9tvNnw'), encoded);
  const es = createClient({ hosts: ['http://127.0.0.1:9200'], apiKey: 'VuaCfGcBCdbkQm-e5aOx:ui2lp2axTNmsyakw9tvNnw' });
  t.is(es.connectionPool.connections[0]!.headers.authorization, `ApiKey ${encoded}`);
});
