// Shared by the syslog input tests: configs through the real schema, a recording sink that can be
// blocked, a logger that keeps its messages, and throw-away certificates made with openssl.

import { execFileSync } from 'node:child_process';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Writable } from 'node:stream';
import winston from 'winston';
import { inputSchema } from '../../../../agent/config/schema.js';
import type { SyslogInputConfig } from '../../../../agent/inputs/syslog/config.js';
import type { RawLine } from '../../../../agent/pipeline/event.js';
import { testContext } from '../../../helpers/context.js';

export function syslogConfig(over: Record<string, unknown>): SyslogInputConfig {
  const c = inputSchema.parse({ type: 'syslog', name: 'net', protocol: 'tcp', port: 0, ...over });
  if (c.type !== 'syslog') throw new Error('not a syslog config');
  return c;
}

/** A context whose logger records "level message" strings. */
export function recordingContext() {
  const logs: string[] = [];
  const stream = new Writable({
    objectMode: true,
    write(info: { level: string; message: string }, _enc, cb) {
      logs.push(`${info.level} ${info.message}`);
      cb();
    },
  });
  const ctx = testContext();
  ctx.logger = winston.createLogger({ level: 'debug', transports: [new winston.transports.Stream({ stream })] });
  return { ctx, logs };
}

/** A sink that records every line; `block()` makes the next calls wait until `release()`. */
export function recordingSink() {
  const lines: RawLine[] = [];
  let calls = 0;
  let gate: Promise<void> | undefined;
  let open: (() => void) | undefined;
  return {
    lines,
    get calls() {
      return calls;
    },
    block() {
      gate = new Promise<void>((r) => (open = r));
    },
    release() {
      gate = undefined;
      open?.();
    },
    sink: async (batch: RawLine[]) => {
      calls++;
      if (gate) await gate;
      lines.push(...batch);
    },
  };
}

export async function until(cond: () => boolean | Promise<boolean>, what: string, timeoutMs = 10_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!(await cond())) {
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 10));
  }
}

/** A self-signed certificate valid for 127.0.0.1 and localhost: { dir, cert, key } (PEM paths). */
export function selfSigned(cn = 'localhost'): { dir: string; cert: string; key: string } {
  const dir = mkdtempSync(join(tmpdir(), 'smf-tls-'));
  const cert = join(dir, 'cert.pem');
  const key = join(dir, 'key.pem');
  execFileSync('openssl', ['req', '-x509', '-newkey', 'rsa:2048', '-nodes', '-days', '2', '-subj', `/CN=${cn}`, '-addext', 'subjectAltName=IP:127.0.0.1,DNS:localhost', '-keyout', key, '-out', cert], { stdio: 'ignore' });
  return { dir, cert, key };
}
