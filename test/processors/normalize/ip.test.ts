import test from 'ava';
import { normalizeAddress } from '../../../processors/normalize/ip.js';
import { normalizeOk, record } from './helpers.js';

const cases: [string, ReturnType<typeof normalizeAddress>][] = [
  ['10.1.2.3', { ip: '10.1.2.3' }],
  ['  10.1.2.3 ', { ip: '10.1.2.3' }],
  ['::FFFF:10.1.2.3', { ip: '10.1.2.3' }],
  ['::ffff:10.1.2.3', { ip: '10.1.2.3' }],
  ['0:0:0:0:0:FFFF:192.168.0.1', { ip: '192.168.0.1' }],
  ['::ffff:0a01:0203', { ip: '10.1.2.3' }],
  ['010.001.002.003', { ip: '10.1.2.3' }],
  ['2001:DB8::1', { ip: '2001:db8::1' }],
  ['fe80::1%eth0', { ip: 'fe80::1' }],
  ['[2001:db8::1]:8022', { ip: '2001:db8::1', port: 8022 }],
  ['10.1.2.3:1023', { ip: '10.1.2.3', port: 1023 }],
  ['::', { ip: '::' }],
  ['256.1.1.1', { address: '256.1.1.1' }],
  ['10.1.2', { address: '10.1.2' }],
  ['TCP00042', { address: 'TCP00042' }],
  ['host.example.com', { address: 'host.example.com' }],
  ['10.1.2.3:99999', { address: '10.1.2.3:99999' }],
];

for (const [input, expected] of cases) {
  test(`normalizeAddress(${JSON.stringify(input)})`, (t) => {
    t.deepEqual(normalizeAddress(input), expected);
  });
}

test('an invalid source IP goes to source.address, never source.ip', (t) => {
  const doc = normalizeOk(t, record({ remote_ip: 'not-an-ip', remote_port: '1023' }));
  t.deepEqual(doc.source, { address: 'not-an-ip', port: 1023 });
});

test('an invalid destination IP goes to destination.address', (t) => {
  const doc = normalizeOk(t, record({ local_ip: '999.0.0.1' }));
  t.deepEqual(doc.destination, { address: '999.0.0.1' });
});

test('an explicit port field wins over a port in the address', (t) => {
  const doc = normalizeOk(t, record({ remote_ip: '10.1.2.3:1000', remote_port: 2000 }));
  t.deepEqual(doc.source, { ip: '10.1.2.3', port: 2000 });
});

test('ports out of range are left out', (t) => {
  const doc = normalizeOk(t, record({ remote_ip: '10.1.2.3', remote_port: '70000' }));
  t.deepEqual(doc.source, { ip: '10.1.2.3' });
});
