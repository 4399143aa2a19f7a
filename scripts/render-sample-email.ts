/**
 * `npx tsx scripts/render-sample-email.ts`: renders the hand-built sample bill (test/unit/notify/fixtures.ts)
 * as a bill-preview email in both languages, to look at in a browser or screenshot:
 * out/sample-email.<lang>.html (+ .txt and the SMS text alongside).
 *
 *   --corrected   render the correction variant (banner, "Corrected" subject)
 */
import { mkdir, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import { renderBillPreviewEmail, renderBillPreviewSms } from '#notify/index.ts';
import { SAMPLE_HISTORY, sampleAccount, sampleBill } from '../test/unit/notify/fixtures.ts';

const { values } = parseArgs({ options: { corrected: { type: 'boolean', default: false } } });
const OUT = 'out';

await mkdir(OUT, { recursive: true });
const bill = sampleBill();
const account = sampleAccount();
for (const language of ['zh-CN', 'en'] as const) {
  const email = renderBillPreviewEmail({
    bill,
    account,
    language,
    history: SAMPLE_HISTORY,
    corrected: values.corrected,
    version: values.corrected ? 2 : 1,
  });
  const sms = renderBillPreviewSms({ bill, account, language, corrected: values.corrected });
  const base = join(OUT, `sample-email.${language}`);
  await writeFile(`${base}.html`, email.html);
  await writeFile(`${base}.txt`, `Subject: ${email.subject}\n\n${email.text}`);
  await writeFile(join(OUT, `sample-sms.${language}.txt`), `${sms.text}\n`);
  console.log(`${base}.html  subject: ${email.subject}`);
  console.log(`  SMS (${sms.encoding}, ${sms.segments} part${sms.segments === 1 ? '' : 's'}): ${sms.text}`);
}
