// Profile auto-detection: which vendor's alias map fits a record, from its shape alone.
//
// Checked in this order, first match wins (cheap tests first, no per-event allocation):
// 1. a LEEF/CEF header vendor: IBM → zsecure (zSecure is IBM's LEEF producer for z/OS), BMC → bmc;
// 2. an RFC 5424 envelope with a zSecure Alert MSGID or SD-ID (`C2P…`) → zsecure;
// 3. an RFC 3164 tag naming the record source as BMC AMI Datastream/Defender does (`SMF80`,
//    `SMF119_20` with the subtype, `Console`, `JOBLOG`, `OPERLOG`, `IMS`, `SessMon`), or the
//    tagged `Tag: value` payload format → bmc;
// 4. JSON with EasySMF's top-level `recordType` and `smfDateTime` → easysmf;
// 5. CSV with IBM SMF column names (`SMF30JBN`, `SMFID`) or a `DATASTREAM` column → cdp;
// 6. otherwise generic, the union of all alias maps.

import type { ParsedRecord } from '../schema/record.js';
import type { ConcreteProfile } from './aliases.js';

const IBM = /\bibm\b/i;
const BMC = /\bbmc\b/i;
const ZSECURE_ALERT = /^C2P/;
const BMC_TAG = /^(?:smf\d{1,3}(?:_\d{1,5})?|console|joblog|operlog|ims|sessmon)$/i;
const CDP_COLUMN = /^(?:smf\d{2,3}[a-z_]|smfid$|datastream$)/i;

export function detectProfile(record: ParsedRecord): ConcreteProfile {
  const vendor = record.header?.vendor;
  if (vendor !== undefined && (record.format === 'leef' || record.format === 'cef')) {
    if (BMC.test(vendor)) return 'bmc';
    if (record.format === 'leef' && IBM.test(vendor)) return 'zsecure';
  }
  const envelope = record.envelope;
  if (envelope !== undefined) {
    if (envelope.kind === 'rfc5424') {
      if (envelope.msgId !== undefined && ZSECURE_ALERT.test(envelope.msgId)) return 'zsecure';
      const sd = envelope.structuredData;
      if (sd !== undefined) {
        for (const id in sd) if (ZSECURE_ALERT.test(id)) return 'zsecure';
      }
    } else if (envelope.appName !== undefined && BMC_TAG.test(envelope.appName)) {
      return 'bmc';
    }
  }
  switch (record.format) {
    case 'tagged':
      return 'bmc';
    case 'json':
      return Object.hasOwn(record.fields, 'recordType') && Object.hasOwn(record.fields, 'smfDateTime') ? 'easysmf' : 'generic';
    case 'csv':
      for (const key in record.fields) if (CDP_COLUMN.test(key)) return 'cdp';
      return 'generic';
    default:
      return 'generic';
  }
}
