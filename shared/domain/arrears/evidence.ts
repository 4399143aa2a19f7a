import { createHash } from 'node:crypto';
import type { Account } from '../account.ts';
import { instantMs } from '../calendar/index.ts';
import { dec } from '../money.ts';
import type { Language } from '../primitives.ts';
import { canonicalAddress, type RecipientKeyOf } from '../recipient-key.ts';
import { type AccountLedger, openBalanceAt, penaltyOpenAt } from './ledger/index.ts';
import {
  type ArrearsChannel,
  type ArrearsMessageKind,
  type ArrearsMessageModel,
  type RecipientRole,
  renderArrearsMessage,
} from './messages.ts';
import { type ArrearsPolicy, approverFor, DEFAULT_ARREARS_POLICY } from './policy.ts';

/*
 * A warning is a message to one recipient on one channel, with the evidence of what was said: who
 * (account, recipient and role), what (kind, level, amounts), when (send time), how (channel), and the
 * SHA-256 of the exact text. The account manager is copied on every warning; the authority on the
 * disconnection messages of an important customer.
 */

export type WarningLevel = 'reminder' | 'overdue-notice' | 'payment-demand' | 'disconnection-notice';
export const WARNING_LEVELS: readonly WarningLevel[] = [
  'reminder',
  'overdue-notice',
  'payment-demand',
  'disconnection-notice',
];

export interface WarningRecipient {
  role: RecipientRole;
  name: string;
  /** Email address or phone number as held on the account or policy. */
  address: string;
  language: Language;
}

export interface ArrearsWarning {
  /** Natural key: one warning per (scope, kind, channel, recipient), however often the scan runs. */
  warningId: string;
  kind: ArrearsMessageKind;
  /** The ladder level the warning belongs to (null for the final reminder and confirmations). */
  level: WarningLevel | null;
  accountId: string;
  billIds: string[];
  planId?: string;
  planRevision?: number;
  recipient: WarningRecipient;
  channel: ArrearsChannel;
  /** When the warning is to be sent (the scan, payment or command instant that produced it). */
  sendAt: string;
  amounts: { arrears: string; penalty: string; asOf: string };
  disconnectAt?: string;
  subject: string | null;
  text: string;
  /** SHA-256 (hex) of `text`, UTF-8. */
  textSha256: string;
  policyId: string;
}

/** Kinds a customer receives whatever their opt-outs: the legal steps before a disconnection. */
const MANDATORY_KINDS: ReadonlySet<ArrearsMessageKind> = new Set([
  'payment-demand',
  'disconnection-notice',
  'disconnection-reminder',
]);

/** Kinds that have no purpose once the arrears they are about are cleared. */
const CLEARED_BY_PAYMENT: ReadonlySet<ArrearsMessageKind> = new Set([
  'reminder',
  'overdue-notice',
  'payment-demand',
  'disconnection-notice',
  'disconnection-reminder',
  'approval-request',
  'approval-reminder',
  'delivery-escalation',
]);

/** Kinds also addressed to the authority when the account is important. */
const AUTHORITY_KINDS: ReadonlySet<ArrearsMessageKind> = new Set([
  'disconnection-notice',
  'disconnection-cancelled',
  'supply-restoration',
]);

export const LEVEL_OF_KIND: Partial<Record<ArrearsMessageKind, WarningLevel>> = {
  reminder: 'reminder',
  'overdue-notice': 'overdue-notice',
  'payment-demand': 'payment-demand',
  'disconnection-notice': 'disconnection-notice',
};

