// The meanings a source field can carry (domain.md §3). Alias maps (aliases.ts) name, per profile,
// which source fields carry each meaning; user configuration extends them by these same names, so
// the list is part of the public configuration surface: add names, never rename them.
//
// Readers use constant property names (`found.user`), never a lookup by a variable name: that
// costs ~30 ns in V8 and a record is read ~50 times, at hundreds of thousands of records a second.

export type FieldValue = string | number | boolean;
type V = FieldValue | undefined;

export const MEANINGS = [
  // identity
  'user', 'user_full_name', 'target_user', 'group', 'racf_group',
  // job
  'job_name', 'job_id', 'program', 'step',
  // network
  'source_ip', 'source_port', 'source_host', 'destination_ip', 'destination_port',
  // where
  'system', 'lpar', 'sysplex', 'terminal', 'observer_hostname',
  // what was touched
  'dsn', 'dsn_member', 'volser', 'resource', 'resource_class', 'access',
  // RACF
  'racf_event_code', 'racf_event_qualifier', 'racf_profile', 'allowed_access',
  // subsystems
  'cics_transaction', 'cics_file', 'cics_applid',
  'db2_ssid', 'db2_ifcid', 'db2_auth_id', 'db2_grantor', 'db2_grantee', 'db2_dbid', 'db2_table',
  'mq_qmgr', 'mq_queue', 'mq_channel',
  'ims_id', 'ims_db_name', 'ims_transaction',
  'vtam_applid', 'console_command', 'console_name', 'icsf_service',
  // record identity
  'smf_type', 'smf_subtype', 'stream', 'event_code', 'action', 'outcome', 'severity', 'message',
  // time
  'timestamp', 'date', 'time',
] as const;

export type Meaning = (typeof MEANINGS)[number];

/** What one record carries, by meaning; undefined when absent. */
export type Found = Readonly<Record<Meaning, V>>;

/**
 * The runtime shape behind Found: values in an array by ordinal (cheap to fill), read through
 * getters defined once on the prototype (`found.user` is a monomorphic accessor V8 inlines).
 */
class FoundValues {
  constructor(readonly values: V[]) {}
}
MEANINGS.forEach((meaning, i) => {
  Object.defineProperty(FoundValues.prototype, meaning, {
    get(this: FoundValues): V {
      return this.values[i];
    },
  });
});

/** Wrap values indexed by ordinal as a Found. */
export function foundOf(values: V[]): Found {
  return new FoundValues(values) as unknown as Found;
}

const ORDINALS: ReadonlyMap<string, number> = new Map(MEANINGS.map((m, i) => [m, i]));

/** Position of a meaning in MEANINGS; -1 when unknown. */
export function ordinalOf(name: string): number {
  return ORDINALS.get(name) ?? -1;
}

export function isMeaning(name: string): name is Meaning {
  return ORDINALS.has(name);
}

/** A value as text: numbers in decimal; booleans are not text. */
export function text(value: V): string | undefined {
  if (typeof value === 'string') return value;
  if (typeof value === 'number') return String(value);
  return undefined;
}
