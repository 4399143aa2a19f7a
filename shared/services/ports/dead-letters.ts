/** A dead-letter queue of the stack, by the name operators know it under (e.g. `Billing/DeadLetters`). */
export interface DeadLetterQueueInfo {
  name: string;
  /** Its messages came from an SQS queue, so SQS can move them back there (a message-move task). */
  redrivable: boolean;
}

/** One message as an operator sees it: its body cut short, how often it was received, when it was first sent. */
export interface DeadLetterSample {
  messageId: string;
  sentAt?: string;
  receiveCount?: number;
  body: string;
}

/** The stack's dead-letter queues: how full, what is in them, and moving them back to their queues. */
export interface DeadLetterQueues {
  list(): readonly DeadLetterQueueInfo[];
  /** Messages in the queue, visible or in flight (approximate, as SQS counts them). */
  count(name: string): Promise<number>;
  /** Up to `max` messages, left where they are (visible again at once). */
  sample(name: string, max: number): Promise<DeadLetterSample[]>;
  /**
   * Moves the messages back to the queue they came from: a message-move task SQS carries out (its handle),
   * or, where SQS offers none, moved here in batches until the queue is empty or the time is up.
   */
  redrive(name: string): Promise<RedriveOutcome>;
}

export type RedriveOutcome =
  | { taskHandle: string }
  | {
      /** Messages sent back to the source queue and deleted here. */
      moved: number;
      /** Messages still in the dead-letter queue (a redrive again moves them). */
      left: number;
      /** Messages the source queue refused, with SQS's first reason; they stay in the dead-letter queue. */
      refused?: { count: number; reason: string };
    };
