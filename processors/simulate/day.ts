// One simulated day under construction: generators add records at local wall-clock times; the
// builder stamps UTC and the zone offset, copies the session's ground truth, drops record types the
// options exclude, and finally orders everything by time.
//
// Every record of a day lies inside that local day (generators clamp to [00:00, 24:00)), so days can
// be generated, sorted and emitted one at a time: memory stays at one day of records.

import { DAY_MS, HOUR_MS, type SimDay } from './calendar.js';
import { Rng } from './random.js';
import { KIND_SMF, SimRecord, type RecordKind } from './records.js';
import type { SystemInfo, World } from './population.js';

/** Who and where a run of records belongs to; its user/ip/lu become the records' ground truth. */
export interface Session {
  readonly user: string;
  readonly system: SystemInfo;
  readonly job?: string;
  readonly jobId?: string;
  readonly lu?: string;
  readonly ip?: string;
  readonly incident?: string;
}

/** State that carries from day to day within one run (JES job numbers). */
export class RunState {
  private readonly jobNumbers = new Map<string, number>();

  constructor(private readonly seed: number) {}

  /** Next JES job id on a system: TSU01234, JOB01235, STC01236 (one counter per system, wrapping). */
  jobId(system: string, prefix: 'TSU' | 'JOB' | 'STC'): string {
    let n = this.jobNumbers.get(system);
    if (n === undefined) n = Rng.from(this.seed, 'jes', system).range(1000, 60000);
    n = n >= 99999 ? 1 : n + 1;
    this.jobNumbers.set(system, n);
    return `${prefix}${String(n).padStart(5, '0')}`;
  }
}

/** Sort key layout: (ms since the day's UTC start) · 2^23 + record index, exact in a double. */
const INDEX_SPAN = 2 ** 23;

export class DayBuilder {
  readonly records: SimRecord[] = [];
  /** Job id of each system's CICS region today (restarted every morning). */
  readonly regionJobIds = new Map<string, string>();
  private readonly discard = new SimRecord('sessmon', {});

  constructor(
    readonly day: SimDay,
    readonly world: World,
    readonly state: RunState,
    readonly rng: Rng,
    private readonly types: ReadonlySet<number> | undefined,
  ) {
    for (const s of world.systems) this.regionJobIds.set(s.id, this.jobId(s, 'STC'));
  }

  /**
   * A new record of `kind` at `wallOfDay` ms after local midnight (clamped into the day), on the
   * session's system, with the session's truth. When the options exclude the kind, a throw-away
   * record is returned so that callers need not check.
   */
  add(kind: RecordKind, wallOfDay: number, s: Session): SimRecord {
    if (this.types !== undefined) {
      const type = KIND_SMF[kind].type;
      if (type === undefined || !this.types.has(type)) return this.discard;
    }
    let t = wallOfDay < 0 ? 0 : wallOfDay >= DAY_MS ? DAY_MS - 1 : Math.floor(wallOfDay);
    const gap = this.day.gaps[Math.floor(t / HOUR_MS)] ?? 0;
    if (gap !== 0) t = Math.min(DAY_MS - 1, t + gap); // a wall time that does not exist today
    const offset = this.day.offsets[Math.floor(t / HOUR_MS)] ?? 0;
    const r = new SimRecord(kind, s);
    r.wallMs = this.day.wallStart + t;
    r.offsetMin = offset;
    r.utcMs = r.wallMs - offset * 60_000;
    r.system = s.system.id;
    r.sysplex = this.world.sysplex;
    this.records.push(r);
    return r;
  }

  jobId(system: SystemInfo, prefix: 'TSU' | 'JOB' | 'STC'): string {
    return this.state.jobId(system.id, prefix);
  }

  /** The day's records in time order (ties keep insertion order). */
  ordered(): SimRecord[] {
    const n = this.records.length;
    if (n >= INDEX_SPAN) return [...this.records].sort((a, b) => a.utcMs - b.utcMs);
    const keys = new Float64Array(n);
    const base = this.day.utcStart;
    for (let i = 0; i < n; i++) keys[i] = Math.max(0, (this.records[i] as SimRecord).utcMs - base) * INDEX_SPAN + i;
    keys.sort();
    const out = new Array<SimRecord>(n);
    for (let i = 0; i < n; i++) out[i] = this.records[(keys[i] as number) % INDEX_SPAN] as SimRecord;
    return out;
  }
}

/** Uniform wall time in [from, to) hours. */
export function between(rng: Rng, fromHour: number, toHour: number): number {
  return (fromHour + rng.next() * (toHour - fromHour)) * HOUR_MS;
}

/** Service-account load over the day: two thirds in working hours, the rest around the clock. */
export function diurnal(rng: Rng): number {
  return rng.chance(0.65) ? between(rng, 8, 18) : between(rng, 0, 24);
}
