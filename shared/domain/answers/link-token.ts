import { createHmac, timingSafeEqual } from 'node:crypto';
import type { Key } from '../keyring.ts';
import { ACTION_CODES, type AnswerAction, actionOfCode } from './actions.ts';

/*
 * The signed token of a one-click answer link: `<key id>.<payload>.<mac>`, all base64url. The payload
 * names the account, the notice and the action and when the link expires; nothing personal (no name,
 * address or amount). The MAC is HMAC-SHA256 under the named signing key, cut to 128 bits; the key id
 * says which key (current or previous, across a rotation) checks it.
 */

export interface LinkClaims {
  accountId: string;
  noticeId: string;
  action: AnswerAction;
  /** Epoch seconds after which the link shows "expired" and records nothing. */
  expiresAt: number;
}

/** A token longer than this is refused before anything is decoded (input is hostile). */
export const MAX_TOKEN_LENGTH = 512;
const MAC_CHARS = 22;
const TOKEN_SHAPE = /^([A-Za-z0-9_-]{8})\.([A-Za-z0-9_-]{8,400})\.([A-Za-z0-9_-]{22})$/;

const mac = (key: Key, signed: string): string =>
  createHmac('sha256', key.material).update(signed).digest('base64url').slice(0, MAC_CHARS);

export function signLinkToken(claims: LinkClaims, key: Key): string {
  const payload = Buffer.from(
    JSON.stringify([claims.accountId, claims.noticeId, ACTION_CODES[claims.action], claims.expiresAt]),
    'utf8',
  ).toString('base64url');
  const signed = `${key.id}.${payload}`;
  return `${signed}.${mac(key, signed)}`;
}

export type ParsedToken = { keyId: string; signed: string; mac: string; payload: string };

/** The token's parts, or undefined for anything that is not a token's shape. */
export function parseLinkToken(token: unknown): ParsedToken | undefined {
  if (typeof token !== 'string' || token.length > MAX_TOKEN_LENGTH) return undefined;
  const match = TOKEN_SHAPE.exec(token);
  if (match === null) return undefined;
  const [, keyId = '', payload = '', tokenMac = ''] = match;
  return { keyId, payload, signed: `${keyId}.${payload}`, mac: tokenMac };
}

export type TokenCheck =
  | { ok: true; claims: LinkClaims }
  | { ok: false; reason: 'malformed' | 'tampered' | 'expired'; claims?: LinkClaims };

/**
 * Checks a parsed token with the key its id names (undefined: no such key, so not ours): the MAC first,
 * in constant time, then the claims, then the expiry at `nowMs`.
 */
export function checkLinkToken(parsed: ParsedToken, key: Key | undefined, nowMs: number): TokenCheck {
  if (key === undefined || key.id !== parsed.keyId) return { ok: false, reason: 'tampered' };
  const expected = Buffer.from(mac(key, parsed.signed));
  const given = Buffer.from(parsed.mac);
  if (expected.length !== given.length || !timingSafeEqual(expected, given))
    return { ok: false, reason: 'tampered' };
  const claims = decodeClaims(parsed.payload);
  if (claims === undefined) return { ok: false, reason: 'malformed' };
  if (claims.expiresAt * 1000 < nowMs) return { ok: false, reason: 'expired', claims };
  return { ok: true, claims };
}

function decodeClaims(payload: string): LinkClaims | undefined {
  try {
    const value: unknown = JSON.parse(Buffer.from(payload, 'base64url').toString('utf8'));
    if (!Array.isArray(value) || value.length !== 4) return undefined;
    const [accountId, noticeId, code, expiresAt] = value as unknown[];
    const action = typeof code === 'string' ? actionOfCode(code) : undefined;
    if (typeof accountId !== 'string' || typeof noticeId !== 'string' || action === undefined)
      return undefined;
    if (typeof expiresAt !== 'number' || !Number.isInteger(expiresAt)) return undefined;
    return { accountId, noticeId, action, expiresAt };
  } catch {
    return undefined;
  }
}

/**
 * The short link of an SMS: a code of 16 characters (96 bits) that MACs the account and notice under the
 * signing key. The sender stores what it names (account, notice, key id, expiry) under the code, so the
 * SMS carries 16 characters instead of a whole token; the page then offers the notice's answers.
 */
export function smsLinkCode(key: Key, accountId: string, noticeId: string): string {
  return createHmac('sha256', key.material)
    .update(`sms-link\u0000${accountId}\u0000${noticeId}`)
    .digest('base64url')
    .slice(0, 16);
}

export const SMS_CODE_SHAPE = /^[A-Za-z0-9_-]{16}$/;

/** How long a link answers: a preview's until well after its due date, a warning's until it is moot. */
export const LINK_VALIDITY_DAYS = 45;
