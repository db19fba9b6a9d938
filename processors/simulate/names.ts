// Static vocabulary of the simulated installation: surnames for user ids, departments and their data
// sets, CICS / Db2 / MQ / IMS / ICSF names, console commands. Data set names are chosen so that the
// shipped lists in config/lists/ (pii.txt, sensitive.txt, honeypot.txt) match some of them: the
// PII, sensitive and honeypot associations then have something to find.

export const ROLES = ['developer', 'clerk', 'analyst', 'operator', 'sysprog', 'secadmin'] as const;
export type Role = (typeof ROLES)[number];

/** Share of each role in a population (the first six users take one role each, in ROLES order). */
export const ROLE_SHARE: Readonly<Record<Role, number>> = {
  developer: 0.32,
  clerk: 0.33,
  analyst: 0.15,
  operator: 0.08,
  sysprog: 0.07,
  secadmin: 0.05,
};

export const SURNAMES = [
  'SMITH', 'JONES', 'MILLER', 'DAVIS', 'GARCIA', 'WILSON', 'MOORE', 'TAYLOR', 'THOMAS', 'WHITE',
  'HARRIS', 'MARTIN', 'THOMPSN', 'CLARK', 'LEWIS', 'LEE', 'WALKER', 'HALL', 'ALLEN', 'YOUNG',
  'KING', 'WRIGHT', 'LOPEZ', 'HILL', 'SCOTT', 'GREEN', 'ADAMS', 'BAKER', 'NELSON', 'CARTER',
  'MITCHEL', 'PEREZ', 'ROBERTS', 'TURNER', 'PHILLIP', 'CAMPBEL', 'PARKER', 'EVANS', 'EDWARDS', 'COLLINS',
  'STEWART', 'MORRIS', 'ROGERS', 'REED', 'COOK', 'MORGAN', 'BELL', 'MURPHY', 'BAILEY', 'RIVERA',
  'COOPER', 'RICHARD', 'COX', 'HOWARD', 'WARD', 'TORRES', 'PETERSN', 'GRAY', 'RAMIREZ', 'JAMES',
  'WATSON', 'BROOKS', 'KELLY', 'SANDERS', 'PRICE', 'BENNETT', 'WOOD', 'BARNES', 'ROSS', 'HENDERS',
  'MUELLER', 'SCHMIDT', 'FISCHER', 'WEBER', 'MEYER', 'WAGNER', 'BECKER', 'SCHULZ', 'HOFFMAN', 'KOCH',
  'RICHTER', 'KLEIN', 'WOLF', 'NEUMANN', 'BRAUN', 'ZIMMER', 'KRUEGER', 'HARTMAN', 'LANGE', 'WERNER',
  'DUBOIS', 'MOREAU', 'LAURENT', 'SIMON', 'MICHEL', 'LEFEBVR', 'ROUX', 'FOURNIE', 'ROSSI', 'RUSSO',
  'FERRARI', 'ESPOSIT', 'BIANCHI', 'ROMANO', 'COLOMBO', 'NOWAK', 'KOWALSK', 'JANSEN', 'DEVRIES', 'BAKKER',
];

/** Low-level qualifiers of a user's own data sets (prefixed with the user id). */
export const OWN_LLQS = [
  'JCL.CNTL', 'COBOL.SRC', 'COBOL.LOAD', 'REXX.EXEC', 'CLIST', 'TEST.DATA', 'SPUFI.IN', 'SPUFI.OUT',
  'LIST', 'OUTLIST', 'SORT.OUT', 'PLI.SRC', 'ASM.SRC', 'COPYLIB', 'PROCLIB', 'DATA.CSV', 'REPORT.TXT',
  'BACKUP', 'XMIT.OUT', 'SDSF.LOG',
];

/** Roughly config/lists/pii.txt and sensitive.txt: reads of these are audited by RACF (SMF 80 event 2). */
const AUDITED = [
  /^PAYROLL\./,
  /^HR\.EMPLOYEE\./,
  /^HR\.[^.]+\.PERSONNL$/,
  /^CUST\.MASTER\.[^.]+$/,
  /^CUST\.[^.]+\.ADDRESS$/,
  /^PROD\.CARDHLDR\./,
  /^SYS1\.(?:RACF|PARMLIB$|PROCLIB$|LINKLIB$|LPALIB$|SECURITY\.)/,
  /^SYS.\.SMF\./,
];

