// Throughput measurement for the parse stage (not a test: ava only runs *.test.ts).
//   npx tsx test/processors/parse/throughput.ts [seconds-per-run]
// For each sample stream: warm up, then 5 timed runs over a batch of realistic lines; prints the
// median lines/s of one core. Numbers from a shared machine are indicative only.

import { createParser, type ParseFormat } from '../../../processors/parse/index.js';

const prefix = '2025-03-03 09.04.05.12 S0815 ';
const samples: Array<{ name: string; format: ParseFormat; header?: string; lines: (i: number) => string }> = [
  {
    name: 'json (EasySMF nested)',
    format: 'auto',
    lines: (i) =>
      `{"recordType":30,"subType":5,"system":"SYSA","smfDateTime":"2025-03-03T09:04:${String(i % 60).padStart(2, '0')}.12","identificationSection":{"smf30jbn":"PAYROLL${i % 10}","smf30pgm":"IEFBR14","smf30stm":"STEP1","smf30rud":"IBMUSER","smf30jnm":"JOB${10000 + (i % 999)}","smf30tid":"TCP00042"},"performanceSection":{"smf30srv":${i},"smf30cpt":${i * 3}}}`,
  },
  {
    name: 'json (flat snake_case)',
    format: 'json',
    lines: (i) =>
      `{"smf_system_id":"SYSA","smf_type":"80","event_code":"1","job_name":"PAYROLL","user_id":"USER${i % 100}","remote_ip":"10.1.2.${i % 255}","port":"23","timestamp":"2025-03-03T09:04:05.123Z"}`,
  },
  {
    name: 'leef 1.0 (zSecure, 3164 header)',
    format: 'auto',
    lines: (i) =>
      `<13>Mar  3 09:04:05 MVS1 LEEF:1.0|IBM|z/OS|3.1.0|80-1|devTime=Mar 3 2025 9:04:05.123 +0100\tdevTimeFormat=MMM d yyyy H:mm:ss.SSS Z\tusrName=USER${i % 100}\tsrc=::FFFF:10.1.2.${i % 255}\tsysname=MVS1\tjob=${prefix}TSOAPPL \tdesc=Logon accepted, reason=ok\tres=SYS1.PARMLIB\tcat=RACF`,
  },
  {
    name: 'leef 2.0 (^ delimiter)',
    format: 'leef',
    lines: (i) => `LEEF:2.0|IBM|z/OS|3.1.0|119-12|^|src=10.1.2.${i % 255}^dst=10.0.0.1^srcPort=${1024 + i % 60000}^dstPort=23^usrName=IBMUSER^jobname=TN3270^lu=TCP00042`,
  },
  {
    name: 'cef (BMC, 3164 header)',
    format: 'auto',
    lines: (i) =>
      `<134>Mar  3 09:04:05 SYSA CEF:0|BMC|AMI Defender|7.1|80-1|RACF logon|5|rt=${1740989045123 + i} suser=USER${i % 100} src=10.1.2.${i % 255} shost=SYSA sproc=PAYROLL msg=Logon accepted for user cs1Label=Terminal cs1=TCP00042`,
  },
  {
    name: 'rfc5424 (zSecure Alert)',
    format: 'auto',
    lines: (i) =>
      `<116>1 2025-03-03T09:04:05.123+01:00 MVS1 zSecure - C2P0815 [C2P0815 whoUSERID="USER${i % 100}" whatJOBNAME="TSOAPPL" fromWhereSRCIP="10.1.2.${i % 255}" fromWhereTERMINAL="TCP00042" whereSYSTEM="MVS1"] User logged on`,
  },
  {
    name: 'rfc3164 key=value (BMC)',
    format: 'auto',
    lines: (i) => `<86>Mar  3 09:04:05 SYSA SMF80: User=USER${i % 100} Jobname=PAYROLL Terminal=TCP00042 Desc="Logon accepted" Resource=SYS1.PARMLIB Access=READ`,
  },
  {
    name: 'rfc3164 Tag: value (BMC)',
    format: 'auto',
    lines: (i) => `<86>Mar  3 09:04:05 SYSA SMF80: User: USER${i % 100} Jobname: TSOAPPL Terminal ID: TCP00042 Remote IP address: 10.1.2.${i % 255} Event: Logon`,
  },
  {
    name: 'csv (CDP SMF_030)',
    format: 'csv',
    header: 'SMF_TYPE,SYSTEM,JOBNAME,USERID,DSN,TERMINAL,REMOTE_IP,PROGRAM,STEP,JOBID',
    lines: (i) => `30,SYSA,PAYROLL,USER${i % 100},,TCP00042,10.1.2.${i % 255},IEFBR14,,JOB${10000 + (i % 999)}`,
  },
];

const seconds = Number(process.argv[2] ?? '0.5');
const BATCH = 1000;

for (const sample of samples) {
  const batch = Array.from({ length: BATCH }, (_, i) => sample.lines(i));
  const parser = createParser({ format: sample.format });
  if (sample.header) parser.parse(sample.header);
  const check = parser.parse(batch[0] as string);
  if (!check.ok || check.record === null) throw new Error(`${sample.name}: sample rejected: ${JSON.stringify(check)}`);

  const rates: number[] = [];
  for (let run = -1; run < 5; run++) {
    let lines = 0;
    const started = performance.now();
    const until = started + seconds * 1000;
    while (performance.now() < until) {
      for (const line of batch) parser.parse(line);
      lines += BATCH;
    }
    if (run >= 0) rates.push(lines / ((performance.now() - started) / 1000)); // run -1 warms up
  }
  rates.sort((a, b) => a - b);
  const median = rates[2] as number;
  console.log(`${sample.name.padEnd(34)} ${Math.round(median).toLocaleString('en-US').padStart(11)} lines/s`);
}
