import {
  mayResendWhenUncertain,
  type NoticeChannel,
  type NoticeKind,
  type NoticeStatus,
  type StoredNotice,
} from '#domain/notices.ts';

/*
 * The fault suite's counting, pure: the notices a scenario planned (as stored at the end) and the messages
 * the providers received (the SES emulator, the SMS recorder) → expected / sent / lost / duplicated, and
 * which duplicates the sending policy allowed. No addresses in what it returns: a reason names the notice's
 * kind, channel and account.
 */

export interface PlannedNotice {
  noticeId: string;
  kind: NoticeKind;
  accountId: string;
  channel: NoticeChannel;
  /** The address as the notice holds it (an email address, or a phone number national or E.164). */
  recipient: string;
  status: NoticeStatus;
  /** Sends repeated after an uncertain one, as counted on the notice. */
  uncertainResends?: number;
}

export interface ReceivedMessage {
  channel: NoticeChannel;
  /** The address the provider received the message for. */
  recipient: string;
}

export interface DeliveryFigures {
  /** Notices planned. */
  expected: number;
  /** Messages received for a planned recipient (every copy). */
  sent: number;
  /** Planned notices that reached no one and whose final state does not say why (FAILED, SUPPRESSED). */
  lost: number;
  /** Planned notices that reached no one and ended FAILED (a permanent refusal, recorded). */
  failed: number;
  /** Copies beyond one per notice. */
  duplicated: number;
  /** Duplicates the policy allows: resends of a kind resent when uncertain, counted on the notice. */
  allowedDuplicates: number;
  unexplainedDuplicates: number;
  /** Messages received for a recipient no notice planned. */
  unplanned: number;
  /** Why each allowed duplicate was allowed, one line per notice. */
  allowedBecause: string[];
}

/** States that explain a notice no one received: recorded, visible to an operator. */
const EXPLAINED_UNSENT: ReadonlySet<NoticeStatus> = new Set(['FAILED', 'SUPPRESSED']);

/** One key per recipient: emails compare case-insensitively, phone numbers by their national digits. */
export function recipientKey(channel: NoticeChannel, address: string): string {
  if (channel === 'email') return `email:${address.trim().toLowerCase()}`;
  const digits = address.replace(/\D/g, '');
  const national = digits.length === 13 && digits.startsWith('86') ? digits.slice(2) : digits;
  return `sms:${national}`;
}

export function countDeliveries(
  notices: readonly PlannedNotice[],
  received: readonly ReceivedMessage[],
): DeliveryFigures {
  const copies = new Map<string, number>();
  for (const message of received) {
    const key = recipientKey(message.channel, message.recipient);
    copies.set(key, (copies.get(key) ?? 0) + 1);
  }
  const byRecipient = new Map<string, PlannedNotice[]>();
  for (const notice of notices) {
    const key = recipientKey(notice.channel, notice.recipient);
    byRecipient.set(key, [...(byRecipient.get(key) ?? []), notice]);
  }
  const figures: DeliveryFigures = {
    expected: notices.length,
    sent: 0,
    lost: 0,
    failed: 0,
    duplicated: 0,
    allowedDuplicates: 0,
    unexplainedDuplicates: 0,
    unplanned: 0,
    allowedBecause: [],
  };
  for (const [key, count] of copies) if (!byRecipient.has(key)) figures.unplanned += count;
  for (const [key, group] of byRecipient) {
    const got = copies.get(key) ?? 0;
    figures.sent += got;
    // Notices of one recipient are told apart by state only: the copies reach the first ones.
    const unreached = group.length - Math.min(got, group.length);
    const unsent = [...group].sort((a, b) => rankUnsent(a) - rankUnsent(b)).slice(0, unreached);
    for (const notice of unsent) {
      if (notice.status === 'FAILED') figures.failed++;
      else if (!EXPLAINED_UNSENT.has(notice.status)) figures.lost++;
    }
    const extra = Math.max(0, got - group.length);
    figures.duplicated += extra;
    let allowed = 0;
    for (const notice of group) {
      const resends = mayResendWhenUncertain(notice.kind, notice.channel)
        ? (notice.uncertainResends ?? 0)
        : 0;
      const take = Math.min(resends, extra - allowed);
      if (take <= 0) continue;
      allowed += take;
      figures.allowedBecause.push(
        `${notice.kind} ${notice.channel} of account ${notice.accountId}: ${take} resend(s) after an UNCERTAIN send ` +
          `(the provider may have accepted it; policy resends a ${notice.kind} by ${notice.channel} once, counted on the notice), now ${notice.status}`,
      );
    }
    figures.allowedDuplicates += allowed;
    figures.unexplainedDuplicates += extra - allowed;
  }
  return figures;
}

