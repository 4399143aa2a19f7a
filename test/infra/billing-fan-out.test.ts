import { describe, expect, it } from 'vitest';
import { actionsOf, statementsOfFunction, synthKeybill } from './synth.ts';

const { template } = synthKeybill();

describe('bill-chunk', () => {
  it('reads and writes reject reports only, and sends no messages to customers', () => {
    const statements = statementsOfFunction(template, 'bill-chunk');
    const s3 = statements.filter((s) => actionsOf([s]).some((a) => a.startsWith('s3:')));
    expect(actionsOf(s3).sort()).toEqual(['s3:GetObject', 's3:PutObject']);
    for (const statement of s3) expect(JSON.stringify(statement.Resource)).toMatch(/\/rejects\/\*"/);
    expect(actionsOf(statements).filter((a) => a.startsWith('ses:') || a.startsWith('sns:'))).toEqual([]);
  });
});
