import { describe, expect, it } from 'vitest';
import { runOperatorCommand } from '#services/operator-commands.ts';
import type { DeadLetterQueues } from '#services/ports/index.ts';

function fakeQueues(counts: Record<string, number>) {
  const redriven: string[] = [];
  const queues: DeadLetterQueues = {
    list: () => [
      { name: 'Notifications/NoticeDeadLetters', redrivable: true },
      { name: 'Operator/FailedEvents', redrivable: false },
    ],
    count: async (name) => counts[name] ?? 0,
    sample: async (_name, max) =>
      Array.from({ length: Math.min(max, 5) }, (_, i) => ({ messageId: `m-${i}`, body: 'x'.repeat(5000) })),
    redrive: async (name) => {
      redriven.push(name);
      return { taskHandle: `task-${name}` };
    },
  };
  return { queues, redriven };
}

const run = (event: unknown, deadLetters?: DeadLetterQueues) =>
  runOperatorCommand(event, { deadLetters } as never);

describe('list-dead-letters', () => {
  it('shows every queue with its count and a bounded sample, bodies cut short', async () => {
    const { queues } = fakeQueues({ 'Notifications/NoticeDeadLetters': 12 });
    const answer = await run({ command: 'list-dead-letters', sample: 2 }, queues);
    expect(answer.ok).toBe(true);
    const result = (answer as { result: { queue: string; messages: number; sample: { body: string }[] }[] })
      .result;
    expect(result.map((q) => [q.queue, q.messages, q.sample.length])).toEqual([
      ['Notifications/NoticeDeadLetters', 12, 2],
      ['Operator/FailedEvents', 0, 0],
    ]);
    expect(result[0]!.sample[0]!.body).toMatch(/^x{1000}… \(5000 characters\)$/);
  });

  it('answers not-configured where the function has no queues', async () => {
    expect(await run({ command: 'list-dead-letters' })).toMatchObject({
      ok: false,
      refused: 'not-configured',
    });
  });
});

describe('redrive', () => {
  it('starts a message-move task for a redrivable queue with messages', async () => {
    const { queues, redriven } = fakeQueues({ 'Notifications/NoticeDeadLetters': 3 });
    expect(await run({ command: 'redrive', queue: 'Notifications/NoticeDeadLetters' }, queues)).toMatchObject(
      {
        ok: true,
        result: { messages: 3, started: true, taskHandle: 'task-Notifications/NoticeDeadLetters' },
      },
    );
    expect(redriven).toEqual(['Notifications/NoticeDeadLetters']);
  });

  it('answers what a redrive by hand moved, what is left and what the source refused (China)', async () => {
    const { queues } = fakeQueues({ 'Notifications/NoticeDeadLetters': 30 });
    queues.redrive = async () => ({
      moved: 20,
      left: 10,
      refused: { count: 10, reason: 'KMS.AccessDenied' },
    });
    expect(await run({ command: 'redrive', queue: 'Notifications/NoticeDeadLetters' }, queues)).toEqual({
      ok: true,
      command: 'redrive',
      result: {
        queue: 'Notifications/NoticeDeadLetters',
        messages: 30,
        started: true,
        moved: 20,
        left: 10,
        refused: { count: 10, reason: 'KMS.AccessDenied' },
      },
    });
  });

  it('starts nothing for an empty queue', async () => {
    const { queues, redriven } = fakeQueues({});
    expect(await run({ command: 'redrive', queue: 'Notifications/NoticeDeadLetters' }, queues)).toMatchObject(
      {
        ok: true,
        result: { messages: 0, started: false },
      },
    );
    expect(redriven).toEqual([]);
  });

  it('refuses a queue of failed invocations: there is no queue to move them back to', async () => {
    const { queues, redriven } = fakeQueues({ 'Operator/FailedEvents': 1 });
    expect(await run({ command: 'redrive', queue: 'Operator/FailedEvents' }, queues)).toMatchObject({
      ok: false,
      refused: 'not-redrivable',
    });
    expect(redriven).toEqual([]);
  });

  it('refuses a queue that does not exist, naming those that do', async () => {
    const { queues } = fakeQueues({});
    const answer = await run({ command: 'redrive', queue: 'Nowhere/DeadLetters' }, queues);
    expect(answer).toMatchObject({ ok: false, refused: 'no-such-queue' });
    expect((answer as { error: string }).error).toContain('Notifications/NoticeDeadLetters');
  });

  it.each([
    ['a 1 MB queue name', { command: 'redrive', queue: 'x'.repeat(1 << 20) }, 'queue'],
    ['a queue name with ../', { command: 'redrive', queue: '../Notifications' }, 'queue'],
    ['a queue URL', { command: 'redrive', queue: 'https://sqs.example/1/q' }, 'queue'],
    ['a queue name with a newline', { command: 'redrive', queue: 'A\n{"level":"ERROR"}' }, 'queue'],
    ['no queue', { command: 'redrive' }, 'queue'],
    ['a queue that is an object', { command: 'redrive', queue: { $ne: '' } }, 'queue'],
    ['a sample of 11', { command: 'list-dead-letters', sample: 11 }, 'sample'],
    ['a sample of -1', { command: 'list-dead-letters', sample: -1 }, 'sample'],
    ['a sample as text', { command: 'list-dead-letters', sample: '3' }, 'sample'],
    ['an unknown field', { command: 'list-dead-letters', purge: true }, ''],
  ])('refuses %s as malformed, naming the field, and touches no queue', async (_, event, path) => {
    const { queues, redriven } = fakeQueues({ 'Notifications/NoticeDeadLetters': 3 });
    const answer = await run(event, queues);
    expect(answer).toMatchObject({ ok: false, kind: 'malformed' });
    expect((answer as { issues: { path: string }[] }).issues.map((i) => i.path)).toContain(path);
    expect(redriven).toEqual([]);
  });
});
