import { Match } from 'aws-cdk-lib/assertions';
import { describe, expect, it } from 'vitest';
import {
  actionsOf,
  contactDataKeyId,
  environmentOf,
  functionNamed,
  HANDLERS,
  statementsOfFunction,
  synthKeybill,
} from './synth.ts';

const { template } = synthKeybill();

describe('queues', () => {
  it('encrypts every queue, dead-letter queues included, with the contact-data key and refuses requests without TLS', () => {
    const queues = template.findResources('AWS::SQS::Queue');
    for (const [id, queue] of Object.entries(queues)) {
      expect(queue).toMatchObject({
        Properties: { KmsMasterKeyId: { 'Fn::GetAtt': [contactDataKeyId(template), 'Arn'] } },
      });
      template.hasResourceProperties('AWS::SQS::QueuePolicy', {
        Queues: [{ Ref: id }],
        PolicyDocument: {
          Statement: Match.arrayWith([
            Match.objectLike({ Effect: 'Deny', Condition: { Bool: { 'aws:SecureTransport': 'false' } } }),
          ]),
        },
      });
    }
  });
});

/** The queue an SQS event source mapping feeds the function from. */
function sourceQueueOf(handlerName: string): string {
  const mappings = template.findResources('AWS::Lambda::EventSourceMapping', {
    Properties: { FunctionName: { Ref: functionNamed(template, handlerName).id } },
  });
  const [mapping] = Object.values(mappings) as Array<{
    Properties: { EventSourceArn: Record<string, string[]> };
  }>;
  return mapping!.Properties.EventSourceArn['Fn::GetAtt']![0]!;
}

describe.each([
  { consumer: 'bill-chunk', producers: ['ingest-drop', 'operator'], concurrency: 20 },
  { consumer: 'arrears-chunk', producers: ['arrears-scan'], concurrency: 10 },
])('fan-out to $consumer', ({ consumer, producers, concurrency }) => {
  it(`feeds ${consumer} one chunk per invocation with partial failures, at most ${concurrency} at a time`, () => {
    template.hasResourceProperties('AWS::Lambda::EventSourceMapping', {
      FunctionName: { Ref: functionNamed(template, consumer).id },
      BatchSize: 1,
      FunctionResponseTypes: ['ReportBatchItemFailures'],
      ScalingConfig: { MaximumConcurrency: concurrency },
    });
  });

  it('hides a chunk for six times the consumer timeout and dead-letters it, alarmed, after 5 receives', () => {
    const queue = template.toJSON().Resources[sourceQueueOf(consumer)];
    const timeout = functionNamed(template, consumer).properties.Timeout as number;
    expect(queue.Properties.VisibilityTimeout).toBe(6 * timeout);
    expect(queue.Properties.RedrivePolicy.maxReceiveCount).toBe(5);
    const dlqId = queue.Properties.RedrivePolicy.deadLetterTargetArn['Fn::GetAtt'][0];
    template.hasResourceProperties('AWS::CloudWatch::Alarm', {
      MetricName: 'ApproximateNumberOfMessagesVisible',
      Dimensions: [{ Name: 'QueueName', Value: { 'Fn::GetAtt': [dlqId, 'QueueName'] } }],
      Threshold: 0,
    });
  });

  it(`lets only ${producers.join(' and ')} queue chunks (and the operator's redrive), and tells them where`, () => {
    const queueId = sourceQueueOf(consumer);
    const senders = HANDLERS.filter((name) =>
      statementsOfFunction(template, name).some(
        (s) => actionsOf([s]).includes('sqs:SendMessage') && JSON.stringify(s.Resource).includes(queueId),
      ),
    );
    // And the operator, whose redrive moves dead-lettered chunks back (SQS sends them on its behalf).
    expect(senders.sort()).toEqual([...new Set([...producers, 'operator'])].sort());
    for (const producer of producers) {
      expect(Object.values(environmentOf(template, producer))).toContainEqual({ Ref: queueId });
    }
  });
});
