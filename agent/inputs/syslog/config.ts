// Configuration of the syslog input: a listener on TCP, TLS or UDP.
//
// The schema is built by a function that agent/config/schema.ts calls with the shared pieces
// (`name`, the decoding keys) instead of importing them here: schema.ts imports this module for
// its union of inputs, so importing back would be an ES module cycle in which this file would
// read `decoding` before schema.ts had initialised it. Only types cross in this direction.

import { accessSync, constants } from 'node:fs';
import { z } from 'zod';
import type { decoding as Decoding, InputConfig } from '../../config/schema.js';

const readableFile = z
  .string()
  .min(1)
  .refine(isReadable, { error: (iss) => `cannot read file '${String(iss.input)}' (missing or not readable; relative paths are resolved from the working directory)` });

const tls = z.strictObject({
  cert: readableFile, // PEM server certificate (chain)
  key: readableFile, // PEM private key
  /** PEM CA bundle that client certificates must chain to (default: the system CAs). */
  ca: readableFile.optional(),
  /** none: no client certificate asked; optional: verified if sent; required: connections without one are refused. */
  client_auth: z.enum(['none', 'optional', 'required']).default('none'),
});

const udpSpool = z.strictObject({
  /** Directory of the spool file; default <agent.data_dir>/spool/<input name> (a relative path is from the working directory). */
  dir: z.string().min(1).optional(),
  /** Datagrams held in memory while the pipeline is busy, before spilling to the spool file. */
  memory_bytes: z.number().int().min(0).max(1024 ** 3).default(1024 * 1024),
  /** Spool file bound; what does not fit is dropped and counted (reason udp_spool_full). 0: no file. */
  max_bytes: z.number().int().min(0).default(64 * 1024 * 1024),
});

export function syslogInputSchema(shared: { name: z.ZodString; decoding: typeof Decoding }) {
  return z
    .strictObject({
      type: z.literal('syslog'),
      name: shared.name,
      protocol: z.enum(['tcp', 'udp', 'tls']),
      host: z.string().min(1).default('127.0.0.1'),
      /** 0 lets the system pick a free port (tests); the log line at start names the port. */
      port: z.number().int().min(0).max(65535),
      /** TCP/TLS only; UDP carries one message per datagram (RFC 5426). */
      framing: z.enum(['auto', 'newline', 'octet-counting']).default('auto'),
      /** TCP/TLS: connections beyond this are closed at once (and logged). */
      max_connections: z.number().int().min(1).max(100_000).default(100),
      /** Longer messages are cut to this size and dead-lettered (never buffered whole). */
      max_message_bytes: z.number().int().min(256).max(16 * 1024 * 1024).default(65536),
      tls: tls.optional(),
      udp_spool: udpSpool.prefault({}),
      ...shared.decoding,
    })
    .superRefine((c, ctx) => {
      if (c.protocol === 'tls' && !c.tls) ctx.addIssue({ code: 'custom', path: ['tls'], message: 'required when protocol is tls (cert and key)' });
      if (c.protocol !== 'tls' && c.tls) ctx.addIssue({ code: 'custom', path: ['tls'], message: `only used with protocol: tls (protocol is ${c.protocol})` });
    });
}

export type SyslogInputConfig = Extract<InputConfig, { type: 'syslog' }>;

function isReadable(path: string): boolean {
  try {
    accessSync(path, constants.R_OK);
    return true;
  } catch {
    return false;
  }
}
