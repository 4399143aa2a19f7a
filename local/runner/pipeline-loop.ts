import { setTimeout as sleep } from 'node:timers/promises';
import type { LocalPipeline } from './local-pipeline.ts';

/** What one round of the loop handled. */
export interface PipelineRound {
  chunks: number;
  newBills: number;
  notices: number;
}

export interface PipelineLoop {
  /** Ends the loop after the round under way; safe to call more than once. */
  stop(): Promise<void>;
  /** Rounds finished so far (for tests that wait for a quiet round). */
  readonly rounds: number;
}

/**
 * What AWS's event sources do all the time, played in a loop while a local stack is kept up: the
 * bill-chunk queue → bill-chunk, the table stream → plan-notices, the notices queue → send-notice. So a
 * drop run from elsewhere (the CLI's `run-drop`, the operator handler) is billed and its previews sent
 * without anyone draining the queues by hand. A round that fails is reported and the next one tries
 * again, as a Lambda event source keeps polling after a failed invocation.
 */
export function startPipelineLoop(
  pipeline: Pick<LocalPipeline, 'billChunks' | 'planNotices' | 'sendNotices'>,
  options: {
    /** The pause between rounds (default 1 s). */
    intervalMs?: number;
    onRound?: (round: PipelineRound) => void;
    onError?: (error: unknown) => void;
  } = {},
): PipelineLoop {
  const intervalMs = options.intervalMs ?? 1_000;
  const pause = new AbortController();
  let stopped = false;
  let rounds = 0;

  const round = async (): Promise<void> => {
    const chunks = await pipeline.billChunks();
    const newBills = await pipeline.planNotices();
    const notices = await pipeline.sendNotices();
    if (chunks + newBills + notices > 0) options.onRound?.({ chunks, newBills, notices });
  };

  const running = (async () => {
    while (!stopped) {
      try {
        await round();
      } catch (error) {
        options.onError?.(error);
      }
      rounds++;
      await sleep(intervalMs, undefined, { signal: pause.signal }).catch(() => {});
    }
  })();

  let stopping: Promise<void> | undefined;
  return {
    stop() {
      stopping ??= (async () => {
        stopped = true;
        pause.abort();
        await running;
      })();
      return stopping;
    },
    get rounds() {
      return rounds;
    },
  };
}
