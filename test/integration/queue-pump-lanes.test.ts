import { setTimeout as sleep } from 'node:timers/promises';
import {
  GetQueueAttributesCommand,
  ReceiveMessageCommand,
  SendMessageBatchCommand,
  SQSClient,
} from '@aws-sdk/client-sqs';
import type { SQSBatchResponse, SQSEvent } from 'aws-lambda';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { awsCallsOf } from '../../local/runner/aws-call-parser.ts';
import { recordAwsCalls } from '../../local/runner/aws-call-recorder.ts';
import { createQueueWithDeadLetters } from '../../local/runner/resources.ts';
import { QueuePump } from '../../local/runner/runner.ts';
import { applyEnv, type LocalStack, startLocalStack } from '../../local/stack.ts';

/*
 * The queue pump plays an SQS event source mapping's maximum concurrency: up to N invocations at once,
 * each with its own batch, each deleting what succeeded and leaving its failures to the queue's redrive.
 * The handlers here hold their invocations on gates, so what is asserted is how many overlapped, never how
 * long anything took.
 */

const MAX_RECEIVE_COUNT = 2;

describe('the queue pump runs up to the mapping’s maximum concurrency of invocations (local SQS)', () => {
  let stack: LocalStack;
  let sqs: SQSClient;
  let queueCount = 0;

  beforeAll(async () => {
    stack = await startLocalStack({ services: ['sqs'] });
    applyEnv(stack.env);
    sqs = new SQSClient({});
  });

  afterAll(async () => {
    sqs?.destroy();
    await stack?.stop();
  });

  /**
   * A fresh queue (and its dead-letter queue) holding these message bodies. Its visibility timeout is long
   * enough that a loaded machine does not see a message received again while its invocation runs; a test
   * that waits for a redelivery shortens it.
   */
  async function queueOf(bodies: readonly string[], visibilityTimeoutSeconds = 30) {
    const queues = await createQueueWithDeadLetters(`lanes-${++queueCount}`, {
      visibilityTimeoutSeconds,
      maxReceiveCount: MAX_RECEIVE_COUNT,
    });
    await send(queues.queueUrl, bodies);
    return queues;
  }

  async function send(queueUrl: string, bodies: readonly string[]) {
    for (let i = 0; i < bodies.length; i += 10) {
      await sqs.send(
        new SendMessageBatchCommand({
          QueueUrl: queueUrl,
          Entries: bodies.slice(i, i + 10).map((body, j) => ({ Id: String(j), MessageBody: body })),
        }),
      );
    }
  }

  async function attributes(queueUrl: string) {
    const out = await sqs.send(
      new GetQueueAttributesCommand({
        QueueUrl: queueUrl,
        AttributeNames: ['ApproximateNumberOfMessages', 'ApproximateNumberOfMessagesNotVisible'],
      }),
    );
    return {
      visible: Number(out.Attributes?.ApproximateNumberOfMessages ?? 0),
      inFlight: Number(out.Attributes?.ApproximateNumberOfMessagesNotVisible ?? 0),
    };
  }

  /**
   * A handler counting the invocations in flight. The first invocations wait at a gate that opens when
   * `holdUntil` of them are in flight together (so reaching that many is proven, not hoped for); later
   * ones pass at once. Each yields to the event loop a few times, so overlapping lanes would be seen.
   */
  function countingHandler(holdUntil: number, fails: (body: string) => boolean = () => false) {
    const seen = { inFlight: 0, most: 0, gateOpenedAtFull: false, bodies: [] as string[] };
    let open: () => void = () => {};
    const gate = new Promise<void>((resolve) => {
      open = resolve;
    });
    // Only so that a pump that never reaches `holdUntil` fails the assertions instead of hanging.
    const safety = setTimeout(open, 20_000);
    const handler = async (event: SQSEvent): Promise<SQSBatchResponse> => {
      seen.inFlight++;
      seen.most = Math.max(seen.most, seen.inFlight);
      if (seen.inFlight === holdUntil) {
        seen.gateOpenedAtFull = true;
        open();
      }
      try {
        await gate;
        for (let i = 0; i < 5; i++) await new Promise((resolve) => setImmediate(resolve));
        seen.bodies.push(...event.Records.map((r) => r.body));
        return {
          batchItemFailures: event.Records.filter((r) => fails(r.body)).map((r) => ({
            itemIdentifier: r.messageId,
          })),
        };
      } finally {
        seen.inFlight--;
      }
    };
    return { seen, handler, done: () => clearTimeout(safety) };
  }

  const bodies = (n: number, prefix = 'm') => Array.from({ length: n }, (_, i) => `${prefix}-${i}`);

  it('with a maximum concurrency of 3, has 3 invocations in flight at once and never more', async () => {
    const queues = await queueOf(bodies(30));
    const { seen, handler, done } = countingHandler(3);
    const pump = new QueuePump(queues.queueUrl, queues.queueArn, handler, {
      functionName: 'keybill-lanes-test',
      batchSize: 2,
      maximumConcurrency: 3,
    });
    try {
      expect(await pump.drain({ timeoutMs: 60_000 })).toBe(30);
    } finally {
      pump.close();
      done();
    }
    expect(seen.gateOpenedAtFull).toBe(true);
    expect(seen.most).toBe(3);
    // Each message handled once, and deleted.
    expect([...seen.bodies].sort()).toEqual(bodies(30).sort());
    expect(await attributes(queues.queueUrl)).toEqual({ visible: 0, inFlight: 0 });
  });

  it('with a maximum concurrency of 1, never has two invocations in flight', async () => {
    const queues = await queueOf(bodies(12));
    const { seen, handler, done } = countingHandler(1);
    const pump = new QueuePump(queues.queueUrl, queues.queueArn, handler, {
      functionName: 'keybill-lanes-test',
      batchSize: 2,
      maximumConcurrency: 1,
      prefetch: true,
    });
    try {
      expect(await pump.drain({ timeoutMs: 60_000 })).toBe(12);
    } finally {
      pump.close();
      done();
    }
    expect(seen.most).toBe(1);
    expect([...seen.bodies].sort()).toEqual(bodies(12).sort());
  });

  it('redelivers a message one lane failed until it goes to the dead-letter queue, while the other lanes’ messages are deleted', async () => {
    const queues = await queueOf([...bodies(20, 'ok'), 'poison'], 2);
    const { seen, handler, done } = countingHandler(3, (body) => body === 'poison');
    const pump = new QueuePump(queues.queueUrl, queues.queueArn, handler, {
      functionName: 'keybill-lanes-test',
      batchSize: 2,
      maximumConcurrency: 3,
    });
    try {
      // The poison message is not handled: only the others count.
      expect(await pump.drain({ timeoutMs: 60_000 })).toBe(20);
    } finally {
      pump.close();
      done();
    }
    expect(seen.most).toBe(3);
    expect(seen.bodies.filter((b) => b === 'poison')).toHaveLength(MAX_RECEIVE_COUNT);
    expect(seen.bodies.filter((b) => b !== 'poison').sort()).toEqual(bodies(20, 'ok').sort());
    expect(await attributes(queues.queueUrl)).toEqual({ visible: 0, inFlight: 0 });
    const dead = await sqs.send(
      new ReceiveMessageCommand({ QueueUrl: queues.dlqUrl, MaxNumberOfMessages: 10, WaitTimeSeconds: 0 }),
    );
    expect((dead.Messages ?? []).map((m) => m.Body)).toEqual(['poison']);
  });

  it('starts a lane only when the one before found messages, so an almost idle queue is not polled once per lane', async () => {
    const queues = await queueOf(['only']);
    const { seen, handler, done } = countingHandler(1);
    const recording = recordAwsCalls(awsCallsOf);
    const pump = new QueuePump(queues.queueUrl, queues.queueArn, handler, {
      functionName: 'keybill-lanes-test',
      batchSize: 10,
      maximumConcurrency: 20,
    });
    try {
      expect(await pump.drain({ timeoutMs: 60_000 })).toBe(1);
    } finally {
      recording.stop();
      pump.close();
      done();
    }
    expect(seen.bodies).toEqual(['only']);
    // The first lane receives the message and starts a second, which finds nothing and stops; the first
    // then finds the queue empty. Twenty lanes started at once would have made twenty receives or more.
    const receives = recording.calls.filter(
      (c) => c.functionName === 'keybill-lanes-test' && c.action === 'sqs:ReceiveMessage',
    );
    expect(receives).toHaveLength(3);
  });

  it('fails the drain with the error of a lane that fails', async () => {
    const queues = await queueOf(bodies(6));
    const handler = async (): Promise<SQSBatchResponse> => ({ batchItemFailures: [] });
    const pump = new QueuePump(queues.queueUrl, queues.queueArn, handler, {
      functionName: 'keybill-lanes-test',
      batchSize: 1,
      maximumConcurrency: 3,
      // The first message received breaks its lane, as a fault of the event source itself would.
      duplicate: () => {
        throw new Error('the poller broke');
      },
    });
    try {
      await expect(pump.drain({ timeoutMs: 60_000 })).rejects.toThrow('the poller broke');
    } finally {
      pump.close();
    }
  });

  describe('batching window', () => {
    /** Waits until the pump has received `n` messages (they are in flight), then sends more. */
    async function sendOnceReceived(queueUrl: string, n: number, more: readonly string[]) {
      while ((await attributes(queueUrl)).inFlight < n) await sleep(20);
      await send(queueUrl, more);
    }

    /** Drains two messages and, once they are received, three more; answers each invocation's batch size. */
    async function batchSizesWith(maximumBatchingWindowMs: number): Promise<number[]> {
      const queues = await queueOf(['a', 'b']);
      const sizes: number[] = [];
      let received: () => void = () => {};
      const moreSent = new Promise<void>((resolve) => {
        received = resolve;
      });
      const handler = async (event: SQSEvent): Promise<SQSBatchResponse> => {
        sizes.push(event.Records.length);
        // The first invocation waits for the late messages, so without a window they make a batch of their own.
        await moreSent;
        return { batchItemFailures: [] };
      };
      const pump = new QueuePump(queues.queueUrl, queues.queueArn, handler, {
        functionName: 'keybill-lanes-test',
        batchSize: 5,
        maximumConcurrency: 1,
        maximumBatchingWindowMs,
      });
      try {
        const drained = pump.drain({ timeoutMs: 60_000 });
        await sendOnceReceived(queues.queueUrl, 2, ['c', 'd', 'e']);
        received();
        expect(await drained).toBe(5);
      } finally {
        pump.close();
      }
      return sizes;
    }

    it('without one (the template’s), invokes with what one receive gives', async () => {
      expect(await batchSizesWith(0)).toEqual([2, 3]);
    });

    it('with one, waits for the batch to fill before invoking', async () => {
      // Longer than the test could take: the batch fills first.
      expect(await batchSizesWith(600_000)).toEqual([5]);
    });
  });

  it.each([0, -1, 1.5, Number.NaN, Number.POSITIVE_INFINITY])(
    'refuses a maximum concurrency of %s',
    (maximumConcurrency) => {
      expect(
        () =>
          new QueuePump(
            'http://127.0.0.1:1/q',
            'arn:aws:sqs:cn-north-1:000000000000:q',
            async () => undefined,
            {
              functionName: 'keybill-lanes-test',
              maximumConcurrency,
            },
          ),
      ).toThrow(/maximumConcurrency/);
    },
  );
});
