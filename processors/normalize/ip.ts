// IP address normalization for source.ip / destination.ip.
//
// z/OS writes IPv4 peers of dual-stack sockets as IPv4-mapped IPv6 (`::FFFF:10.1.2.3`); those
// become plain IPv4 so one address has one spelling for search and associations. Zero-padded
// octets (`010.001.002.003`, fixed-width SMF output) are read as decimal. A trailing port
// (`10.1.2.3:1234`, `[::1]:22`) is split off. What is still not an IP address is not put in an
// `ip` field (Elasticsearch would reject the whole document) but kept as `address`.

import { isIP } from 'node:net';

export interface Address {
  ip?: string;
  port?: number;
  address?: string;
}

const IPV4_PORT = /^(\d{1,3}(?:\.\d{1,3}){3}):(\d{1,5})$/;
const BRACKETED = /^\[([^\]]+)\](?::(\d{1,5}))?$/;
const MAPPED_DOTTED = /^(?:0{0,4}:){0,5}:?(?:0{0,4}:)?ffff:(\d{1,3}(?:\.\d{1,3}){3})$/i;
const MAPPED_HEX = /^::ffff:([0-9a-f]{1,4}):([0-9a-f]{1,4})$/i;
const PORT = /^\d{1,5}$/;

export function normalizeAddress(raw: string): Address {
  let s = raw.trim();
  const v4 = ipv4(s); // the common case, without regexes or allocation
  if (v4 !== undefined) return { ip: v4 };
  let port: number | undefined;
  const m = BRACKETED.exec(s) ?? IPV4_PORT.exec(s);
  if (m !== null) {
    s = m[1] ?? s;
    if (m[2] !== undefined) {
      port = toPort(m[2]);
      if (port === undefined) return { address: raw.trim() };
    }
  }
  const ip = canonicalIp(s);
  if (ip === undefined) return { address: raw.trim() };
  return port === undefined ? { ip } : { ip, port };
}

/** The canonical spelling of an IP address, or undefined when it is not one. */
export function canonicalIp(value: string): string | undefined {
  let s = value;
  if (!s.includes(':')) return ipv4(s);
  const zone = s.indexOf('%');
  if (zone > 0) s = s.slice(0, zone);
  let m = MAPPED_DOTTED.exec(s);
  if (m !== null) return ipv4(m[1] ?? '');
  if ((m = MAPPED_HEX.exec(s)) !== null) {
    const hi = parseInt(m[1] ?? '', 16);
    const lo = parseInt(m[2] ?? '', 16);
    return `${hi >> 8}.${hi & 255}.${lo >> 8}.${lo & 255}`;
  }
  return isIP(s) === 6 ? s.toLowerCase() : undefined;
}

/** A dotted-quad IPv4 address in canonical form (zero-padded octets read as decimal), or undefined. */
function ipv4(s: string): string | undefined {
  let octet = 0;
  let digits = 0;
  let dots = 0;
  let padded = false;
  for (let i = 0; i < s.length; i++) {
    const c = s.charCodeAt(i);
    if (c === 46) {
      if (digits === 0 || ++dots > 3) return undefined;
      octet = 0;
      digits = 0;
      continue;
    }
    if (c < 48 || c > 57) return undefined;
    if (digits > 0 && octet === 0) padded = true;
    octet = octet * 10 + (c - 48);
    if (++digits > 3 || octet > 255) return undefined;
  }
  if (dots !== 3 || digits === 0) return undefined;
  return padded ? s.split('.').map(Number).join('.') : s;
}

export function toPort(value: string | number): number | undefined {
  const n = typeof value === 'number' ? value : PORT.test(value.trim()) ? Number(value) : Number.NaN;
  return Number.isInteger(n) && n >= 0 && n <= 65535 ? n : undefined;
}
