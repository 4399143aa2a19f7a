import { describe, expect, it } from 'vitest';
import { type PipelineRound, startPipelineLoop } from '../../../local/runner/pipeline-loop.ts';

/** A pipeline whose bill-chunk queue holds one chunk at first; each stage records its call. */
function fakePipeline(options: { failFirstRound?: boolean } = {}) {
  const calls: string[] = [];
  let chunksWaiting = 1;
  let failures = options.failFirstRound === true ? 1 : 0;
  return {
    calls,
    pipeline: {
      billChunks: async () => {
        calls.push('bill-chunk');
        if (failures-- > 0) throw new Error('the queue answered 500');
        const handled = chunksWaiting;
        chunksWaiting = 0;
        return handled;
      },
      planNotices: async () => {
        calls.push('plan-notices');
        return 0;
      },
      sendNotices: async () => {
        calls.push('send-notice');
        return 0;
      },
    },
  };
}

const until = async (condition: () => boolean) => {
  for (let i = 0; i < 200 && !condition(); i++) await new Promise((r) => setTimeout(r, 5));
};

describe('the kept pipeline loop', () => {
  it('plays bill-chunk, plan-notices and send-notice in that order, round after round, until stopped', async () => {
    const { pipeline, calls } = fakePipeline();
    const rounds: PipelineRound[] = [];
    const loop = startPipelineLoop(pipeline, { intervalMs: 1, onRound: (r) => rounds.push(r) });
    await until(() => loop.rounds >= 3);
    await loop.stop();
    const done = calls.length;
    expect(calls.slice(0, 6)).toEqual([
      'bill-chunk',
      'plan-notices',
      'send-notice',
      'bill-chunk',
      'plan-notices',
      'send-notice',
    ]);
    // Only rounds that handled something are reported.
    expect(rounds).toEqual([{ chunks: 1, newBills: 0, notices: 0 }]);
    await new Promise((r) => setTimeout(r, 20));
    expect(calls).toHaveLength(done);
  });

  it('reports a failed round and keeps going', async () => {
    const { pipeline } = fakePipeline({ failFirstRound: true });
    const errors: unknown[] = [];
    const rounds: PipelineRound[] = [];
    const loop = startPipelineLoop(pipeline, {
      intervalMs: 1,
      onError: (e) => errors.push(e),
      onRound: (r) => rounds.push(r),
    });
    await until(() => rounds.length > 0);
    await loop.stop();
    expect(errors.map((e) => (e as Error).message)).toEqual(['the queue answered 500']);
    expect(rounds).toEqual([{ chunks: 1, newBills: 0, notices: 0 }]);
  });

  it('stops during its pause without waiting the interval out', async () => {
    const { pipeline } = fakePipeline();
    // A pause ten times the test's own timeout: were stop() to wait it out, the test could not pass
    // (no timing threshold of ours).
    const loop = startPipelineLoop(pipeline, { intervalMs: 600_000 });
    await until(() => loop.rounds >= 1);
    await loop.stop();
    expect(loop.rounds).toBe(1);
  });
});
