import { type AnswerDeps, type AnswerResponse, answerRequest, MAX_FORM_BYTES } from './record-answer.ts';
import type { LinkRoute } from './resolve-link.ts';

/*
 * The answer endpoint over HTTP, in API Gateway's HTTP API (payload 2.0) terms: the route from the path,
 * the form from the body, and a page with headers that keep it out of caches, frames and referrers.
 */

export interface HttpAnswerEvent {
  rawPath?: string;
  body?: string;
  isBase64Encoded?: boolean;
  requestContext?: { http?: { method?: string } };
}

export interface HttpAnswerResult {
  statusCode: number;
  headers: Record<string, string>;
  body: string;
}

const ROUTE = /^\/(a|s)\/([^/]{1,600})$/;

export const ANSWER_PAGE_HEADERS = {
  'content-type': 'text/html; charset=utf-8',
  'cache-control': 'no-store',
  'referrer-policy': 'no-referrer',
  'x-content-type-options': 'nosniff',
  'x-frame-options': 'DENY',
  'content-security-policy':
    "default-src 'none'; style-src 'unsafe-inline'; form-action 'self'; frame-ancestors 'none'",
} as const;

export async function answerHttp(
  event: HttpAnswerEvent,
  deps: AnswerDeps,
): Promise<HttpAnswerResult & { recorded?: AnswerResponse['recorded'] }> {
  const path = event.rawPath ?? '/';
  const method = event.requestContext?.http?.method ?? 'GET';
  const match = ROUTE.exec(path);
  const route: LinkRoute =
    match === null
      ? { kind: 'token', token: '' }
      : match[1] === 'a'
        ? { kind: 'token', token: match[2]! }
        : { kind: 'sms', code: match[2]! };
  // A body far over the limit is refused without decoding it.
  const raw = event.body ?? '';
  const oversized = raw.length > 2 * MAX_FORM_BYTES;
  const body = oversized
    ? 'x'.repeat(MAX_FORM_BYTES + 1)
    : event.isBase64Encoded
      ? Buffer.from(raw, 'base64').toString('utf8')
      : raw;
  const response = await answerRequest({ method, route, body, path }, deps);
  return {
    statusCode: response.status,
    headers: { ...ANSWER_PAGE_HEADERS },
    body: response.html,
    ...(response.recorded === undefined ? {} : { recorded: response.recorded }),
  };
}
