/* Well-formed operator events, and broken, oversized and hostile variants of each command's fields. */

export const MB = 'x'.repeat(1 << 20);
export const runDrop = { command: 'run-drop', bucket: 'keybill-drops', key: 'drops/reads/2026-10.csv' };
export const override = {
  kind: 'key-status',
  accountId: '3100012345',
  status: 'always',
  reason: 'strategic',
  setOn: '2026-11-01',
  expiresOn: '2027-10-31',
};
export const approve = { command: 'approve-disconnection', accountId: '3100012345', by: '王经理' };
export const defer = {
  ...approve,
  command: 'defer-disconnection',
  newDate: '2026-12-01',
  reason: 'plant restart',
};
export const exempt = { ...approve, command: 'exempt-disconnection', reason: 'hospital supply' };

/** Broken, oversized and hostile values for every command, and the field each answer must name. */
export const HOSTILE: [string, Record<string, unknown>, string][] = [
  ['a 1 MB key', { ...runDrop, key: `drops/reads/${MB}` }, 'key'],
  ['a key of 1,025 bytes', { ...runDrop, key: `drops/reads/${'a'.repeat(1025 - 12)}` }, 'key'],
  ['a key of 1,025 bytes in 343 characters', { ...runDrop, key: `drops/reads/${'电'.repeat(338)}a` }, 'key'],
  ['a key climbing out with ../', { ...runDrop, key: 'drops/reads/../../rejects/x.csv' }, 'key'],
  ['a key that is ../ alone', { ...runDrop, key: '../etc/passwd' }, 'key'],
  ['a key with a . segment', { ...runDrop, key: 'drops/reads/./2026-10.csv' }, 'key'],
  ['a key with a leading /', { ...runDrop, key: '/drops/reads/2026-10.csv' }, 'key'],
  ['a key with //', { ...runDrop, key: 'drops/reads//2026-10.csv' }, 'key'],
  ['a key that is a prefix', { ...runDrop, key: 'drops/reads/' }, 'key'],
  ['a key outside the drops', { ...runDrop, key: 'reports/key-accounts.csv' }, 'key'],
  ['a key under another prefix', { ...runDrop, key: 'drops/other/x.csv' }, 'key'],
  ['a key with a NUL', { ...runDrop, key: 'drops/reads/a\u0000.csv' }, 'key'],
  ['a key with a newline', { ...runDrop, key: 'drops/reads/a\n{"level":"ERROR"}.csv' }, 'key'],
  ['a key that is a number', { ...runDrop, key: 42 }, 'key'],
  ['an empty key', { ...runDrop, key: '' }, 'key'],
  ['a 1 MB bucket', { ...runDrop, bucket: MB }, 'bucket'],
  ['a bucket with a path', { ...runDrop, bucket: 'keybill-drops/../other' }, 'bucket'],
  ['a bucket in capitals', { ...runDrop, bucket: 'KEYBILL' }, 'bucket'],
  ['a bucket of two characters', { ...runDrop, bucket: 'ab' }, 'bucket'],
  ['a bucket that is null', { ...runDrop, bucket: null }, 'bucket'],
  ['a 1 MB run id', { command: 'get-run', runId: MB }, 'runId'],
  ['a run id of 257 bytes', { command: 'get-run', runId: 'é'.repeat(128) + 'x' }, 'runId'],
  ['a run id with a newline', { command: 'get-run', runId: 'meter-reads#1\n2' }, 'runId'],
  ['a run id that is an object', { command: 'get-run', runId: { $ne: '' } }, 'runId'],
  ['a 1 MB period', { command: 'list-runs', period: MB }, 'period'],
  ['an unknown status', { command: 'list-runs', status: 'DONE' }, 'status'],
  ['a 1 MB account id', { command: 'show-bill', accountId: MB, period: '2026-10' }, 'accountId'],
  [
    'an account id with a path',
    { command: 'show-bill', accountId: '../3100012345', period: '2026-10' },
    'accountId',
  ],
  ['version 0', { command: 'show-bill', accountId: '3100012345', period: '2026-10', version: 0 }, 'version'],
  [
    'version 1.5',
    { command: 'show-bill', accountId: '3100012345', period: '2026-10', version: 1.5 },
    'version',
  ],
  [
    'version 1e300',
    { command: 'show-bill', accountId: '3100012345', period: '2026-10', version: 1e300 },
    'version',
  ],
  [
    'a version as text',
    { command: 'show-bill', accountId: '3100012345', period: '2026-10', version: '2' },
    'version',
  ],
  ['an account id with spaces', { command: 'list-notices', accountId: ' 3100012345' }, 'accountId'],
  ['release-deferred with a field', { command: 'release-deferred', all: true }, ''],
  [
    'a 1 MB override reason',
    { command: 'set-key-override', override: { ...override, reason: MB } },
    'override.reason',
  ],
  [
    'a blank override reason',
    { command: 'set-key-override', override: { ...override, reason: '   ' } },
    'override.reason',
  ],
  ['a 1 MB setBy', { command: 'set-key-override', override: { ...override, setBy: MB } }, 'override.setBy'],
  [
    'a 1 MB manager id',
    { command: 'set-key-override', override: { ...override, kind: 'account-manager', managerId: MB } },
    'override.managerId',
  ],
  [
    'a coefficient of a million digits',
    {
      command: 'set-key-override',
      override: { ...override, kind: 'score-correction', coefficient: '9'.repeat(1e6) },
    },
    'override.coefficient',
  ],
  [
    'a 1 MB override account id',
    { command: 'set-key-override', override: { ...override, accountId: MB } },
    'override.accountId',
  ],
  [
    'an override with a control character',
    { command: 'set-key-override', override: { ...override, reason: 'a\u0007' } },
    'override.reason',
  ],
  ['a 1 MB approver', { ...approve, by: MB }, 'by'],
  ['an approver of 101 characters', { ...approve, by: 'w'.repeat(101) }, 'by'],
  ['a blank approver', { ...approve, by: ' ' }, 'by'],
  ['a 1 MB note', { ...approve, note: MB }, 'note'],
  ['a note of 501 characters', { ...approve, note: 'n'.repeat(501) }, 'note'],
  ['a 1 MB plan id', { ...approve, planId: MB }, 'planId'],
  ['a 1 MB account id to approve', { ...approve, accountId: MB }, 'accountId'],
  ['a 1 MB deferral reason', { ...defer, reason: MB }, 'reason'],
  ['a deferral to a timestamp', { ...defer, newDate: '2026-12-01T00:00:00Z' }, 'newDate'],
  ['a deferral by a name with a NUL', { ...defer, by: 'wang\u0000' }, 'by'],
  ['a 1 MB exemption reason', { ...exempt, reason: MB }, 'reason'],
  ['an exemption reason of 501 characters', { ...exempt, reason: '医'.repeat(501) }, 'reason'],
  ['an exemption until tomorrow', { ...exempt, until: 'tomorrow' }, 'until'],
  ['an exemption with a 1 MB field name', { ...exempt, [MB]: 1 }, ''],
  ['a dry run given as text', { ...runDrop, dryRun: 'true' }, 'dryRun'],
  ['a dry run given as 1', { ...runDrop, dryRun: 1 }, 'dryRun'],
  ['check-drops with a field', { command: 'check-drops', period: '2026-10' }, ''],
];
