import { dec } from '#domain/money.ts';

/** Reads a printed amount back: `-¥1,897.92` → `-1897.92`. Independent of the renderer's own formatting. */
export function parseMoneyText(text: string): string {
  const match = /^(-?)¥(\d{1,3}(?:,\d{3})*)\.(\d{2})$/.exec(text.trim());
  if (match === null) throw new Error(`not a printed amount: ${JSON.stringify(text)}`);
  return dec(`${match[1]}${match[2]!.replaceAll(',', '')}.${match[3]}`).toFixed(2);
}

/** The text of the first element carrying `attribute="value"` (no nested tags inside it). */
export function textOf(html: string, attribute: string, value: string): string {
  const match = new RegExp(`${attribute}="${value}"[^>]*>([^<]*)<`).exec(html);
  if (match === null) throw new Error(`no element with ${attribute}="${value}"`);
  return decodeEntities(match[1]!);
}

/** Each `<tr data-line="CODE">` row's printed amount. */
export function lineAmountsInHtml(html: string): Map<string, string> {
  const amounts = new Map<string, string>();
  for (const row of html.matchAll(/<tr data-line="([^"]+)">([\s\S]*?)<\/tr>/g)) {
    amounts.set(row[1]!, parseMoneyText(textOf(row[2]!, 'data-cell', 'amount')));
  }
  return amounts;
}

export function count(haystack: string, needle: string | RegExp): number {
  return typeof needle === 'string'
    ? haystack.split(needle).length - 1
    : (haystack.match(needle) ?? []).length;
}

export function decodeEntities(text: string): string {
  return text
    .replaceAll('&lt;', '<')
    .replaceAll('&gt;', '>')
    .replaceAll('&quot;', '"')
    .replaceAll('&#x27;', "'")
    .replaceAll('&#x60;', '`')
    .replaceAll('&#x3D;', '=')
    .replaceAll('&amp;', '&');
}
