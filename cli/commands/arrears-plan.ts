/**
 * Offline arrears what-if: replays the daily arrears scan over a window from files, with no AWS, and
 * prints every warning it would send, every planned disconnection, cancellation and confirmation.
 *
 *   npm run cli -- arrears-plan --accounts accounts.json --bills bills.json --payments payments.csv \
 *     --from 2026-11-01 --to 2026-12-31 [--policy policy.json] [--events events.json] [--json]
 *
 * `--events` holds what an operator does and what providers report ({ "events": [...] }, JSON Schema in
 * docs/schemas/arrears-events.schema.json); `--approvals` (the older file of approvals only) still works.
 *
 * Exit codes: 0 done; 1 done, but payment rows were rejected or commands refused; 2 unusable input.
 */
import { createReadStream } from 'node:fs';
import { z } from 'zod';
import { AccountFileSchema } from '#domain/account.ts';
import {
  ArrearsBillFileSchema,
  type ArrearsPolicy,
  ArrearsPolicySchema,
  DEFAULT_ARREARS_POLICY,
  DisconnectionApprovalSchema,
  formatYuanAmount,
  type ReplayResult,
  replayArrears,
  WhatIfEventFileSchema,
} from '#domain/arrears/index.ts';
import { isIsoDate } from '#domain/calendar/index.ts';
import type { PaymentRow } from '#domain/payment.ts';
import { DropFileError, PAYMENT_FEED, readDrop } from '#ingest/index.ts';
import { CliError, type CliIo, defineCommand, readJsonFile } from '../command.ts';

export const arrearsPlanCli = defineCommand(
  'arrears-plan',
  {
    accounts: { type: 'string' },
    bills: { type: 'string' },
    payments: { type: 'string' },
    from: { type: 'string' },
    to: { type: 'string' },
    policy: { type: 'string' },
    approvals: { type: 'string' },
    events: { type: 'string' },
    json: { type: 'boolean', default: false },
  },
  ({ values, need }, io) =>
    arrearsPlanCommand(
      {
        accounts: need('accounts'),
        bills: need('bills'),
        payments: need('payments'),
        from: need('from'),
        to: need('to'),
        json: values.json,
        ...(values.policy === undefined ? {} : { policy: values.policy }),
        ...(values.approvals === undefined ? {} : { approvals: values.approvals }),
        ...(values.events === undefined ? {} : { events: values.events }),
      },
      io,
    ),
);

export interface ArrearsPlanArgs {
  accounts: string;
  bills: string;
  payments: string;
  from: string;
  to: string;
  json: boolean;
  /** Arrears policy document; the spec's defaults when absent. */
  policy?: string;
  /** `{ approvals: [{ accountId, approvedBy, approvedAt, planId? }] }`. */
  approvals?: string;
  /** `{ events: [...] }`: operator commands and delivery outcomes (WhatIfEventSchema). */
  events?: string;
}

const ApprovalFileSchema = z.object({ approvals: z.array(DisconnectionApprovalSchema) });

export async function arrearsPlanCommand(
  args: ArrearsPlanArgs,
  io: CliIo = { stdout: process.stdout, stderr: process.stderr },
): Promise<number> {
  try {
    for (const [name, value] of [
      ['from', args.from],
      ['to', args.to],
    ] as const) {
      if (!isIsoDate(value ?? '')) throw new CliError(`arrears-plan: --${name} must be a date YYYY-MM-DD`);
    }
    if (args.to < args.from) throw new CliError('arrears-plan: --to is before --from');
    const accounts = (await readJsonFile(args.accounts, AccountFileSchema)).accounts;
    const bills = (await readJsonFile(args.bills, ArrearsBillFileSchema)).bills;
    const policy: ArrearsPolicy =
      args.policy === undefined
        ? DEFAULT_ARREARS_POLICY
        : await readJsonFile(args.policy, ArrearsPolicySchema);
    const approvals =
      args.approvals === undefined ? [] : (await readJsonFile(args.approvals, ApprovalFileSchema)).approvals;
    const events =
      args.events === undefined ? [] : (await readJsonFile(args.events, WhatIfEventFileSchema)).events;

    const payments: PaymentRow[] = [];
    let rejected = 0;
    for await (const item of readDrop(
      { fileName: args.payments, body: createReadStream(args.payments) },
      PAYMENT_FEED,
    )) {
      if (item.kind === 'row') {
        payments.push(item.row);
      } else {
        rejected++;
        io.stderr.write(
          `${args.payments}: row ${item.rowNumber} (line ${item.line})${item.column ? `, column ${item.column}` : ''}: ${item.reason}\n`,
        );
      }
    }

    const result = replayArrears({
      accounts,
      bills,
      payments,
      from: args.from,
      to: args.to,
      policy,
      approvals,
      events,
    });
    io.stdout.write(args.json ? `${JSON.stringify(result, null, 2)}\n` : formatReplayTable(result));
    for (const r of result.rejectedCommands) {
      io.stderr.write(
        `${args.events ?? args.approvals ?? 'command'}: ${r.command.command} for ${r.command.accountId}: ${r.error}\n`,
      );
    }
    return rejected > 0 || result.rejectedCommands.length > 0 ? 1 : 0;
  } catch (error) {
    if (error instanceof CliError || error instanceof DropFileError) {
      io.stderr.write(`error: ${error.message}\n`);
      return 2;
    }
    const code = (error as NodeJS.ErrnoException).code;
    if (code === 'ENOENT' || code === 'EACCES' || code === 'EISDIR') {
      io.stderr.write(`error: ${(error as Error).message}\n`);
      return 2;
    }
    throw error;
  }
}

