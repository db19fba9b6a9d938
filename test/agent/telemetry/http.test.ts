import test from 'ava';
import { MonitoringServer } from '../../../agent/telemetry/http.js';
import { createMetrics } from '../../../agent/telemetry/metrics.js';

test('serves Prometheus metrics and a health check that turns 503 when the pipeline is down', async (t) => {
  const metrics = createMetrics();
  metrics.linesRead.inc({ input: 'sysa' }, 42);
  metrics.dropped.inc({ input: 'udp', reason: 'udp_spool_full' }, 3);
  let ok = true;
  const server = new MonitoringServer(metrics.registry, { health: () => ({ ok, details: { queue_events: 7 } }) });
  const port = await server.start('127.0.0.1', 0);
  t.teardown(() => server.stop());
  const base = `http://127.0.0.1:${port}`;

  const m = await fetch(`${base}/metrics`);
  t.is(m.status, 200);
  const text = await m.text();
  t.regex(text, /smf_agent_lines_read_total\{input="sysa"\} 42/);
  t.regex(text, /smf_agent_events_dropped_total\{input="udp",reason="udp_spool_full"\} 3/);

  const h = await fetch(`${base}/health`);
  t.is(h.status, 200);
  t.deepEqual(await h.json(), { status: 'ok', queue_events: 7 });
  ok = false;
  const down = await fetch(`${base}/health`);
  t.is(down.status, 503);
  t.is(((await down.json()) as { status: string }).status, 'unavailable');
  t.is((await fetch(`${base}/nope`)).status, 404);
});