export function isAudited(dsn: string): boolean {
  return AUDITED.some((re) => re.test(dsn));
}

export interface DataSet {
  readonly name: string;
  /** Matches the PII or sensitive patterns: RACF audits every access (an SMF 80 record with the user). */
  readonly audited: boolean;
  /** Members read from it (sensitive libraries); RACF records then carry one. */
  readonly members?: readonly string[];
}

export interface Department {
  readonly group: string;
  readonly datasets: readonly DataSet[];
}

/** A data set of the vocabulary; `audited` follows from its name. */
export const ds = (name: string, members?: readonly string[]): DataSet =>
  members ? { name, audited: isAudited(name), members } : { name, audited: isAudited(name) };
const PARMLIB = ds('SYS1.PARMLIB', ['IEASYS00', 'PROGA0', 'BPXPRM00', 'LOADA0', 'SMFPRM00', 'IKJTSO00', 'COMMND00']);
const PROCLIB = ds('SYS1.PROCLIB', ['JES2', 'TCPIP', 'CICSPRD', 'DB2PMSTR', 'TN3270']);

export const DEPARTMENTS: Readonly<Record<Role, readonly Department[]>> = {
  developer: [
    { group: 'PAYDEV', datasets: [ds('PAYROLL.EMP.MASTER'), ds('TEST.PAY.DATA'), ds('TEST.PAY.LOADLIB'), ds('PROD.PAY.COPYLIB'), ds('PAYDEV.SHARED.JCL'), ds('PAYROLL.RATES.TABLE')] },
    { group: 'GLDEV', datasets: [ds('FIN.GL.LEDGER'), ds('FIN.GL.JOURNAL'), ds('TEST.GL.DATA'), ds('PROD.GL.COPYLIB'), ds('GLDEV.SHARED.JCL')] },
    { group: 'CUSTDEV', datasets: [ds('CUST.MASTER.FILE'), ds('TEST.CUS.DATA'), ds('PROD.CUS.COPYLIB'), ds('CUSTDEV.SHARED.JCL'), ds('CUST.EU.ADDRESS')] },
    { group: 'ORDDEV', datasets: [ds('ORDER.HIST.DATA'), ds('ORDER.OPEN.DATA'), ds('TEST.ORD.DATA'), ds('PROD.ORD.COPYLIB'), ds('ORDDEV.SHARED.JCL')] },
  ],
  analyst: [
    { group: 'FINANL', datasets: [ds('FIN.GL.LEDGER'), ds('FIN.BUDGET.Y2025'), ds('FIN.REPORTS.MONTHLY'), ds('PAYROLL.SUMMARY.Y2025'), ds('FIN.FORECAST.DATA')] },
    { group: 'HRANL', datasets: [ds('HR.EMPLOYEE.MASTER'), ds('HR.EMPLOYEE.REVIEWS'), ds('HR.ORG.CHART'), ds('HR.DEPT1.PERSONNL'), ds('HR.TRAINING.DATA')] },
    { group: 'MKTANL', datasets: [ds('CUST.MASTER.FILE'), ds('CUST.US.ADDRESS'), ds('MKT.CAMPAIGN.DATA'), ds('MKT.SEGMENTS'), ds('MKT.REPORTS.WEEKLY')] },
  ],
  clerk: [{ group: 'BRANCH', datasets: [ds('BRANCH.FORMS.LIB'), ds('BRANCH.DAILY.REPORT')] }],
  operator: [{ group: 'OPER', datasets: [PROCLIB, ds('OPS.AUTO.RULES'), ds('OPS.SHIFT.LOG'), ds('SYS2.OPS.CLIST'), ds('OPS.RUNBOOK.TEXT')] }],
  sysprog: [
    {
      group: 'SYSPROG',
      datasets: [PARMLIB, PROCLIB, ds('SYS1.LINKLIB'), ds('SYS2.PARMLIB'), ds('SMPE.GLOBAL.CSI'), ds('SYS1.SMF.WEEKLY'), ds('SYSPROG.USERMODS.JCL')],
    },
  ],
  secadmin: [
    { group: 'SECADM', datasets: [ds('SYS1.RACFPRIM'), ds('SECADM.RACF.REPORTS'), ds('SECADM.CKGRACF.OUT'), ds('SECADM.AUDIT.UNLOAD'), ds('SYS1.SECURITY.POLICY')] },
  ],
};

