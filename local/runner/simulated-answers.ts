import type { FollowUp } from '#domain/answers/index.ts';
import { worklist } from '#services/answers/follow-up-commands.ts';
import type { LocalStack } from '../stack.ts';
import type { LocalPipeline } from './local-pipeline.ts';

/*
 * Customers answering their previews, as a person would: the links are taken from the emails in the SES
 * emulator, opened (GET: the page), and confirmed (POST: the form). Then the table stream carries the
 * answers on (review marks, evidence, the managers' emails) and the notices queue sends those emails.
 */

/** The answer links of an email's HTML, by action (the `data-answer` of each link). */
export function answerLinksIn(html: string): Record<string, string> {
  const links: Record<string, string> = {};
  for (const match of html.matchAll(/<a href="([^"]+)" data-answer="([a-z-]+)"/g)) {
    links[match[2]!] = match[1]!.replaceAll('&amp;', '&');
  }
  return links;
}

/** Opens a link (GET) and confirms it (POST of the form), as a browser does; answers the POST's page. */
export async function answerLink(
  url: string,
  form: Record<string, string> = {},
): Promise<{ status: number; html: string }> {
  const page = await fetch(url);
  await page.text();
  const posted = await fetch(url, {
    method: 'POST',
    headers: { 'content-type': 'application/x-www-form-urlencoded' },
    body: new URLSearchParams(form).toString(),
  });
  return { status: posted.status, html: await posted.text() };
}

export interface SimulatedAnswers {
  answersRecorded: number;
  followUpsOpened: number;
  worklist: (FollowUp & { overdue: boolean })[];
}

/** One rating, one "please call me" and one receipt confirmation, from three different previews. */
export async function simulateAnswers(
  stack: LocalStack,
  pipeline: LocalPipeline,
  period: string,
): Promise<SimulatedAnswers> {
  const previews = (await stack.ses!.listEmails()).filter(
    (e) => answerLinksIn(e.body.html ?? '').rate !== undefined,
  );
  const [first, second, third] = previews.map((e) => answerLinksIn(e.body.html ?? ''));
  if (first?.rate !== undefined)
    await answerLink(first.rate, { rating: '5', comment: '账单清楚，建议很有用。' });
  if (second?.['call-me'] !== undefined)
    await answerLink(second['call-me'], {
      text: '想了解需量合同调整的建议。',
      preferredTime: '工作日下午 2 点后',
    });
  if (third?.received !== undefined) await answerLink(third.received);
  // The stream carries the answers on; the managers' emails go out.
  await pipeline.planNotices();
  await pipeline.sendNotices();
  const month = new Date().toISOString().slice(0, 7);
  const answers = await pipeline.stores.answers.listAnswersOfMonth(month);
  const followUps = await pipeline.stores.followUps.listFollowUpsOpenedInMonth(month);
  void period;
  return {
    answersRecorded: answers.length,
    followUpsOpened: followUps.length,
    worklist: worklist(await pipeline.stores.followUps.listOpenFollowUps(), Date.now()),
  };
}
