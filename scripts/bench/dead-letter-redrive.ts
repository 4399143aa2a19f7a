/* The operator's dead-letter redrive, as the fault suite plays it (scripts/bench/faults.ts). */

/**
 * Moves every message of the dead-letter queue back to its queue, as `aws sqs start-message-move-task` does
 * (body and attributes unchanged), after `recovered`; answers how many moved and how many are left.
 */
export async function redrive(
  dlqUrl: string,
  queueUrl: string,
  recovered: () => void,
): Promise<{ moved: number; left: number }> {
  const {
    DeleteMessageCommand,
    GetQueueAttributesCommand,
    ReceiveMessageCommand,
    SendMessageCommand,
    SQSClient,
  } = await import('@aws-sdk/client-sqs');
  const client = new SQSClient({});
  try {
    recovered();
    let moved = 0;
    for (;;) {
      const { Messages = [] } = await client.send(
        new ReceiveMessageCommand({
          QueueUrl: dlqUrl,
          MaxNumberOfMessages: 10,
          MessageAttributeNames: ['All'],
          WaitTimeSeconds: 0,
        }),
      );
      if (Messages.length === 0) break;
      for (const message of Messages) {
        await client.send(
          new SendMessageCommand({
            QueueUrl: queueUrl,
            MessageBody: message.Body ?? '',
            ...(message.MessageAttributes === undefined
              ? {}
              : { MessageAttributes: message.MessageAttributes }),
          }),
        );
        await client.send(
          new DeleteMessageCommand({ QueueUrl: dlqUrl, ReceiptHandle: message.ReceiptHandle }),
        );
        moved++;
      }
    }
    const { Attributes = {} } = await client.send(
      new GetQueueAttributesCommand({
        QueueUrl: dlqUrl,
        AttributeNames: ['ApproximateNumberOfMessages', 'ApproximateNumberOfMessagesNotVisible'],
      }),
    );
    const left =
      Number(Attributes.ApproximateNumberOfMessages ?? 0) +
      Number(Attributes.ApproximateNumberOfMessagesNotVisible ?? 0);
    return { moved, left };
  } finally {
    client.destroy();
  }
}
