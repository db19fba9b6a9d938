// ECS JSON logs through winston, always to stderr (stdout belongs to commands such as `parse`).
// Log calls pass plain fields; never pass config objects or errors' request options (secrets).

import { ecsFormat } from '@elastic/ecs-winston-format';
import winston from 'winston';

export type Logger = winston.Logger;

export function createLogger(opts: { level?: string; name?: string; pretty?: boolean } = {}): Logger {
  return winston.createLogger({
    level: opts.level ?? 'info',
    format: opts.pretty
      ? winston.format.combine(winston.format.timestamp(), winston.format.printf((i) => `${String(i.timestamp)} ${i.level} ${String(i.message)}`))
      : ecsFormat({ convertErr: true }),
    defaultMeta: { service: { name: opts.name ?? 'smf-agent' } },
    transports: [new winston.transports.Console({ stderrLevels: ['error', 'warn', 'info', 'http', 'verbose', 'debug', 'silly'] })],
  });
}

/** A logger that discards everything (unit tests, library use). */
export function silentLogger(): Logger {
  return winston.createLogger({ silent: true, transports: [new winston.transports.Console({ silent: true })] });
}
