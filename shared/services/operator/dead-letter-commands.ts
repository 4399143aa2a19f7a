import { z } from 'zod';
import type { DeadLetterQueues } from '../ports/index.ts';
import { OperatorRefusal } from './refusal.ts';

/*
 * list-dead-letters and redrive: what is in the dead-letter queues (each alarms on its first message),
 * and, after the cause is fixed, sending them back to the queue they came from with an SQS message-move
 * task — as the console's "Start DLQ redrive" does, so the same limits apply (one task per queue at a time).
 * In the China regions, which have no message-move tasks, the redrive moves them itself (the adapter).
 */

/** A dead-letter queue's name as list-dead-letters shows it: construct path segments, letters and digits. */
const QueueName = z
  .string()
  .min(1)
  .max(100, 'at most 100 characters')
  .regex(
    /^[A-Za-z0-9_-]+(\/[A-Za-z0-9_-]+)*$/,
    'expected a dead-letter queue name such as Billing/DeadLetters',
  );

/** Messages shown per queue, at most: enough to see what failed, little enough for a console answer. */
export const MAX_SAMPLE = 10;
/** Characters of a message body shown. */
export const SAMPLE_BODY_CHARS = 1000;

export const ListDeadLettersCommand = z
  .object({
    command: z.literal('list-dead-letters'),
    queue: QueueName.optional(),
    sample: z.number().int().min(0).max(MAX_SAMPLE).optional(),
  })
  .strict();

export const RedriveCommand = z.object({ command: z.literal('redrive'), queue: QueueName }).strict();

type ListDeadLetters = z.infer<typeof ListDeadLettersCommand>;

function deadLetterQueues(deps: { deadLetters?: DeadLetterQueues | undefined }): DeadLetterQueues {
  if (deps.deadLetters === undefined) {
    throw new OperatorRefusal('dead-letter commands need the queues (DEAD_LETTER_QUEUES)', 'not-configured');
  }
  return deps.deadLetters;
}

function queueNamed(queues: DeadLetterQueues, name: string) {
  const queue = queues.list().find((q) => q.name === name);
  if (queue === undefined) {
    throw new OperatorRefusal(
      `no dead-letter queue ${name} (there are ${queues
        .list()
        .map((q) => q.name)
        .join(', ')})`,
      'no-such-queue',
    );
  }
  return queue;
}

/** Per dead-letter queue (or the one named): how many messages wait, and a few of them. */
export async function listDeadLetters(
  command: ListDeadLetters,
  deps: { deadLetters?: DeadLetterQueues | undefined },
) {
  const queues = deadLetterQueues(deps);
  const chosen = command.queue === undefined ? queues.list() : [queueNamed(queues, command.queue)];
  const max = command.sample ?? 3;
  return Promise.all(
    chosen.map(async ({ name, redrivable }) => {
      const messages = await queues.count(name);
      const sample = messages === 0 || max === 0 ? [] : await queues.sample(name, max);
      return {
        queue: name,
        redrivable,
        messages,
        sample: sample.map((m) => ({ ...m, body: clipBody(m.body) })),
      };
    }),
  );
}

const clipBody = (body: string): string =>
  body.length <= SAMPLE_BODY_CHARS
    ? body
    : `${body.slice(0, SAMPLE_BODY_CHARS)}… (${body.length} characters)`;

/** Moves a dead-letter queue's messages back to their source queue. */
export async function redriveDeadLetters(
  command: z.infer<typeof RedriveCommand>,
  deps: { deadLetters?: DeadLetterQueues | undefined },
) {
  const queues = deadLetterQueues(deps);
  const queue = queueNamed(queues, command.queue);
  if (!queue.redrivable) {
    throw new OperatorRefusal(
      `${queue.name} holds failed invocations or stream records, not messages of an SQS queue: nothing to move them back to (re-run what failed instead)`,
      'not-redrivable',
    );
  }
  const messages = await queues.count(queue.name);
  if (messages === 0) return { queue: queue.name, messages, started: false };
  return { queue: queue.name, messages, started: true, ...(await queues.redrive(queue.name)) };
}
