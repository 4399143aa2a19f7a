import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type SchedulerRecorder, startSchedulerRecorder } from '../../../local/scheduler-recorder.ts';

/*
 * The local stand-in for EventBridge Scheduler records what the reminder scheduler creates and deletes,
 * and fires a one-time schedule as Scheduler does: created with ActionAfterCompletion DELETE, it is gone
 * once it ran. Broken and oversized requests are refused without touching what is recorded.
 */

let recorder: SchedulerRecorder;
beforeAll(async () => {
  recorder = await startSchedulerRecorder();
});
afterAll(() => recorder.stop());

const create = (name: string, body: unknown) =>
  fetch(`${recorder.url}/schedules/${encodeURIComponent(name)}`, {
    method: 'POST',
    body: typeof body === 'string' ? body : JSON.stringify(body),
  });

const schedule = (actionAfterCompletion?: string) => ({
  GroupName: 'keybill-reminders',
  ScheduleExpression: 'at(2026-11-23T11:15:00)',
  ScheduleExpressionTimezone: 'Asia/Shanghai',
  ...(actionAfterCompletion === undefined ? {} : { ActionAfterCompletion: actionAfterCompletion }),
  Target: { Arn: 'arn:aws:lambda:cn-north-1:000000000000:function:x', Input: '{"task":"final-reminder"}' },
});

describe('local scheduler recorder', () => {
  it('removes a one-time schedule created with ActionAfterCompletion DELETE once it fired', async () => {
    expect((await create('once', schedule('DELETE'))).status).toBe(200);
    const fired = recorder.fire('once');
    expect(fired.input).toEqual({ task: 'final-reminder' });
    expect(recorder.schedules().map((s) => s.name)).not.toContain('once');
    expect(recorder.deleted()).toContain('once');
    expect(() => recorder.fire('once')).toThrow('no schedule default/once to fire');
  });

  it('keeps a schedule created without it after firing', async () => {
    await create('kept', schedule());
    recorder.fire('kept', 'keybill-reminders');
    expect(recorder.schedules().map((s) => s.name)).toContain('kept');
  });

  it('refuses a second schedule of the same name in the group', async () => {
    await create('twice', schedule('DELETE'));
    const again = await create('twice', schedule('DELETE'));
    expect(again.status).toBe(409);
    expect(again.headers.get('x-amzn-errortype')).toBe('ConflictException');
  });

  it.each([
    ['a body that is not JSON', '{"GroupName":'],
    ['a target input that is not JSON', JSON.stringify({ Target: { Input: 'not json' } })],
  ])('refuses %s with a validation error and records nothing', async (_, body) => {
    const before = recorder.schedules().length;
    const response = await create('broken', body);
    expect(response.status).toBe(400);
    expect(response.headers.get('x-amzn-errortype')).toBe('ValidationException');
    expect(recorder.schedules()).toHaveLength(before);
  });

  it('refuses an oversized request body and records nothing', async () => {
    const before = recorder.schedules().length;
    const huge = {
      ...schedule('DELETE'),
      Target: { Arn: 'x', Input: JSON.stringify({ pad: 'x'.repeat(200_000) }) },
    };
    const status = await create('huge', huge).then(
      (r) => r.status,
      () => 'connection closed',
    );
    expect([413, 'connection closed']).toContain(status);
    expect(recorder.schedules()).toHaveLength(before);
  });
});
