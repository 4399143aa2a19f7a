import { describe, expect, it } from 'vitest';
import {
  type Answer,
  addWorkingHours,
  answerKpis,
  checkAnswerForm,
  type FollowUp,
  needsFollowUp,
  openFollowUp,
} from '#domain/answers/index.ts';
import { DEFAULT_ARREARS_POLICY } from '#domain/arrears/index.ts';

const calendar = DEFAULT_ARREARS_POLICY.disconnection; // Mon–Fri 09:00–16:00 Asia/Shanghai
const at = (iso: string) => Date.parse(iso);
const iso = (ms: number) => new Date(ms).toISOString();

describe('follow-up due times in working hours', () => {
  it('is four working hours later inside a working day', () => {
    // Wednesday 2026-11-04 10:00 in Shanghai → 14:00.
    expect(iso(addWorkingHours(at('2026-11-04T02:00:00Z'), 4, calendar))).toBe('2026-11-04T06:00:00.000Z');
  });

  it('carries over the night and the weekend: Friday 15:00 → Monday 12:00', () => {
    expect(iso(addWorkingHours(at('2026-11-06T07:00:00Z'), 4, calendar))).toBe('2026-11-09T04:00:00.000Z');
  });

  it('starts counting at the next working hour for an answer in the night', () => {
    expect(iso(addWorkingHours(at('2026-11-04T15:00:00Z'), 1, calendar))).toBe('2026-11-05T02:00:00.000Z');
  });
});

describe('which answers need a person', () => {
  it.each([
    ['call-me', {}, true],
    ['wrong', {}, true],
    ['talk', {}, true],
    ['paid', { paymentFound: false }, true],
    ['paid', { paymentFound: true }, false],
    ['received', {}, false],
    ['rate', {}, false],
  ] as const)('%s %j → %s', (action, options, expected) => {
    expect(needsFollowUp(action, options)).toBe(expected);
  });
});

describe('answer forms', () => {
  it('keeps the text and preferred time of a call request, trimmed', () => {
    expect(
      checkAnswerForm({ action: 'call-me', text: '  please  ', preferredTime: 'after 2pm' }, 'call-me'),
    ).toEqual({
      ok: true,
      form: { text: 'please', preferredTime: 'after 2pm' },
    });
  });

  it.each([
    ['a text over 1000 characters', { text: 'x'.repeat(1001) }, 'call-me', 'text: at most 1000 characters'],
    ['a control character', { text: 'a\u0000b' }, 'call-me', 'text: no control characters'],
    ['a rating of 6', { rating: '6' }, 'rate', 'rating: a whole number from 1 to 5'],
    ['no rating', {}, 'rate', 'rating: required'],
    ['an unknown field', { evil: '1' }, 'call-me', 'Unrecognized key'],
  ] as const)('refuses %s, naming the field', (_, fields, action, issue) => {
    const checked = checkAnswerForm(fields as Record<string, string>, action);
    expect(checked.ok).toBe(false);
    expect(JSON.stringify(checked)).toContain(issue);
  });
});

describe('answer KPIs per manager', () => {
  const answer = (over: Partial<Answer>): Answer => ({
    answerId: 'n1#rate',
    accountId: 'A',
    noticeId: 'n1',
    noticeKind: 'bill-preview',
    channel: 'email',
    language: 'zh-CN',
    action: 'rate',
    at: '2026-11-04T03:00:00.000Z',
    noticeSentAt: '2026-11-04T02:00:00.000Z',
    managerId: 'M1',
    ...over,
  });
  const followUp = (over: Partial<FollowUp>): FollowUp =>
    openFollowUp(
      answer({ action: 'call-me', answerId: 'n2#call-me', noticeId: 'n2', ...over } as Partial<Answer>),
      { id: 'M1', name: '王经理' },
      {
        dueWithinWorkingHours: 4,
        calendar,
      },
    );

  it('averages ratings exactly, counts responses, follow-ups on time and overdue, and the median first response', () => {
    const open = followUp({});
    const closedLate = {
      ...followUp({}),
      followUpId: 'x',
      status: 'CLOSED' as const,
      closedAt: '2026-11-20T00:00:00.000Z',
    };
    const closedOnTime = {
      ...followUp({}),
      followUpId: 'y',
      status: 'CLOSED' as const,
      closedAt: open.openedAt,
    };
    const [kpis] = answerKpis(
      [
        answer({ rating: 5 }),
        answer({ answerId: 'n3#rate', noticeId: 'n3', rating: 4, at: '2026-11-04T05:00:00.000Z' }),
        answer({
          answerId: 'n3#received',
          noticeId: 'n3',
          action: 'received',
          at: '2026-11-04T04:00:00.000Z',
        }),
      ],
      [open, closedLate, closedOnTime],
      at('2026-11-30T00:00:00Z'),
    );
    expect(kpis).toEqual({
      managerId: 'M1',
      responses: 2,
      ratings: 2,
      averageRating: '4.50',
      followUpsOpened: 3,
      followUpsClosedOnTime: 1,
      followUpsOverdue: 2,
      medianMinutesToFirstResponse: 90,
    });
  });
});
