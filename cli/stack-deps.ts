/**
 * The operator's dependencies for the CLI's stack commands: the same wiring as the operator function
 * (TABLE_NAME, and the optional DROP_BUCKET, NOTICE_QUEUE_URL, BILL_CHUNK_QUEUE_URL,
 * REMINDER_SCHEDULE_GROUP with the arrears settings), without its structured logs on the terminal.
 */
import type { OperatorDeps } from '#services/operator-commands.ts';

export async function operatorDepsFromEnv(): Promise<OperatorDeps> {
  // Loaded on use: the offline commands never configure an AWS client.
  const { operatorDeps } = await import('#wiring/index.ts');
  return operatorDeps({});
}