/** On config/lists/honeypot.txt; never in any habit or sweep pool. */
export const DEFAULT_HONEYPOT = 'SECADM.PASSWORD.LIST';

/** Production applications run by BATCHPRD: prefix of job names and PROD.<app>.* data sets. */
export const PROD_APPS = ['PAY', 'GL', 'INV', 'BIL', 'CLM', 'ORD', 'CUS', 'ACT', 'CARDHLDR'];
export const PROD_LLQS = ['MASTER', 'TRANS', 'EXTRACT', 'REPORT', 'BACKUP', 'INDEX', 'HISTORY', 'PARMS', 'SORTWK', 'AUDIT'];
export const PROD_PROGRAMS = ['IEBGENER', 'SORT', 'IDCAMS', 'IKJEFT01', 'DFSRRC00', 'ADRDSSU', 'PAYCALC', 'GLPOST', 'BILRUN'];

export const CICS_TRANSACTIONS = ['PAY1', 'PAY2', 'INQ1', 'CUS1', 'CUS2', 'ORD1', 'ORD2', 'BAL1', 'ACT1', 'GLI1', 'HRI1', 'RPT1', 'MENU', 'PRT1'];
export const CICS_FILES = ['CUSTMAS', 'ORDFILE', 'PAYMAST', 'ACCTFIL', 'GLFILE', 'HRFILE', 'PRODCAT', 'RATETAB'];
export const CICS_BACKGROUND = ['CKTI', 'CSMI', 'CSKP', 'CPLT', 'CSNE'];

export const DB2_DBIDS = ['260', '261', '274', '288', '301', '302', '315', '333', '347', '360', '388', '412'];
export const DB2_TABLES = ['PAY.EMPLOYEE', 'PAY.RATES', 'GL.ACCOUNT', 'GL.POSTING', 'CUS.CUSTOMER', 'CUS.ADDRESS', 'ORD.ORDER', 'ORD.LINE', 'HR.PERSON', 'MKT.CAMPAIGN'];
export const DB2_GRANTORS = ['DBADM1', 'DBADM2', 'SYSADM'];

export const MQ_QUEUES = ['PAY.REQUEST', 'PAY.REPLY', 'ORDER.IN', 'ORDER.OUT', 'GL.POSTING', 'CUST.UPDATE', 'HR.FEED', 'AUDIT.EVENTS'];
export const IMS_DBS = ['PARTDB', 'CUSTDB', 'ORDDB', 'INVDB'];
export const IMS_TRANS = ['PARTINQ', 'ORDENTRY', 'CUSTUPD', 'INVQRY'];
export const ICSF_SERVICES = ['CSNBENC', 'CSNBDEC', 'CSNBKGN', 'CSNDDSG', 'CSNDPKE', 'CSNBHMG'];

/** Operator and sysprog commands; `{job}`, `{user}` and `{region}` are filled per use. Some hold "=", "," and quotes. */
export const CONSOLE_COMMANDS = [
  'D A,L', 'D J,{job}', '$DJQ,JM={user}*', 'D IPLINFO', 'D M=CPU', 'D SMF', 'F {region},CEMT I TAS',
  'F {region},CEMT SET TRAN(PAY1) STATUS=DIS', 'P {job}', '$PJ{n}', 'C U={user}', 'D OMVS,A=ALL',
  "SE 'BACKUP AT 22:00 \"TONIGHT\"',ALL", 'D GRS,C', 'D TCPIP,,N,CONN',
];
export const AUTOMATION_COMMANDS = ['D A,L', 'D SMF', '$DJQ,Q=HOLD', 'F {region},CEMT I TAS', 'D OMVS,A=ALL', 'I SMF', 'D ASM'];

/** RACF command events (SMF80EVT) with a command template. */
export const RACF_COMMANDS: readonly (readonly [number, string])[] = [
  [13, 'ALTUSER {user} RESUME'],
  [19, "PERMIT '{dsn}' ID({user},{group}) ACCESS(READ)"],
  [14, 'CONNECT {user} GROUP({group})'],
  [13, 'ALTUSER {user} NOSPECIAL'],
  [18, 'PASSWORD USER({user}) NOINTERVAL'],
];
