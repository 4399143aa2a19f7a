import { execFile } from 'node:child_process';
import { mkdir, mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { promisify } from 'node:util';
import { beforeAll, describe, expect, it } from 'vitest';
import type { Account } from '#domain/account.ts';
import type { BillDocument } from '#domain/bill.ts';
import { billSummary, computeBill, SAMPLE_TARIFFS } from '#domain/billing/index.ts';
import { MeterReadRowSchema } from '#domain/meter-read.ts';
import type { Language } from '#domain/primitives.ts';
import { renderBillPreviewEmail } from '#notify/index.ts';
import { generateAccounts, generateMeterReadRows } from '../../local/runner/fixtures.ts';
import { findChromium } from './chromium-cdp.ts';

/*
 * The bill-preview email as a customer's mail client would draw it: rendered by headless Chromium from
 * the HTML the sender produces, saved under out/screenshots/ for a person to look at. Needs the Debian
 * packages `chromium` and `fonts-noto-cjk` (without the fonts Chinese text draws as boxes).
 */

const REPO_ROOT = fileURLToPath(new URL('../..', import.meta.url));
const SCREENSHOTS = join(REPO_ROOT, 'out', 'screenshots');
const PNG_SIGNATURE = Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]);
const WIDTH = 420;
const HEIGHT = 2400;
const PERIODS = ['2026-05', '2026-06', '2026-07', '2026-08', '2026-09', '2026-10'] as const;

/** Whether fontconfig knows a font with Chinese glyphs; undefined when fc-list is not there to ask. */
async function hasChineseFont(): Promise<boolean | undefined> {
  try {
    const { stdout } = await promisify(execFile)('fc-list', [':lang=zh-cn', 'family'], { timeout: 10_000 });
    return stdout.trim() !== '';
  } catch {
    return undefined;
  }
}

const [generated] = generateAccounts(1, {
  seed: 7,
  tariffIds: [...new Set(SAMPLE_TARIFFS.map((t) => t.tariffId))],
}) as [ReturnType<typeof generateAccounts>[number]];

/** Six months of bills of one account, each compared with the ones before, as the pipeline computes them. */
function billsOf(account: Account): BillDocument[] {
  const bills: BillDocument[] = [];
  for (const [i, period] of PERIODS.entries()) {
    const reads = generateMeterReadRows([{ ...generated, account }], period, { seed: 100 + i }).map((cells) =>
      MeterReadRowSchema.parse(cells),
    );
    bills.push(
      computeBill({
        account,
        tariffs: SAMPLE_TARIFFS,
        reads,
        period,
        history: bills.map(billSummary).reverse(),
      }),
    );
  }
  return bills;
}

async function screenshot(chromium: string, html: string, png: string): Promise<void> {
  const htmlFile = png.replace(/\.png$/, '.html');
  await writeFile(htmlFile, html);
  // A fresh profile per run: no state, no first-run UI, nothing shared with another Chromium.
  const profile = await mkdtemp(join(tmpdir(), 'keybill-chromium-'));
  try {
    await rm(png, { force: true });
    await promisify(execFile)(
      chromium,
      [
        '--headless',
        '--no-sandbox',
        '--disable-gpu',
        '--disable-quic',
        '--no-first-run',
        '--disable-background-networking',
        '--disable-component-update',
        '--disable-sync',
        '--hide-scrollbars',
        `--user-data-dir=${profile}`,
        `--window-size=${WIDTH},${HEIGHT}`,
        `--screenshot=${png}`,
        pathToFileURL(htmlFile).href,
      ],
      { timeout: 60_000, maxBuffer: 4 * 1024 * 1024 },
    );
  } finally {
    await rm(profile, { recursive: true, force: true });
  }
}

describe('bill-preview email drawn by headless Chromium', () => {
  let chromium: string | undefined;

  beforeAll(async () => {
    chromium = await findChromium();
    await mkdir(SCREENSHOTS, { recursive: true });
  });

  it.for<[Language, string]>([
    ['zh-CN', '电费明细'],
    ['en', 'Bill details'],
  ])(
    'saves out/screenshots/bill-preview.%s.png, a PNG of the rendered email',
    async ([language, heading], context) => {
      if (chromium === undefined) {
        const reason =
          'Chromium not found ($CHROMIUM_PATH if set, else /usr/bin/chromium and PATH); install the Debian packages `chromium fonts-noto-cjk`';
        if (process.env.CI) throw new Error(`${reason}: the email screenshot cannot be taken`);
        console.warn(`skipping the email screenshot: ${reason}`);
        context.skip(reason);
        return;
      }
      if (language === 'zh-CN' && (await hasChineseFont()) === false) {
        const problem =
          'no font with Chinese glyphs (Debian `fonts-noto-cjk`): the zh-CN screenshot shows boxes';
        if (process.env.CI) throw new Error(problem);
        console.warn(problem);
      }
      const account: Account = { ...generated.account, language };
      const bills = billsOf(account);
      const bill = bills.at(-1)!;
      const email = renderBillPreviewEmail({
        bill,
        account,
        language,
        history: bills.map(billSummary),
        version: 1,
      });
      expect(email.html).toContain(heading);

      const png = join(SCREENSHOTS, `bill-preview.${language}.png`);
      await screenshot(chromium, email.html, png);

      const image = await readFile(png);
      expect(image.subarray(0, 8).equals(PNG_SIGNATURE), 'PNG signature').toBe(true);
      // IHDR: width and height are the first two fields of the first chunk.
      expect([image.readUInt32BE(16), image.readUInt32BE(20)]).toEqual([WIDTH, HEIGHT]);
      // A blank or error page compresses to a few KB; a drawn bill with text and a chart does not.
      expect(image.length).toBeGreaterThan(20 * 1024);
    },
  );
});
