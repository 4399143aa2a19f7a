import { PutObjectCommand, S3Client } from '@aws-sdk/client-s3';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { OperatorResponse } from '#services/operator-commands.ts';
import { lambdaContext } from '../../local/runner/aws-events.ts';
import { previousPeriod } from '../../local/runner/billing-cycle.ts';
import { generateAccounts, generateMeterReadRows, toCsv } from '../../local/runner/fixtures.ts';
import { LOCAL_NAMES, type LocalPipeline, prepareLocalPipeline } from '../../local/runner/local-pipeline.ts';
import { type PipelineLoop, startPipelineLoop } from '../../local/runner/pipeline-loop.ts';
import { createBucket } from '../../local/runner/resources.ts';
import { type LocalStack, startLocalStack } from '../../local/stack.ts';
import { loadAccounts, noticesOf, SAMPLE_TARIFF_IDS } from './helpers.ts';

/*
 * The operator function as the console invokes it, on the local stack: what it refuses and why, and a
 * run-drop carried to the end by the kept pipeline's loop (what `npm run demo -- --keep` runs).
 */

const generated = generateAccounts(3, { tariffIds: SAMPLE_TARIFF_IDS, seed: 11 });
const period = previousPeriod();

describe('operator commands on the local stack', () => {
  let stack: LocalStack;
  let pipeline: LocalPipeline;
  let operator: (event: unknown) => Promise<OperatorResponse>;

  beforeAll(async () => {
    stack = await startLocalStack({
      services: ['dynamodb', 's3', 'sqs', 'ses', 'sms', 'scheduler', 'secrets'],
    });
    process.env.POWERTOOLS_LOG_LEVEL = 'SILENT';
    pipeline = await prepareLocalPipeline(stack);
    await loadAccounts(
      pipeline,
      generated.map((g) => g.account),
    );
    const { handler } = await import('../../functions/operator/handler.ts');
    operator = async (event) => (await handler(event, lambdaContext('keybill-operator'))) as OperatorResponse;
  });

  afterAll(async () => {
    pipeline?.close();
    await stack?.stop();
  });

  describe('refusals: each answered ok:false, nothing run or stored', () => {
    it('refuses a drop that is not in the bucket, naming its key', async () => {
      const key = `drops/reads/${period}/never-dropped.csv`;
      const response = await operator({ command: 'run-drop', bucket: LOCAL_NAMES.bucket, key });
      expect(response).toMatchObject({
        ok: false,
        kind: 'refused',
        command: 'run-drop',
        refused: 'no-such-drop',
      });
      if (!response.ok) expect(response.error).toContain(`s3://${LOCAL_NAMES.bucket}/${key}`);
    });

    it('refuses another bucket, even one that holds the drop', async () => {
      await createBucket('someone-elses-bucket');
      const s3 = new S3Client({});
      const key = `drops/reads/${period}/reads.csv`;
      await s3.send(new PutObjectCommand({ Bucket: 'someone-elses-bucket', Key: key, Body: 'x' }));
      s3.destroy();
      const response = await operator({ command: 'run-drop', bucket: 'someone-elses-bucket', key });
      expect(response).toMatchObject({ ok: false, kind: 'refused', refused: 'wrong-bucket' });
    });

    it.each([
      ['climbing out with ../', 'drops/reads/../../rejects/x.csv'],
      ['from the top with a leading /', '/drops/reads/x.csv'],
      ['of 1 MB', `drops/reads/${'x'.repeat(1 << 20)}`],
      ['outside the drops', 'reports/key-accounts.csv'],
    ])('refuses a key %s as malformed', async (_what, key) => {
      const response = await operator({ command: 'run-drop', bucket: LOCAL_NAMES.bucket, key });
      expect(response).toMatchObject({ ok: false, kind: 'malformed' });
      if (!response.ok) expect(response.issues?.map((i) => i.path)).toEqual(['key']);
    });

    it('refuses a disconnection command for an account that does not exist, and applies nothing', async () => {
      const response = await operator({
        command: 'exempt-disconnection',
        accountId: '3100099999',
        by: '王经理',
        reason: 'hospital supply',
      });
      expect(response).toMatchObject({ ok: false, kind: 'refused', refused: 'no-such-account' });
      expect(await pipeline.stores.arrearsStates.getArrearsState('3100099999')).toBeUndefined();
    });

    it('refuses an exemption of an account without a disconnection plan (never looks applied)', async () => {
      const response = await operator({
        command: 'exempt-disconnection',
        accountId: generated[0]!.account.accountId,
        by: '王经理',
        reason: 'hospital supply',
      });
      expect(response).toMatchObject({ ok: false, kind: 'refused', refused: 'no-such-plan' });
    });

    it('left no run behind', async () => {
      for (const status of ['RUNNING', 'BILLING', 'SUCCEEDED', 'FAILED', 'REJECTED'] as const) {
        expect(await pipeline.stores.runs.listRunsByStatus(status)).toEqual([]);
      }
    });
  });

  it('runs a payment drop named to run-drop as a payment drop, as ingest-drop does', async () => {
    const accountId = generated[1]!.account.accountId;
    const key = 'drops/payments/2026-12-01.csv';
    const columns = ['payment_id', 'account_id', 'amount', 'paid_at'];
    const rows = [
      { payment_id: 'OP-1', account_id: accountId, amount: '100.00', paid_at: '2026-12-01T10:00:00+08:00' },
    ];
    await pipeline.putDrop(key, toCsv(rows, columns));
    const response = await operator({ command: 'run-drop', bucket: LOCAL_NAMES.bucket, key });
    expect(response).toMatchObject({
      ok: true,
      result: { outcome: 'processed', paymentsCreated: 1, rejected: 0 },
    });
    expect(await pipeline.stores.payments.listPayments(accountId)).toHaveLength(1);
  });

  describe('the kept pipeline', () => {
    let loop: PipelineLoop | undefined;
    afterAll(async () => {
      await loop?.stop();
    });

    it('bills a drop run by the operator and sends its previews, with nobody draining the queues', async () => {
      const errors: unknown[] = [];
      loop = startPipelineLoop(pipeline, { intervalMs: 200, onError: (e) => errors.push(e) });
      const key = `drops/reads/${period}/meter-reads-${period}.csv`;
      await pipeline.putDrop(key, toCsv(generateMeterReadRows(generated, period)));

      const response = await operator({ command: 'run-drop', bucket: LOCAL_NAMES.bucket, key });
      expect(response).toMatchObject({ ok: true, result: { outcome: 'billing', rejected: 0 } });
      const { runId } = (response as { result: { runId: string } }).result;

      await expect
        .poll(async () => (await pipeline.stores.runs.getRun(runId))?.status, {
          timeout: 60_000,
          interval: 250,
        })
        .toBe('SUCCEEDED');
      await expect
        .poll(
          async () => {
            const notices = await noticesOf(pipeline, generated);
            return notices.length > 0 && notices.every((n) => n.status === 'SENT');
          },
          { timeout: 60_000, interval: 250 },
        )
        .toBe(true);
      const run = await pipeline.stores.runs.getRun(runId);
      expect(run?.counts).toMatchObject({ accountsBilled: generated.length });
      expect((await stack.ses!.listEmails()).length).toBeGreaterThan(0);
      expect(errors).toEqual([]);
    });
  });
});
