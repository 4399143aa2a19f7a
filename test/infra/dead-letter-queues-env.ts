/** An entry of the operator's DEAD_LETTER_QUEUES, each queue named by its logical id. */
export interface DeadLetterQueueEntry {
  name: string;
  url: string;
  redrivable: boolean;
  sourceUrl?: string;
}

/**
 * DEAD_LETTER_QUEUES as the template states it (a `Fn::Join` of JSON text around each queue's `Ref`), read
 * with each queue's URL replaced by its logical id: which queue is which, before any deployment names it.
 */
export function deadLetterQueuesByLogicalId(value: unknown): DeadLetterQueueEntry[] {
  const [, parts] = (value as { 'Fn::Join': [string, unknown[]] })['Fn::Join'];
  const text = parts.map((p) => (typeof p === 'string' ? p : (p as { Ref: string }).Ref)).join('');
  return JSON.parse(text) as DeadLetterQueueEntry[];
}
