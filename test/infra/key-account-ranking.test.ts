import { describe, expect, it } from 'vitest';
import { actionsOf, environmentOf, statementsOfFunction, synthKeybill } from './synth.ts';

const { template } = synthKeybill();

describe('key-account ranking', () => {
  it('lets rank-accounts write its report under reports/ only', () => {
    const s3 = statementsOfFunction(template, 'rank-accounts').filter((s) =>
      actionsOf([s]).some((a) => a.startsWith('s3:')),
    );
    expect(s3.map((s) => [s.Action, JSON.stringify(s.Resource).match(/\/(\w+)\/\*/)?.[1]])).toEqual([
      ['s3:PutObject', 'reports'],
    ]);
    expect(environmentOf(template, 'rank-accounts').REPORT_PREFIX).toBe('reports/');
  });

  it("lets rank-accounts queue the managers' digests on the notices queue", () => {
    const noticeQueue = environmentOf(template, 'rank-accounts').NOTICE_QUEUE_URL as { Ref: string };
    const send = statementsOfFunction(template, 'rank-accounts').filter((s) =>
      actionsOf([s]).includes('sqs:SendMessage'),
    );
    expect(JSON.stringify(send.map((s) => s.Resource))).toContain(`"${noticeQueue.Ref}"`);
  });
});
