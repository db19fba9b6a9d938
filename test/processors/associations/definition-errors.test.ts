// Invalid definitions: a table of named cases, each with the errors it must produce. Every error
// names the file, the definition and the key path; the other definitions in the same load still work.
import test from 'ava';
import { parseDefinitions } from '../../../processors/associations/definition.js';

const FIELDS = 'field1: { label: Userid, from: { path: user.name } }\nfield2: { label: DSN, from: { path: zos.dsn } }\n';
const GOOD = { name: 'config/associations/good.yaml', text: `id: good\nname: Good\n${FIELDS}` };

interface Case {
  name: string;
  text: string;
  /** [id, key, line, problem] for each expected error, in order. */
  errors: [string, string, number | undefined, string][];
}

const cases: Case[] = [
  {
    name: 'bad YAML names the file stem, or the id when the partial document has one',
    text: 'id: broken-one\nname: [unclosed\n',
    errors: [['broken-one', '', 3, 'not valid YAML: Flow sequence in block collection must be sufficiently indented and end with a ]']],
  },
  { name: 'duplicate YAML key', text: `id: a\nid: b\nname: X\n${FIELDS}`, errors: [['a', '', 2, 'not valid YAML: Map keys must be unique']] },
  { name: 'empty file', text: '# nothing here\n', errors: [['case', '', undefined, 'the file is empty: expected a definition (a mapping) or a list of definitions']] },
  { name: 'not a mapping', text: 'just text\n', errors: [['case', '', 1, 'expected a definition (a mapping with id, name, field1, field2), got "just text"']] },
  { name: 'unknown top-level key', text: `id: x\nname: X\nfeild1: 3\n${FIELDS}`, errors: [['x', 'feild1', 3, "unknown key 'feild1'"]] },
  {
    name: 'unknown key inside from',
    text: 'id: x\nname: X\nfield1: { label: A, from: { path: user.name, regexp: "a" } }\nfield2: { label: B, from: { path: zos.dsn } }\n',
    errors: [['x', 'field1.from.regexp', 3, "unknown key 'regexp'"]],
  },
  {
    name: 'unknown event field in a path and in a template',
    text: 'id: x\nname: X\nfield1: { label: A, from: { path: usr.name } }\nfield2: { label: B, from: { template: "{host.name}/{zos.termnal}" } }\n',
    errors: [
      ['x', 'field1.from.path', 3, "'usr.name' is not a field of the event schema (EventDoc)"],
      ['x', 'field2.from.template', 4, "'zos.termnal' is not a field of the event schema (EventDoc)"],
    ],
  },
  {
    name: 'bad regular expression',
    text: 'id: bad-re\nname: X\nfield1: { label: A, from: { path: user.name } }\nfield2:\n  label: B\n  from:\n    path: message\n    regex: "(abc"\n',
    errors: [['bad-re', 'field2.from.regex', 8, 'invalid regular expression /(abc/: Unterminated group']],
  },
  {
    name: 'regex group that does not exist, by number and by name',
    text: 'id: x\nname: X\nfield1: { label: A, from: { path: message, regex: "(?<u>a)", group: v } }\nfield2: { label: B, from: { path: message, regex: "(a)", group: 2 } }\n',
    errors: [
      ['x', 'field1.from.group', 3, "no named group 'v' in /(?<u>a)/ (named groups: u)"],
      ['x', 'field2.from.group', 4, 'group 2 does not exist: /(a)/ has 1 capture group(s)'],
    ],
  },
  {
    name: 'unknown pattern list',
    text: `id: x\nname: X\n${FIELDS}filter:\n  patterns: [{ path: zos.dsn, list: secret }]\n`,
    errors: [['x', 'filter.patterns[0].list', 6, "unknown pattern list 'secret' (known lists: honeypot, pii, sensitive)"]],
  },
  {
    name: 'unknown pattern list in the single-object form',
    text: `id: x\nname: X\n${FIELDS}filter: { patterns: { path: zos.dsn, list: pi } }\n`,
    errors: [['x', 'filter.patterns.list', 5, "unknown pattern list 'pi' (known lists: honeypot, pii, sensitive)"]],
  },
  { name: 'id that is not a slug', text: `id: Bad_Id\nname: X\n${FIELDS}`, errors: [['Bad_Id', 'id', 1, 'an id is a slug: lower-case letters and digits separated by single hyphens (got "Bad_Id")']] },
  {
    name: 'missing required keys',
    text: 'id: x\n',
    errors: [
      ['x', 'name', 1, 'required key is missing'],
      ['x', 'field1', 1, 'required key is missing'],
      ['x', 'field2', 1, 'required key is missing'],
    ],
  },
  {
    name: 'path and template together; two narrowings together',
    text: 'id: x\nname: X\nfield1: { label: A, from: { path: user.name, template: "{user.name}" } }\nfield2: { label: B, from: { path: zos.dsn, regex: a, columns: [1, 2] } }\n',
    errors: [
      ['x', 'field1.from', 3, 'give exactly one of path or template'],
      ['x', 'field2.from', 4, 'give at most one of regex, columns, split (got regex, columns)'],
    ],
  },
  { name: 'YAML "yes" is not a boolean', text: `id: x\nname: X\nenabled: yes\n${FIELDS}`, errors: [['x', 'enabled', 3, 'Invalid input: expected boolean, received string (got "yes")']] },
  {
    name: 'columns reversed; stateful regex flag',
    text: 'id: x\nname: X\nfield1: { label: A, from: { path: user.name, columns: [5, 2] } }\nfield2: { label: B, from: { path: message, regex: a, flags: g } }\n',
    errors: [
      ['x', 'field1.from.columns', 3, 'start column 5 is after end column 2'],
      ['x', 'field2.from.flags', 4, 'flags may only be i, m, s, u, each at most once (got "g")'],
    ],
  },
  {
    name: 'bad SMF types and an empty dataset list',
    text: `id: x\nname: X\n${FIELDS}filter: { types: [300, "80-x"], datasets: [] }\n`,
    errors: [
      ['x', 'filter.datasets', 5, 'Too small: expected array to have >=1 items'],
      ['x', 'filter.types[0]', 5, 'Too big: expected number to be <=255 (got 300)'],
      ['x', 'filter.types[1]', 5, 'an SMF type is a number (80) or "type-subtype" ("119-20") (got "80-x")'],
    ],
  },
  {
    name: 'a schema error does not hide a bad regex or an unknown list elsewhere',
    text: 'id: x\nname: X\nenabled: 1\nfield1: { label: A, from: { path: message, regex: "(" } }\nfield2: { label: B, from: { path: zos.dsn } }\nfilter: { patterns: { path: zos.dsn, list: nope } }\n',
    errors: [
      ['x', 'enabled', 3, 'Invalid input: expected boolean, received number (got 1)'],
      ['x', 'field1.from.regex', 4, 'invalid regular expression /(/: Unterminated group'],
      ['x', 'filter.patterns.list', 6, "unknown pattern list 'nope' (known lists: honeypot, pii, sensitive)"],
    ],
  },
  {
    name: 'alias expansion beyond the limit (billion laughs)',
    text: `a: &a [x, x, x, x, x, x, x, x, x, x]\nb: &b [${Array(10).fill('*a').join(', ')}]\nc: &c [${Array(10).fill('*b').join(', ')}]\nd: [${Array(10).fill('*c').join(', ')}]\n`,
    errors: [['case', '', undefined, 'not valid YAML: Excessive alias count indicates a resource exhaustion attack']],
  },
  { name: 'template without placeholder', text: 'id: x\nname: X\nfield1: { label: A, from: { template: "abc}" } }\nfield2: { label: B, from: { path: zos.dsn } }\n', errors: [
    ['x', 'field1.from.template', 3, "unmatched '}' at position 4 (write '}}' for a literal brace)"],
    ['x', 'field1.from.template', 3, 'a template needs at least one {field.path} placeholder'],
  ] },
];

