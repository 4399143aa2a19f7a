import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { DEFAULT_KEY_ACCOUNT_CONFIG } from '#domain/key-accounts/config.ts';
import { rankKeyAccounts } from '#domain/key-accounts/rank.ts';
import { keyStatusFor } from '#domain/key-accounts/selection.ts';
import { mayRetractNotice, planPreviewService } from '#domain/key-accounts/service-plan.ts';
import type { NoticeStatus } from '#domain/notices.ts';
import { account, history, selectionRecord } from './fixtures.ts';

const config = DEFAULT_KEY_ACCOUNT_CONFIG;

const OCTOBER = selectionRecord('2026-10-01', ['A1', 'A2']);
const NOVEMBER = selectionRecord('2026-11-01', ['A2']);

describe('a change of key status and notices already planned', () => {
  const bill = { period: '2026-10', dueDate: '2026-11-20' };

  it('plans a preview from the key status and segment in effect on the planning day', () => {
    const plan = planPreviewService({
      accountId: 'A1',
      bill,
      plannedOn: '2026-10-28',
      selections: [OCTOBER],
      config,
    });
    expect(plan).toMatchObject({
      isKey: true,
      selectionEffectiveFrom: '2026-10-01',
      segmentId: 'power-factor-risk',
      leadAdvice: 'raise-power-factor',
      channels: ['email', 'sms'],
      sendOn: '2026-11-10',
    });
  });

  it('gives the same plan for a notice planned before the change, whatever selections came after', () => {
    const before = planPreviewService({
      accountId: 'A1',
      bill,
      plannedOn: '2026-10-28',
      selections: [OCTOBER],
      config,
    });
    const after = planPreviewService({
      accountId: 'A1',
      bill,
      plannedOn: '2026-10-28',
      selections: [OCTOBER, NOVEMBER],
      config,
    });
    expect(after).toEqual(before);
  });

  it('holds for any later selection (property)', () => {
    const later = fc.record({
      day: fc.integer({ min: 1, max: 400 }),
      keyIds: fc.subarray(['A1', 'A2', 'A3']),
    });
    fc.assert(
      fc.property(fc.array(later, { maxLength: 5 }), (laterSelections) => {
        const selections = [
          OCTOBER,
          ...laterSelections.map(({ day, keyIds }) =>
            selectionRecord(new Date(Date.UTC(2026, 9, 28 + day)).toISOString().slice(0, 10), keyIds),
          ),
        ];
        const plan = planPreviewService({
          accountId: 'A1',
          bill,
          plannedOn: '2026-10-28',
          selections,
          config,
        });
        expect(plan.isKey).toBe(true);
        expect(plan.channels).toEqual(['email', 'sms']);
      }),
      { numRuns: 50 },
    );
  });

  it('plans a notice from the day the change applies on with the new status', () => {
    const plan = planPreviewService({
      accountId: 'A1',
      bill: { period: '2026-11', dueDate: '2026-12-20' },
      plannedOn: '2026-11-25',
      selections: [OCTOBER, NOVEMBER],
      config,
    });
    expect(plan).toMatchObject({
      isKey: false,
      segmentId: null,
      leadAdvice: null,
      channels: ['email'],
      sendOn: '2026-12-15',
    });
  });

  it('sends at once when the send day has already passed at planning', () => {
    const plan = planPreviewService({
      accountId: 'A1',
      bill,
      plannedOn: '2026-11-15',
      selections: [OCTOBER],
      config,
    });
    expect(plan.sendOn).toBe('2026-11-15');
  });

  it.each<NoticeStatus>([
    'QUEUED',
    'DEFERRED',
    'SENDING',
    'SENT',
    'DELIVERED',
    'BOUNCED',
    'COMPLAINED',
    'FAILED',
    'SUPPRESSED',
  ])('never retracts a %s notice when the account stops being key', (status) => {
    const change = {
      accountId: 'A1',
      change: 'no-longer-key' as const,
      effectiveFrom: '2026-11-01',
      reason: 'x',
    };
    expect(mayRetractNotice({ status }, change)).toBe(false);
  });

  it('connects through the monthly run: the stored selection changes later plans only', () => {
    const accounts = [account('A1'), account('A2'), account('A3')];
    const september = [
      ...history('A1', { kwh: 500_000 }, '2026-09'),
      ...history('A2', { kwh: 400_000 }, '2026-09'),
      ...history('A3', { kwh: 10_000 }, '2026-09'),
    ];
    const first = rankKeyAccounts({ accounts, bills: september, config, asOf: '2026-10-01' });
    const october = [
      ...history('A1', { kwh: 500_000 }),
      ...history('A2', { kwh: 400_000 }),
      ...history('A3', { kwh: 10_000 }),
    ];
    const second = rankKeyAccounts({
      accounts,
      bills: october,
      config,
      asOf: '2026-11-01',
      previous: first.selection,
      overrides: [
        {
          kind: 'key-status',
          accountId: 'A1',
          status: 'never',
          reason: '销户',
          setOn: '2026-10-20',
          expiresOn: '2027-12-31',
        },
      ],
    });
    expect(first.keyAccountIds).toContain('A1');
    expect(second.changes).toContainEqual(
      expect.objectContaining({ accountId: 'A1', change: 'no-longer-key' }),
    );
    const stored = [first.selection, second.selection];
    const planned = planPreviewService({
      accountId: 'A1',
      bill,
      plannedOn: '2026-10-25',
      selections: [first.selection],
      config,
    });
    expect(
      planPreviewService({ accountId: 'A1', bill, plannedOn: '2026-10-25', selections: stored, config }),
    ).toEqual(planned);
    expect(planned.isKey).toBe(true);
    expect(keyStatusFor('A1', '2026-11-01', stored)).toBe(false);
  });
});