/** FAILED and SUPPRESSED notices are the ones that explain a missing copy: they take it first. */
const rankUnsent = (notice: PlannedNotice): number => (EXPLAINED_UNSENT.has(notice.status) ? 0 : 1);

/** What the counting needs of a stored notice (its address stays inside the suite). */
export const plannedNotice = (n: StoredNotice): PlannedNotice => ({
  noticeId: n.noticeId,
  kind: n.kind,
  accountId: n.accountId,
  channel: n.channel,
  recipient: n.recipient.address,
  status: n.status,
  ...(n.uncertainResends === undefined ? {} : { uncertainResends: n.uncertainResends }),
});

const KINDS: [NoticeKind, string][] = [
  ['bill-preview', 'previews'],
  ['arrears-warning', 'warnings'],
];

/**
 * The figures per scenario and kind (`faults.<scenario>.<kind>{Expected,Sent,Lost,Failed,Duplicated,
 * AllowedDuplicates}`), then the totals (`faults.expected`, `faults.lost`…), each recipient in the scenario
 * `scenarioOf` names for its key; and one printable line each, with why each duplicate was allowed.
 */
export function scenarioFigures(
  planned: readonly PlannedNotice[],
  received: readonly ReceivedMessage[],
  scenarioOf: (recipientKey: string) => string | undefined,
  scenarios: readonly string[],
): { figures: Record<string, number>; lines: string[] } {
  const figures: Record<string, number> = {};
  const lines: string[] = [];
  for (const scenario of scenarios) {
    for (const [kind, label] of KINDS) {
      const mine = planned.filter(
        (n) => n.kind === kind && scenarioOf(recipientKey(n.channel, n.recipient)) === scenario,
      );
      if (mine.length === 0) continue;
      const keys = new Set(mine.map((n) => recipientKey(n.channel, n.recipient)));
      const f = countDeliveries(
        mine,
        received.filter((m) => keys.has(recipientKey(m.channel, m.recipient))),
      );
      const prefix = `faults.${scenario}.${label}`;
      Object.assign(figures, {
        [`${prefix}Expected`]: f.expected,
        [`${prefix}Sent`]: f.sent,
        [`${prefix}Lost`]: f.lost,
        [`${prefix}Failed`]: f.failed,
        [`${prefix}Duplicated`]: f.duplicated,
        [`${prefix}AllowedDuplicates`]: f.allowedDuplicates,
      });
      lines.push(
        `  ${scenario} ${label}: expected ${f.expected}, sent ${f.sent}, lost ${f.lost}, failed ${f.failed}, ` +
          `duplicated ${f.duplicated} (${f.allowedDuplicates} allowed by policy, ${f.unexplainedDuplicates} unexplained)`,
        ...f.allowedBecause.map((because) => `    allowed: ${because}`),
      );
    }
  }
  const all = countDeliveries(planned, received);
  lines.push(
    `  all: expected ${all.expected}, sent ${all.sent}, lost ${all.lost}, failed ${all.failed}, duplicated ${all.duplicated}, unplanned ${all.unplanned}`,
  );
  Object.assign(figures, {
    'faults.expected': all.expected,
    'faults.sent': all.sent,
    'faults.lost': all.lost,
    'faults.failed': all.failed,
    'faults.duplicated': all.duplicated,
    'faults.allowedDuplicates': all.allowedDuplicates,
    'faults.unexplainedDuplicates': all.unexplainedDuplicates,
    'faults.unplanned': all.unplanned,
  });
  return { figures, lines };
}