const LISTS = { pii: ['PAYROLL.**'], honeypot: [], sensitive: ['SYS1.RACF*'] };

for (const c of cases) {
  test(`invalid definition: ${c.name}`, (t) => {
    const r = parseDefinitions([{ name: 'config/associations/case.yaml', text: c.text }, GOOD], LISTS);
    t.deepEqual(
      r.errors.map((e) => [e.id, e.key, e.line, e.problem]),
      c.errors,
    );
    for (const e of r.errors) {
      t.is(e.code, 'SMF_ERR_DEFINITION');
      t.is(e.source, 'config/associations/case.yaml');
      t.true(e.message.startsWith(`Association definition '${e.id}' (config/associations/case.yaml`), e.message);
      t.true(e.message.endsWith(e.key === '' ? e.problem : `${e.key}: ${e.problem}`), e.message);
    }
    t.deepEqual(r.definitions.map((d) => d.id), ['good'], 'the other definitions still load');
  });
}

test('the full message reads as one sentence with file, line, definition, key and problem', (t) => {
  const r = parseDefinitions([{ name: 'config/associations/userid-dsn.yaml', text: 'id: userid-dsn\nname: X\nfield1: { label: A, from: { path: user.name } }\nfield2: { label: B, from: { path: message, regex: "[" } }\n' }], {});
  t.is(r.errors[0]?.message, "Association definition 'userid-dsn' (config/associations/userid-dsn.yaml:4) cannot be loaded: field2.from.regex: invalid regular expression /[/: Unterminated character class");
});

test('a duplicate id is an error of the later source; the first definition keeps it', (t) => {
  const second = `- id: good\n  name: Again\n  ${FIELDS.replace('\nfield2', '\n  field2')}- id: other\n  name: Other\n  ${FIELDS.replace('\nfield2', '\n  field2')}`;
  const r = parseDefinitions([GOOD, { name: 'more.yaml', text: second }], {});
  t.deepEqual(r.definitions.map((d) => [d.id, d.name, d.source]), [['good', 'Good', GOOD.name], ['other', 'Other', 'more.yaml']]);
  t.deepEqual(r.errors.map((e) => e.message), ["Association definition 'good' (more.yaml:1) cannot be loaded: id: duplicate id 'good': already defined in config/associations/good.yaml"]);
});

test('entries of a list file without a readable id are named file[index]', (t) => {
  const r = parseDefinitions([{ name: 'dir/many.yml', text: `- id: ok-one\n  name: A\n  ${FIELDS.replace('\nfield2', '\n  field2')}- name: nameless\n` }], {});
  t.deepEqual(r.definitions.map((d) => d.id), ['ok-one']);
  t.deepEqual(r.errors.map((e) => [e.id, e.key, e.line]), [['many[1]', 'id', 5], ['many[1]', 'field1', 5], ['many[1]', 'field2', 5]]);
});

test('loaded definitions are frozen and keep defaults', (t) => {
  const r = parseDefinitions([GOOD], {});
  const d = r.definitions[0];
  t.truthy(d);
  t.true(Object.isFrozen(d) && Object.isFrozen(d?.spec) && Object.isFrozen(d?.spec.field1.from));
  t.is(d?.spec.enabled, true);
  t.is(d?.spec.description, '');
});
