import {
  type AnswerAction,
  actionsFor,
  checkLinkToken,
  parseLinkToken,
  SMS_CODE_SHAPE,
  smsLinkCode,
} from '#domain/answers/index.ts';
import type { StoredNotice } from '#domain/notices.ts';
import { keyById } from '../keyring.ts';
import type { NoticeStore, SecretStore, SmsLinkStore } from '../ports/index.ts';

/*
 * What a link names, checked: a signed token (email) names the account, the notice and the action; an
 * SMS code names the account and notice through the item the sender stored, and the action comes from
 * the page's form. Anything else — a forged, tampered, foreign or expired link — records nothing.
 */

export type LinkRoute = { kind: 'token'; token: string } | { kind: 'sms'; code: string };

export type ResolvedLink =
  | { ok: true; notice: StoredNotice; actions: readonly AnswerAction[] }
  | { ok: false; reason: 'invalid' | 'expired'; notice?: StoredNotice };

export interface LinkDeps {
  secrets: SecretStore;
  signingSecret: string;
  notices: Pick<NoticeStore, 'getNotice'>;
  smsLinks: Pick<SmsLinkStore, 'getSmsLink'>;
  now: () => Date;
}

export async function resolveLink(route: LinkRoute, deps: LinkDeps): Promise<ResolvedLink> {
  const nowMs = deps.now().getTime();
  if (route.kind === 'token') {
    const parsed = parseLinkToken(route.token);
    if (parsed === undefined) return { ok: false, reason: 'invalid' };
    const key = await keyById(deps.secrets, deps.signingSecret, parsed.keyId);
    const check = checkLinkToken(parsed, key, nowMs);
    if (!check.ok && check.reason !== 'expired') return { ok: false, reason: 'invalid' };
    const claims = check.claims!;
    const notice = await deps.notices.getNotice(claims.accountId, claims.noticeId);
    if (notice === undefined || !actionsFor(notice.kind).includes(claims.action))
      return { ok: false, reason: 'invalid' };
    if (!check.ok) return { ok: false, reason: 'expired', notice };
    return { ok: true, notice, actions: [claims.action] };
  }
  if (!SMS_CODE_SHAPE.test(route.code)) return { ok: false, reason: 'invalid' };
  const target = await deps.smsLinks.getSmsLink(route.code);
  if (target === undefined) return { ok: false, reason: 'invalid' };
  const key = await keyById(deps.secrets, deps.signingSecret, target.keyId);
  if (key === undefined || smsLinkCode(key, target.accountId, target.noticeId) !== route.code)
    return { ok: false, reason: 'invalid' };
  const notice = await deps.notices.getNotice(target.accountId, target.noticeId);
  if (notice === undefined) return { ok: false, reason: 'invalid' };
  if (target.expiresAt * 1000 < nowMs) return { ok: false, reason: 'expired', notice };
  return { ok: true, notice, actions: actionsFor(notice.kind) };
}
