import { mkdir, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { generateAccounts, generateMeterReadRows, toCsv } from '../../local/runner/fixtures.ts';
import { type LocalPipeline, prepareLocalPipeline } from '../../local/runner/local-pipeline.ts';
import { answerLinksIn } from '../../local/runner/simulated-answers.ts';
import { type LocalStack, startLocalStack } from '../../local/stack.ts';
import { findChromium, openPage } from './chromium-cdp.ts';
import { loadAccounts, SAMPLE_TARIFF_IDS } from './helpers.ts';

/*
 * The answer page as a customer's phone shows it: headless Chromium opens the "please call me" link of a
 * real preview email from the SES emulator, fills the form and presses the button; the follow-up appears
 * in the manager's worklist. Screenshots of both pages go to out/screenshots/. Needs the Debian package
 * `chromium` (and `fonts-noto-cjk` for the Chinese text).
 */

const SCREENSHOTS = join(fileURLToPath(new URL('../..', import.meta.url)), 'out', 'screenshots');
const PNG_SIGNATURE = Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]);
const generated = generateAccounts(1, { tariffIds: SAMPLE_TARIFF_IDS, seed: 21 });
const account = generated[0]!.account;

describe('the answer page in headless Chromium (local stack)', () => {
  let stack: LocalStack;
  let pipeline: LocalPipeline;
  let chromium: string | undefined;

  beforeAll(async () => {
    chromium = await findChromium();
    stack = await startLocalStack();
    process.env.POWERTOOLS_LOG_LEVEL = 'SILENT';
    pipeline = await prepareLocalPipeline(stack);
    await loadAccounts(pipeline, [account]);
    await pipeline.putDrop(
      'drops/reads/2026-10/reads.csv',
      toCsv(generateMeterReadRows(generated, '2026-10')),
    );
    await pipeline.deliverDrop('drops/reads/2026-10/reads.csv');
    await pipeline.planNotices();
    await pipeline.sendNotices();
    await mkdir(SCREENSHOTS, { recursive: true });
  });

  afterAll(async () => {
    pipeline?.close();
    await stack?.stop();
  });

  it('opens the link of a sent email, submits the form, and the follow-up is in the worklist', async (context) => {
    if (chromium === undefined) {
      const reason =
        'Chromium not found ($CHROMIUM_PATH if set, else /usr/bin/chromium and PATH); install `chromium`';
      if (process.env.CI) throw new Error(`${reason}: the answer page cannot be checked`);
      context.skip(reason);
      return;
    }
    const [email] = await stack.ses!.listEmails();
    const link = answerLinksIn(email?.body.html ?? '')['call-me'];
    expect(link).toBeDefined();

    const page = await openPage(chromium, link!);
    try {
      expect(await page.evaluate<number>('document.forms.length')).toBe(1);
      expect(await page.evaluate<string>('document.body.innerText')).toContain('请给我回电');
      const confirm = await page.screenshot();
      await writeFile(join(SCREENSHOTS, 'answer-page.confirm.png'), confirm);
      expect(confirm.subarray(0, 8).equals(PNG_SIGNATURE)).toBe(true);
      // Opening the page recorded nothing.
      expect(await pipeline.stores.followUps.listOpenFollowUps()).toHaveLength(0);

      await page.loadAfter(() =>
        page.evaluate(`(() => {
          document.querySelector('textarea[name=text]').value = '<b>请</b>解释需量合同建议';
          document.querySelector('input[name=preferredTime]').value = '周三下午';
          document.querySelector('form button').click();
          return true;
        })()`),
      );
      expect(
        await page.evaluate<string | null>(
          'document.querySelector("[data-outcome]")?.dataset.outcome ?? null',
        ),
      ).toBe('recorded');
      await writeFile(join(SCREENSHOTS, 'answer-page.recorded.png'), await page.screenshot());
    } finally {
      await page.close();
    }
    const [followUp] = await pipeline.stores.followUps.listOpenFollowUps();
    expect(followUp).toMatchObject({
      accountId: account.accountId,
      action: 'call-me',
      text: '<b>请</b>解释需量合同建议',
      preferredTime: '周三下午',
      managerId: account.accountManager.id,
    });
  });
});
