// Against the real node: every template in mappings/ installs, and only portable field types are used.
import test from 'ava';
import { installTemplates, loadTemplates } from '../../agent/outputs/elasticsearch/templates.js';
import { useEs } from '../helpers/es.js';

// Types present on every distribution, including the integration-test node (docs/elasticsearch.md).
const PORTABLE = new Set(['keyword', 'text', 'ip', 'date', 'long', 'integer', 'short', 'byte', 'double', 'float', 'boolean', 'object', 'nested', 'flattened', 'date_nanos']);

function* types(node: unknown): Generator<string> {
  if (!node || typeof node !== 'object') return;
  for (const [k, v] of Object.entries(node)) {
    if (k === 'type' && typeof v === 'string') yield v;
    else yield* types(v);
  }
}

test('every template uses only field types that exist on every distribution', (t) => {
  for (const tpl of loadTemplates()) {
    const mappings = (tpl.body as { template?: { mappings?: unknown } }).template?.mappings;
    for (const ty of types(mappings)) t.true(PORTABLE.has(ty), `${tpl.name}: field type '${ty}' is not available on every cluster`);
  }
});

test('every template installs on the real node, and an events index gets the composed mapping', async (t) => {
  const { es, prefix } = useEs(t);
  const installed = await installTemplates(es);
  t.true(installed.some((n) => n.startsWith('index:')));
  const index = `smf-events-${prefix}`;
  await es.indices.create({ index });
  const mapping = await es.indices.getMapping({ index });
  const props = mapping[index]!.mappings.properties!;
  t.is((props.source as { properties: Record<string, { type: string }> }).properties.ip!.type, 'ip');
  t.is(props['@timestamp']!.type, 'date');
});
