// What the end-to-end benchmark reads about a child process from /proc (Linux): resident memory
// (VmRSS, and RssAnon: heap and native allocations, without mapped files such as the LMDB store)
// and CPU time. Also small waiting helpers shared by the shipper runners.

import { readFileSync } from 'node:fs';
import { createServer } from 'node:net';
import { setTimeout as sleep } from 'node:timers/promises';

const TICKS_PER_SECOND = 100; // USER_HZ on Linux

export interface RssSample {
  at: number; // ms since the sampler started
  rssMb: number;
  anonMb: number;
}

/** Resident memory of a process now, or undefined once it is gone. */
export function readRss(pid: number): { rssMb: number; anonMb: number } | undefined {
  try {
    const status = readFileSync(`/proc/${pid}/status`, 'utf8');
    const kb = (k: string) => Number(new RegExp(`^${k}:\\s+(\\d+) kB`, 'm').exec(status)?.[1] ?? 0);
    return { rssMb: round1(kb('VmRSS') / 1024), anonMb: round1(kb('RssAnon') / 1024) };
  } catch {
    return undefined;
  }
}

/** User + system CPU milliseconds a process has used so far (0 once it is gone). */
export function cpuMs(pid: number): number {
  try {
    // Fields after the command name (which may hold spaces) start at field 3; utime, stime are 14, 15.
    const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
    const f = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
    return ((Number(f[11]) + Number(f[12])) * 1000) / TICKS_PER_SECOND;
  } catch {
    return 0;
  }
}

/** Samples a process's resident memory every `everyMs` until stopped. */
export class RssSampler {
  readonly samples: RssSample[] = [];
  private timer: NodeJS.Timeout | undefined;
  private readonly t0 = performance.now();

  constructor(
    private readonly pid: number,
    everyMs = 200,
  ) {
    this.sample();
    this.timer = setInterval(() => this.sample(), everyMs);
  }

  sample(): void {
    const r = readRss(this.pid);
    if (r) this.samples.push({ at: performance.now() - this.t0, ...r });
  }

  /** Samples taken in [from, to) (ms since start; default: all). */
  window(from = 0, to = Infinity): RssSample[] {
    return this.samples.filter((s) => s.at >= from && s.at < to);
  }

  stop(): void {
    clearInterval(this.timer);
    this.timer = undefined;
  }

  elapsed(): number {
    return performance.now() - this.t0;
  }
}

export interface RssSummary {
  peakMb: number;
  medianMb: number;
  peakAnonMb: number;
  medianAnonMb: number;
  samples: number;
}

export function summarizeRss(samples: readonly RssSample[]): RssSummary | undefined {
  if (samples.length === 0) return undefined;
  return {
    peakMb: Math.max(...samples.map((s) => s.rssMb)),
    medianMb: median(samples.map((s) => s.rssMb)),
    peakAnonMb: Math.max(...samples.map((s) => s.anonMb)),
    medianAnonMb: median(samples.map((s) => s.anonMb)),
    samples: samples.length,
  };
}

/** A TCP port free right now on 127.0.0.1 (for the agent's monitoring endpoint). */
export async function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const srv = createServer();
    srv.once('error', reject);
    srv.listen(0, '127.0.0.1', () => {
      const port = (srv.address() as { port: number }).port;
      srv.close(() => resolve(port));
    });
  });
}

/** Polls `check` every `everyMs` until it returns a value other than undefined, or throws after `timeoutMs`. */
export async function pollUntil<T>(what: string, check: () => Promise<T | undefined> | T | undefined, timeoutMs: number, everyMs = 100): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const v = await check();
    if (v !== undefined) return v;
    if (Date.now() > deadline) throw new Error(`timed out after ${Math.round(timeoutMs / 1000)} s waiting for ${what}`);
    await sleep(everyMs);
  }
}

export const median = (xs: readonly number[]): number => {
  if (xs.length === 0) return NaN;
  const s = [...xs].sort((a, b) => a - b);
  const m = Math.floor(s.length / 2);
  return s.length % 2 ? s[m]! : (s[m - 1]! + s[m]!) / 2;
};
export const round1 = (x: number): number => Math.round(x * 10) / 10;
