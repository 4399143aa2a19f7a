import { describe, expect, it } from 'vitest';
import { z } from 'zod';
import { MAX_DOCUMENT_CHARS, parseJsonDocument, validDocument } from '#domain/json-document.ts';

/*
 * How a configuration document (an arrears policy, a feed calendar) is refused, at synthesis and at a
 * function's cold start alike: naming where it came from and every wrong field, never half-read.
 */

const Doc = z.object({ name: z.string().min(1), days: z.number().int().max(31).default(3) });

describe('a configuration document', () => {
  it('is read with its defaults when valid', () => {
    expect(parseJsonDocument(Doc, '{"name":"供电所"}', 'context doc', 'a doc')).toEqual({
      name: '供电所',
      days: 3,
    });
    expect(validDocument(Doc, { name: 'x', days: 31 }, 'cdk.json doc', 'a doc')).toEqual({
      name: 'x',
      days: 31,
    });
  });

  it.each([
    ['a field out of range', '{"name":"x","days":40}', /^context doc is not a doc: days: Too big/],
    ['every wrong field at once', '{"days":"3"}', /^context doc is not a doc: name: .*; days: /],
    ['no object at all', '[]', /^context doc is not a doc: \(document\): /],
    ['no JSON', '{"name":', /^context doc is not JSON: /],
    ['an empty text', '', /^context doc is not JSON: /],
    ['a prototype key', '{"__proto__":{"polluted":true},"name":"x","days":"<script>"}', /days: /],
    [
      'an oversized text',
      `{"name":"${'x'.repeat(MAX_DOCUMENT_CHARS)}"}`,
      new RegExp(
        `^context doc is not a doc: ${MAX_DOCUMENT_CHARS + 11} characters, more than ${MAX_DOCUMENT_CHARS}$`,
      ),
    ],
  ])('is refused on %s, naming its source and field', (_what, text, message) => {
    expect(() => parseJsonDocument(Doc, text, 'context doc', 'a doc')).toThrow(message);
    expect(({} as Record<string, unknown>).polluted).toBeUndefined();
  });
});