function table(header: string[], rows: string[][]): string {
  const widths = header.map((h, i) => Math.max(width(h), ...rows.map((r) => width(r[i] ?? ''))));
  const line = (cells: string[]) =>
    cells
      .map((c, i) => c + ' '.repeat(widths[i]! - width(c)))
      .join('  ')
      .trimEnd();
  return [line(header), line(widths.map((w) => '-'.repeat(w))), ...rows.map(line)].join('\n');
}

/** Display width: CJK characters take two columns in a terminal. */
function width(text: string): number {
  let w = 0;
  for (const ch of text)
    w +=
      /[\u1100-\u115f\u2e80-\ua4cf\uac00-\ud7a3\uf900-\ufaff\ufe30-\ufe4f\uff00-\uff60\uffe0-\uffe6]/u.test(
        ch,
      )
        ? 2
        : 1;
  return w;
}

/** A readable report of a replay for an operator's terminal. */
export function formatReplayTable(result: ReplayResult): string {
  const out: string[] = [`Arrears replay ${result.from} … ${result.to} (policy ${result.policyId})`, ''];
  const warningRows = [...result.notices, ...result.confirmations]
    .sort((a, b) => (a.sendAt < b.sendAt ? -1 : a.sendAt > b.sendAt ? 1 : 0))
    .map((w) => [
      w.sendAt.replace('T', ' ').slice(0, 16),
      w.accountId,
      w.kind,
      w.recipient.role,
      w.channel,
      formatYuanAmount(w.amounts.arrears),
      formatYuanAmount(w.amounts.penalty),
      w.disconnectAt === undefined ? '' : w.disconnectAt.replace('T', ' ').slice(0, 16),
    ]);
  out.push(`Messages (${warningRows.length})`);
  out.push(
    warningRows.length === 0
      ? '  none'
      : table(
          ['send at', 'account', 'kind', 'to', 'channel', 'owed', 'penalty', 'disconnection'],
          warningRows,
        ),
  );
  out.push('', `Planned disconnections (${result.disconnections.length})`);
  out.push(
    result.disconnections.length === 0
      ? '  none'
      : table(
          ['plan', 'rev', 'notice at', 'reminder at', 'disconnect at', 'outcome', 'lead counted from'],
          result.disconnections.map((d) => [
            d.planId,
            String(d.revision),
            d.noticeAt.replace('T', ' ').slice(0, 16),
            d.reminderAt.replace('T', ' ').slice(0, 16),
            d.disconnectAt.replace('T', ' ').slice(0, 16),
            d.outcome,
            d.countedFrom === undefined
              ? '-'
              : `${d.countedFrom.channel} ${d.countedFrom.at.replace('T', ' ').slice(0, 16)} (${d.countedFrom.source})`,
          ]),
        ),
  );
  const confirmedDays = result.disconnections.filter((d) => d.workingDayConfirmedBy !== undefined);
  if (confirmedDays.length > 0) {
    out.push(
      '',
      'Working days confirmed by an operator (beyond the official calendar, not checked against it)',
    );
    for (const d of confirmedDays)
      out.push(
        `  ${d.planId} r${d.revision}: ${d.disconnectAt.slice(0, 10)} confirmed by ${d.workingDayConfirmedBy}`,
      );
  }
  if (result.cancellations.length > 0) {
    out.push('', `Cancellations (${result.cancellations.length})`);
    out.push(
      table(
        ['at', 'plan', 'reason', 'cancelled steps'],
        result.cancellations.map((c) => [
          c.at.replace('T', ' ').slice(0, 16),
          c.planId,
          c.reason,
          c.cancelledSteps.map((s) => s.step).join(', ') || '-',
        ]),
      ),
    );
  }
  const waitingForCalendar = result.plans.filter((p) => p.status === 'awaiting-calendar');
  if (waitingForCalendar.length > 0) {
    out.push('', 'Waiting for an operator (the official calendar does not cover the day yet)');
    for (const p of waitingForCalendar) out.push(`  ${p.planId}: ${p.billIds.join(', ')}`);
  }
  if (result.awaitingApproval.length > 0) {
    out.push('', 'Awaiting approval (no notice is sent until a manager approves)');
    for (const p of result.awaitingApproval)
      out.push(`  ${p.planId} since ${p.createdAt}: ${p.billIds.join(', ')}`);
  }
  out.push('', `Bills on ${result.to}`);
  const billRows = result.accounts.flatMap((a) =>
    a.bills.map((b) => [
      b.billId,
      b.dueDate,
      formatYuanAmount(b.amount),
      formatYuanAmount(b.open),
      formatYuanAmount(b.penalty),
      b.level ?? '-',
    ]),
  );
  out.push(
    billRows.length === 0
      ? '  none'
      : table(['bill', 'due', 'amount', 'open', 'penalty', 'level reached'], billRows),
  );
  if (result.findings.length > 0) {
    out.push('', 'Findings');
    for (const f of result.findings) out.push(`  ${f.code}: ${f.message}`);
  }
  return `${out.join('\n')}\n`;
}
