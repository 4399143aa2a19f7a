import type { Answer } from './answer.ts';
import { closedOnTime, type FollowUp, isOverdue } from './follow-up.ts';

/*
 * What the customers' answers say about the service, per account manager: satisfaction (average rating,
 * how many answered), the follow-ups opened, closed on time and overdue, and how soon customers answer.
 */

export interface AnswerKpis {
  managerId: string;
  responses: number;
  ratings: number;
  /** Average of the 1–5 ratings, two decimals; null without a rating. */
  averageRating: string | null;
  followUpsOpened: number;
  followUpsClosedOnTime: number;
  followUpsOverdue: number;
  /** Median minutes from a notice's send to its first answer; null when no answered notice has a send time. */
  medianMinutesToFirstResponse: number | null;
}

export function answerKpis(
  answers: readonly Answer[],
  followUps: readonly FollowUp[],
  nowMs: number,
): AnswerKpis[] {
  const managers = new Set([...answers.map((a) => a.managerId), ...followUps.map((f) => f.managerId)]);
  return [...managers].sort().map((managerId) => {
    const mine = answers.filter((a) => a.managerId === managerId);
    const ratings = mine.flatMap((a) => (a.rating === undefined ? [] : [a.rating]));
    const theirs = followUps.filter((f) => f.managerId === managerId);
    return {
      managerId,
      responses: new Set(mine.map((a) => a.noticeId)).size,
      ratings: ratings.length,
      // Integers summed, then one division rounded to two decimals: no binary-float drift to show.
      averageRating:
        ratings.length === 0
          ? null
          : (Math.round((ratings.reduce((s, r) => s + r, 0) * 100) / ratings.length) / 100).toFixed(2),
      followUpsOpened: theirs.length,
      followUpsClosedOnTime: theirs.filter(closedOnTime).length,
      followUpsOverdue: theirs.filter(
        (f) => isOverdue(f, nowMs) || (f.status === 'CLOSED' && !closedOnTime(f)),
      ).length,
      medianMinutesToFirstResponse: median(firstResponseMinutes(mine)),
    };
  });
}

function firstResponseMinutes(answers: readonly Answer[]): number[] {
  const first = new Map<string, Answer>();
  for (const answer of answers) {
    const seen = first.get(answer.noticeId);
    if (seen === undefined || answer.at < seen.at) first.set(answer.noticeId, answer);
  }
  return [...first.values()].flatMap((a) =>
    a.noticeSentAt === undefined
      ? []
      : [Math.max(0, Math.round((Date.parse(a.at) - Date.parse(a.noticeSentAt)) / 60_000))],
  );
}

function median(values: number[]): number | null {
  if (values.length === 0) return null;
  const sorted = [...values].sort((a, b) => a - b);
  const mid = Math.floor(sorted.length / 2);
  return sorted.length % 2 === 1 ? sorted[mid]! : Math.round((sorted[mid - 1]! + sorted[mid]!) / 2);
}
