import { describe, expect, it } from 'vitest';
import type { AwsCall } from '../../local/runner/aws-call-recorder.ts';
import { readSynthesizedStack } from '../../local/runner/synthesized-stack.ts';
import { TemplateValues } from '../../local/runner/template-values.ts';
import { deadLetterQueuesByLogicalId } from '../infra/dead-letter-queues-env.ts';
import { impliedKmsCalls } from './implied-kms.ts';
import { denials, statementsOfRole } from './role-policies.ts';

/*
 * In the China regions the operator's redrive moves a dead-letter queue's messages itself (SQS has no
 * message-move task there). The bundles run redrives nothing, so the calls a redrive by hand makes are
 * written out here, per redrivable queue of DEAD_LETTER_QUEUES, and held to the operator's role in the
 * aws-cn partition with the KMS calls the queues' key implies: a grant the task path does not need but
 * the hand path does would fail here, not on the first redrive in Beijing.
 */

const synthesized = readSynthesizedStack();
const values = new TemplateValues(synthesized.template, { region: 'cn-north-1', account: '000000000000' });
const operator = synthesized.functionByHandler('operator');

const deadLetterQueues = deadLetterQueuesByLogicalId(operator.environment.DEAD_LETTER_QUEUES);

const call = (action: string, queueId: string): AwsCall => ({
  functionName: operator.functionName,
  action,
  resources: [values.arn(queueId)],
  requestBytes: 0,
  responseBytes: 0,
});

describe('a redrive by hand in cn-north-1', () => {
  const redrivable = deadLetterQueues.filter((q) => q.redrivable);

  it('has a source queue for each of the three redrivable dead-letter queues', () => {
    expect(redrivable.map((q) => [q.name, q.sourceUrl !== undefined])).toEqual([
      ['Notifications/NoticeDeadLetters', true],
      ['Chunks/DeadLetters', true],
      ['ArrearsChunks/DeadLetters', true],
    ]);
  });

  it.each(redrivable.map((q) => [q.name, q] as const))(
    'may receive from and delete in %s, and send to its source queue, keys included',
    (_name, queue) => {
      const made = [
        call('sqs:GetQueueAttributes', queue.url),
        call('sqs:ReceiveMessage', queue.url),
        call('sqs:SendMessage', queue.sourceUrl!),
        call('sqs:DeleteMessage', queue.url),
      ];
      const calls = [...made, ...impliedKmsCalls(made, synthesized.template, values)];
      expect(calls.length).toBeGreaterThan(made.length);
      expect(calls.every((c) => c.resources.every((r) => r.startsWith('arn:aws-cn:')))).toBe(true);
      expect(
        denials(calls, statementsOfRole(synthesized.template, values, operator.roleLogicalId)).map(
          (d) => `${d.action} on ${d.resource}: ${d.decision}`,
        ),
      ).toEqual([]);
    },
  );
});
