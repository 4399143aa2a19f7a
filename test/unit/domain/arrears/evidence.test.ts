import { describe, expect, it } from 'vitest';
import { buildLedger, isWarningStillDue } from '../../../../shared/domain/arrears/index.ts';
import { ACCOUNT_ID, OCTOBER, payment } from './fixtures.ts';
import { scanDays } from './helpers.ts';

describe('a queued warning', () => {
  it('is no longer due once its bills are cleared', () => {
    const { warnings } = scanDays('2026-11-21', '2026-11-21');
    const paid = buildLedger({
      accountId: ACCOUNT_ID,
      bills: [OCTOBER],
      payments: [payment('128000.50', '2026-11-21T09:05:00+08:00')],
    });
    expect(isWarningStillDue(paid, warnings[0]!, '2026-11-21T09:01:00+08:00')).toBe(true);
    expect(isWarningStillDue(paid, warnings[0]!, '2026-11-21T09:06:00+08:00')).toBe(false);
  });
});