export function warningRecipients(
  account: Account,
  kind: ArrearsMessageKind,
  policy: ArrearsPolicy,
  options: { customers?: boolean; authority?: boolean; only?: 'approver' | 'account-manager' } = {},
): { recipient: WarningRecipient; channel: ArrearsChannel }[] {
  const out = new Map<string, { recipient: WarningRecipient; channel: ArrearsChannel }>();
  if (options.only === 'approver') {
    const approver = approverFor(policy, account.accountManager.id);
    return [
      {
        channel: 'email',
        recipient: {
          role: 'approver',
          name: approver.name,
          address: approver.email,
          language: policy.internalLanguage,
        },
      },
    ];
  }
  const add = (channel: ArrearsChannel, recipient: WarningRecipient) => {
    const key = `${recipient.role}#${channel}#${canonicalAddress(channel, recipient.address)}`;
    if (!out.has(key)) out.set(key, { recipient, channel });
  };
  if (options.customers !== false && options.only === undefined) {
    const mandatory = MANDATORY_KINDS.has(kind);
    for (const contact of account.contacts) {
      const language = contact.language ?? account.language;
      if (contact.email !== undefined && (mandatory || contact.optOut?.email !== true)) {
        add('email', { role: 'customer', name: contact.name, address: contact.email, language });
      }
      if (contact.phone !== undefined && (mandatory || contact.optOut?.sms !== true)) {
        add('sms', { role: 'customer', name: contact.name, address: contact.phone, language });
      }
    }
  }
  const m = account.accountManager;
  add('email', {
    role: 'account-manager',
    name: m.name,
    address: m.email,
    language: policy.internalLanguage,
  });
  if (
    account.important &&
    AUTHORITY_KINDS.has(kind) &&
    options.authority !== false &&
    options.only === undefined
  ) {
    add('email', {
      role: 'authority',
      name: 'power administration authority',
      address: policy.authorityEmail,
      language: policy.internalLanguage,
    });
  }
  return [...out.values()];
}

export const sha256Hex = (text: string): string => createHash('sha256').update(text, 'utf8').digest('hex');

/** Renders a message model for every recipient and wraps each with its evidence. */
export function buildWarnings(input: {
  account: Account;
  model: ArrearsMessageModel;
  /** billId for ladder warnings, `${planId}#r${revision}` for plan messages. */
  scope: string;
  billIds: string[];
  sendAt: string;
  policy: ArrearsPolicy;
  plan?: { planId: string; revision: number };
  customers?: boolean;
  authority?: boolean;
  only?: 'approver' | 'account-manager';
  /** Names the recipient in the warning id (and so in its notice id) without the address. */
  recipientKeyOf: RecipientKeyOf;
}): ArrearsWarning[] {
  const { account, model, policy } = input;
  return warningRecipients(account, model.kind, policy, {
    ...(input.customers === undefined ? {} : { customers: input.customers }),
    ...(input.authority === undefined ? {} : { authority: input.authority }),
    ...(input.only === undefined ? {} : { only: input.only }),
  }).map(({ recipient, channel }) => {
    const rendered = renderArrearsMessage(model, { ...recipient, channel });
    return {
      warningId: `${input.scope}#${model.kind}#${channel}#${recipient.role}#${input.recipientKeyOf(channel, recipient.address)}`,
      kind: model.kind,
      level: LEVEL_OF_KIND[model.kind] ?? null,
      accountId: account.accountId,
      billIds: input.billIds,
      ...(input.plan === undefined ? {} : { planId: input.plan.planId, planRevision: input.plan.revision }),
      recipient,
      channel,
      sendAt: input.sendAt,
      amounts: { arrears: model.arrears, penalty: model.penalty, asOf: model.asOf },
      ...(model.disconnectAt === undefined ? {} : { disconnectAt: model.disconnectAt }),
      subject: rendered.subject,
      text: rendered.text,
      textSha256: sha256Hex(rendered.text),
      policyId: policy.policyId,
    };
  });
}

/**
 * For a sender about to send a queued warning: false when its bills have been cleared since it was
 * planned (a confirmation is always still valid).
 */
export function isWarningStillDue(ledger: AccountLedger, warning: ArrearsWarning, at: string): boolean {
  if (!CLEARED_BY_PAYMENT.has(warning.kind)) return true;
  const ms = instantMs(at);
  const rates = ledger.penalty?.rates ?? DEFAULT_ARREARS_POLICY.penalty;
  return warning.billIds.some(
    (id) =>
      ledger.bills.some((b) => b.billId === id) &&
      (dec(openBalanceAt(ledger, id, ms)).gt(0) || dec(penaltyOpenAt(ledger, id, ms, rates)).gt(0)),
  );
}
