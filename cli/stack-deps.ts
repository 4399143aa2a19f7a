/**
 * The operator's dependencies for the CLI's stack commands, from the environment (TABLE_NAME, and the
 * optional NOTICE_QUEUE_URL, BILL_CHUNK_QUEUE_URL, REMINDER_SCHEDULE_GROUP with the arrears settings).
 * Kept in this one place until a shared wiring module builds them for the functions and the CLI alike.
 */
import type { runOperatorCommand } from '../shared/services/operator-commands.ts';

export type OperatorDeps = Parameters<typeof runOperatorCommand>[1];

export async function operatorDepsFromEnv(): Promise<OperatorDeps> {
  const { documentClient, requiredEnv } = await import('../shared/adapters/clients.ts');
  const { KeybillRepository } = await import('../shared/adapters/repository.ts');
  const { s3DropObjectStore } = await import('../shared/adapters/drop-objects.ts');
  const repository = new KeybillRepository(documentClient(), requiredEnv('TABLE_NAME'));
  const { sqsNoticeQueue } = await import('../shared/adapters/notice-queue.ts');
  const queueUrl = process.env.NOTICE_QUEUE_URL;
  const queue = queueUrl === undefined ? undefined : sqsNoticeQueue(queueUrl);
  const { sqsBillChunkQueue } = await import('../shared/adapters/bill-chunk-queue.ts');
  const chunkQueueUrl = process.env.BILL_CHUNK_QUEUE_URL;
  const chunks = chunkQueueUrl === undefined ? undefined : sqsBillChunkQueue(chunkQueueUrl);
  const { arrearsDepsFromEnv } = await import('../shared/adapters/arrears-deps.ts');
  const arrears = process.env.REMINDER_SCHEDULE_GROUP === undefined ? undefined : arrearsDepsFromEnv();
  return {
    repository,
    objects: s3DropObjectStore,
    queue,
    chunks,
    ...(arrears === undefined ? {} : { arrears }),
  };
}
